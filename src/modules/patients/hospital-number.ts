/**
 * The hospital number as printed and sent (domain.md §12): `HN-` and at least six digits, e.g.
 * HN-000123. The database gives the number (a bigint, read as a string); it is never reused.
 */
export function formatHn(hn: string | number): string {
  return `HN-${String(hn).padStart(6, '0')}`;
}
