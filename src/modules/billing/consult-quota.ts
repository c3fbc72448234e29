import type { ConsultKind } from './entities/psych-consult.entity.js';
import { daysInclusive } from '../../clinical/calendar-dates.js';

/** Days per quota window of a stay (domain.md §10: routine checks "per 30 days"). */
export const QUOTA_WINDOW_DAYS = 30;
/** One intake assessment per admission is included in the fee. */
export const INCLUDED_INTAKES = 1;

/** Window n of a stay: days [admittedOn + 30n, admittedOn + 30(n + 1)), i.e. days 30n + 1 to 30n + 30. */
export interface StayWindow {
  index: number;
  /** Day numbers of the stay, the admission day being day 1. */
  firstDay: number;
  lastDay: number;
  startsOn: string;
  endsOn: string;
}

/** What an earlier consult of the same admission counts for. */
export interface EarlierConsult {
  kind: ConsultKind;
  date: string;
  billable: boolean;
}

export interface ConsultAssessment {
  billable: boolean;
  window: StayWindow;
  /** Why it is billed, for the charge's description (null when included). */
  reason: string | null;
}

/** The window a date falls in; a date before the admission is outside the stay. */
export function stayWindow(admittedOn: string, date: string): StayWindow {
  const day = daysInclusive(admittedOn, date);
  if (!(day >= 1)) throw new RangeError(`${date} is before the admission on ${admittedOn}`);
  const index = Math.floor((day - 1) / QUOTA_WINDOW_DAYS);
  const firstDay = index * QUOTA_WINDOW_DAYS + 1;
  const lastDay = firstDay + QUOTA_WINDOW_DAYS - 1;
  return { index, firstDay, lastDay, startsOn: addDays(admittedOn, firstDay - 1), endsOn: addDays(admittedOn, lastDay - 1) };
}

/**
 * Whether a consult is included in the fee or billed: one intake per admission and
 * `routineChecksPer30Days` routine checks per window are included; additional consults and
 * anything past the quota are billed. Only included consults use up the quota, so a backdated
 * consult is judged against what was included in its own window.
 */
export function assessConsult(consult: { kind: ConsultKind; date: string }, admittedOn: string, earlier: readonly EarlierConsult[], routineChecksPer30Days: number): ConsultAssessment {
  const window = stayWindow(admittedOn, consult.date);
  const included = earlier.filter((c) => !c.billable && c.kind === consult.kind);
  switch (consult.kind) {
    case 'ADDITIONAL':
      return { billable: true, window, reason: 'additional consultation, not one of the included checks' };
    case 'INTAKE':
      return included.length < INCLUDED_INTAKES ? { billable: false, window, reason: null } : { billable: true, window, reason: 'intake assessment beyond the one included' };
    case 'ROUTINE': {
      const usedInWindow = included.filter((c) => stayWindow(admittedOn, c.date).index === window.index).length;
      if (usedInWindow < routineChecksPer30Days) return { billable: false, window, reason: null };
      return { billable: true, window, reason: `routine check beyond the ${routineChecksPer30Days} included in days ${window.firstDay}–${window.lastDay}` };
    }
  }
}

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}
