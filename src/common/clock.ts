/** The current time, injectable so tests can move it. */
export abstract class Clock {
  abstract now(): Date;

  /** Today's date (YYYY-MM-DD) on the clinic's wall calendar. */
  today(timeZone: string): string {
    return calendarDate(this.now(), timeZone);
  }
}

// Building a DateTimeFormat is costly (it loads locale and zone data); one per zone is enough.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The YYYY-MM-DD date of an instant in a time zone. */
export function calendarDate(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
