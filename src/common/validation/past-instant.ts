import type { ErrorDetail } from '../errors/domain-error.js';

/** Staff devices' clocks drift; an instant this little ahead of the server's is not "in the future". */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The earliest instant a clinical record may carry. Nothing in this clinic's records is older,
 * and list cursors hold such instants as non-negative epoch milliseconds.
 */
export const EARLIEST_INSTANT = new Date(0);

/** An instant entered after the fact: not in the future (beyond the skew) and not before 1970. */
export function pastInstantProblems(instant: Date, now: Date, field: string): ErrorDetail[] {
  if (instant < EARLIEST_INSTANT) return [{ field, reason: `must not be before ${EARLIEST_INSTANT.toISOString()}` }];
  if (instant.getTime() > now.getTime() + CLOCK_SKEW_MS) return [{ field, reason: `must not be in the future (the server's time is ${now.toISOString()})` }];
  return [];
}
