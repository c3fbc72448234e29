/** How documents for people (invoices, handoff summaries) write dates, counts and codes. */

export const MONTHS: readonly string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2027-01-04" (or an ISO instant starting so) → "4 Jan 2027"; anything else is shown as given. */
export function formatDate(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!match) return iso ?? '';
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/**
 * A sentence the JSON writes with its fields' dates ("held on 1 (2027-01-13)"), as a printed page
 * writes dates ("held on 1 (13 Jan 2027)"), so one page never mixes the two. A date inside a
 * longer run of digits or a date-time is left alone.
 */
export function withPrintedDates(text: string): string {
  return text.replace(/(?<![\d-])\d{4}-\d{2}-\d{2}(?![\dT-])/g, (iso) => formatDate(iso));
}

/** 1 → "1 day", 30 → "30 days". */
export function dayCount(count: number): string {
  return countOf(count, 'day');
}

/** "1 step", "3 steps": a count with its noun (regular plurals only). */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** "BANK_TRANSFER" → "Bank transfer". */
export function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
