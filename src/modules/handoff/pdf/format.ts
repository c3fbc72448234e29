/** How the handoff PDF writes doses, dates and names (names in any script, as written). */
import { dayCount, formatDate } from '../../../common/pdf/display-format.js';
import { asNeededInstruction, combinationText, type DoseWriter, type HandoffAsNeeded, type HandoffIntakeOpioid, type HandoffSummary, intakeInstruction } from '../handoff-summary.js';

export const NONE = 'None recorded';

/** An ISO instant → "4 Jan 2027 08:30" (UTC: the summary carries instants in UTC). */
export function formatInstant(iso: string): string {
  const time = /T(\d{2}):(\d{2})/.exec(iso);
  return time ? `${formatDate(iso)} ${time[1]}:${time[2]}` : formatDate(iso);
}

// One clock for the PDF and the FHIR narrative (clinic-time.ts).

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
