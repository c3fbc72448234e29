/**
 * How the handoff's readable text writes an instant: on the clinic's clock with the zone named,
 * the same in the PDF and in the FHIR narrative (structured FHIR dateTimes stay ISO instants).
 */
import { calendarDate } from '../../common/clock.js';
import { formatDate } from '../../common/pdf/display-format.js';

/**
 * An ISO instant on the clinic's clock, the zone named: "14 Mar 2027 at 08:00, Asia/Bangkok time
 * (UTC+07:00)", so a reader in another zone knows what it means.
 */
export function formatClinicTime(iso: string, timeZone: string): string {
  const { date, time } = clinicClock(iso, timeZone);
  return `${formatDate(date)} at ${time}, ${zoneText(iso, timeZone)}`;
}

/** "Asia/Bangkok time (UTC+07:00)": the zone and its offset at that instant. */
export function zoneText(iso: string, timeZone: string): string {
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(iso)).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const offset = zone === 'GMT' ? 'UTC' : zone.replace(/^GMT/, 'UTC');
  return `${timeZone} time (${offset})`;
}

/** An instant's clinic day (YYYY-MM-DD) and time (HH:MM). */
export function clinicClock(iso: string, timeZone: string): { date: string; time: string } {
  const instant = new Date(iso);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
  return { date: calendarDate(instant, timeZone), time };
}

/** "16 Nov 2026 06:30" on the clinic's clock, for tables that name the clock elsewhere. */
export function formatClinicInstant(iso: string, timeZone: string): string {
  const { date, time } = clinicClock(iso, timeZone);
  return `${formatDate(date)} ${time}`;
}
