import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

// A full date and time with its offset. IsISO8601 alone also lets through dates, week dates and
// local times, which PostgreSQL would read in its own time zone or refuse.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const REASON = 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z';

/** An ISO-8601 instant with a time zone (api.md: instants are ISO-8601 UTC). */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(IsISO8601({ strict: true, strictSeparator: true }, { message: REASON }), Matches(INSTANT, { message: REASON }));
}
