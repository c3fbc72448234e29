import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ValidationFailed } from '../errors/common.errors.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (no 2027-02-30, no times, no week dates). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a real date written YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** For the few dates that may not lie in the future (api.md §Conventions); `today` is the clinic's. */
export function assertNotInFuture(field: string, date: string, today: string): void {
  if (date > today) throw new ValidationFailed([{ field, reason: `must not be in the future (today is ${today})` }]);
}
