/** How the handoff PDF writes doses, dates and names (names in any script, as written). */
import { calendarDate } from '../../../common/clock.js';
import { dayCount, formatDate } from '../../../common/pdf/display-format.js';
import { asNeededInstruction, combinationText, type DoseWriter, type HandoffAsNeeded, type HandoffIntakeOpioid, type HandoffSummary, intakeInstruction } from '../handoff-summary.js';

export const NONE = 'None recorded';

/** An ISO instant → "4 Jan 2027 08:30" (UTC: the summary carries instants in UTC). */
export function formatInstant(iso: string): string {
  const time = /T(\d{2}):(\d{2})/.exec(iso);
  return time ? `${formatDate(iso)} ${time[1]}:${time[2]}` : formatDate(iso);
}

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

/** Doses have up to three decimals (clonidine 0.075 mg): all of them are printed. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The as-needed instruction as the PDF prints it (asNeededInstruction, "0.3 mg/day"). */
export function asNeededText(o: HandoffAsNeeded): string {
  return asNeededInstruction(o, { number: formatNumber, perDay });
}

/** How the PDF writes a dose: "1,300 mg/day", "20 MME", "x 2/day". */
const PDF_DOSES: DoseWriter = { number: formatNumber, perDay, mme, timesPerDay: (times) => `x ${times}/day` };

/** An intake opioid as the PDF prints it (intakeInstruction): "5 mg as needed, up to 4 a day (at most 20 mg/day, 20 MME), with paracetamol …". */
export function intakeText(o: HandoffIntakeOpioid): string {
  return intakeInstruction(o, PDF_DOSES);
}

/** A combination product's paracetamol as the PDF prints it (combinationText), or ''. */
export function intakeCombinationText(o: HandoffIntakeOpioid): string {
  return combinationText(o, PDF_DOSES);
}

/** A daily amount: "80 mg/day"; a unit that is already a rate (mcg/h) is left as it is. */
export function perDay(amount: number, unit: string): string {
  return unit.includes('/') ? `${formatNumber(amount)} ${unit}` : `${formatNumber(amount)} ${unit}/day`;
}

export function mme(value: number | null): string {
  return value === null ? 'MME not calculated' : `${formatNumber(value)} MME`;
}

/** "oxycodone" → "Oxycodone" (records keep drug names in lower case). */
export function drug(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function fullName(summary: HandoffSummary): string {
  return `${summary.patient.givenName} ${summary.patient.familyName}`;
}

export function stayText(summary: HandoffSummary): string {
  const { stay } = summary;
  return `${formatDate(stay.admittedOn)} – ${formatDate(stay.dischargedOn)} (${dayCount(stay.days)})`;
}

export function rate(reductionPercent: number, intervalDays: number): string {
  return `${formatNumber(reductionPercent)}% every ${dayCount(intervalDays)}`;
}
