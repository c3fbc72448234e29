/**
 * Calendar dates as YYYY-MM-DD strings (the clinic's calendar, no time of day, no time zone):
 * arithmetic runs on whole UTC days from the string itself, never on the clock, so a schedule
 * is the same on every server and across daylight-saving changes.
 */
import { ClinicalRuleError } from './clinical-error.js';

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Day numbers (days since 1970-01-01) of 0001-01-01 and 9999-12-31: four-digit years only. */
export const FIRST_DAY = -719_162;
export const LAST_DAY = 2_932_896;

/** Days since 1970-01-01, or null when `value` is not a real YYYY-MM-DD date (2027-02-30 is not). */
export function dayNumberOrNull(value: unknown): number | null {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.getTime() / DAY_MS : null;
}

export function isCalendarDate(value: unknown): value is string {
  return dayNumberOrNull(value) !== null;
}

/** Days since 1970-01-01; ClinicalRuleError('INVALID_DATE', …, field) when not a real date. */
export function dayNumberOf(value: string, field = 'date'): number {
  const day = dayNumberOrNull(value);
  if (day === null) throw new ClinicalRuleError('INVALID_DATE', `${JSON.stringify(value)} is not a real date in the form YYYY-MM-DD.`, field);
  return day;
}

export function dateOfDayNumber(day: number): string {
  if (!Number.isSafeInteger(day) || day < FIRST_DAY || day > LAST_DAY) {
    throw new ClinicalRuleError('DATE_OUT_OF_RANGE', 'Dates run from 0001-01-01 to 9999-12-31.');
  }
  const date = new Date(day * DAY_MS);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dayOfMonth = String(date.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${dayOfMonth}`;
}

/** `date` moved by a whole number of days (negative goes back). */
export function addDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new ClinicalRuleError('INVALID_DAYS', `${days} is not a whole number of days.`);
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumberOf(to, 'to') - dayNumberOf(from, 'from');
}

/** Days from `start` to `end`, both included (2027-01-04..2027-02-02 is 30 days). */
export function daysInclusive(start: string, end: string): number {
  return daysBetween(start, end) + 1;
}
