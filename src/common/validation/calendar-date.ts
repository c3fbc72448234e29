import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from '../../clinical/calendar-dates.js';
import { ValidationFailed } from '../errors/common.errors.js';

/** The earliest date the API takes: anything older is a typing mistake, not a record of this clinic. */
export const EARLIEST_DATE = '1900-01-01';

/** A real calendar date written YYYY-MM-DD (no 2027-02-30, no times, no week dates), from 1900 on. */
export function isApiDate(value: unknown): value is string {
  return isCalendarDate(value) && value >= EARLIEST_DATE;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a real date written YYYY-MM-DD', ...options },
      validator: { validate: isApiDate },
    });
}

/** For the few dates that may not lie in the future (api.md §Conventions); `today` is the clinic's. */
export function assertNotInFuture(field: string, date: string, today: string): void {
  if (date > today) throw new ValidationFailed([{ field, reason: `must not be in the future (today is ${today})` }]);
}
