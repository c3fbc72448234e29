/**
 * A row's `created_at` as whole microseconds since the epoch, for keyset pages ordered by
 * creation: exact, where a JS Date (milliseconds) would skip or repeat rows at a page boundary.
 */
export function createdMicros(alias: string): string {
  return `(extract(epoch from ${alias}.created_at) * 1000000)::bigint`;
}
