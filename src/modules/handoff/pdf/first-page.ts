/**
 * Page 1 of the handoff PDF, the summary a busy prescriber reads first: who and for whom, the
 * risks, what was tapered and what is taken now, the findings, aftercare, and the chart if it fits.
 */
import { clinicName } from '../../../common/clinic/clinic-contact.js';
import { calendarDate } from '../../../common/clock.js';
import { formatDate, humanise, withPrintedDates } from '../../../common/pdf/display-format.js';
import { FONT, type TextStyle } from '../../../common/pdf/pdf-style.js';
import { drawMmePainChart, type MmePainChartData } from './chart.js';
import { clinicClock, formatClinicTime } from '../clinic-time.js';
import { asNeededText, drug, formatInstant, formatNumber, fullName, intakeText, mme, NONE, perDay, stayText } from './format.js';
import { bullets, COLOR, LABEL_STYLE, LEFT, noneRecorded, paragraph, RIGHT, section, WIDTH, type Layout } from './layout.js';
import { patchText } from './patch-text.js';
import { col, table, type Row } from './tables.js';
import { type HandoffIntakeOpioid, type HandoffOpioidDose, type HandoffSummary, type HandoffTaper, mmeApplies, notCountedCourse, notGivenBecause, overrideText, taperCombinationText } from '../handoff-summary.js';
import { stoppedHow } from '../handoff-tapers.js';

/** The clinic and the day it was prepared, on the clinic's calendar (02:00 in Chiang Mai is already the next day there). */
export function drawTitle(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  const { clinic } = summary;
  layout.put(clinicName(clinic), LEFT, layout.y, WIDTH * 0.6, { font: FONT.bold, size: 11, color: COLOR.accent });
  layout.put(`Prepared ${formatDate(calendarDate(new Date(summary.generatedAt), timeZone))}`, LEFT + WIDTH * 0.6, layout.y + 1, WIDTH * 0.4, { size: 8.5, color: COLOR.muted, align: 'right' });
  layout.y += 15;
  layout.y += layout.put('Discharge and handoff summary', LEFT, layout.y, WIDTH, { font: FONT.bold, size: 18 }) + 5;
  layout.rule(layout.y, COLOR.accent, LEFT, RIGHT, 1);
  layout.y += 8;
}

export function drawParties(layout: Layout, summary: HandoffSummary): void {
  const { patient, recipient, consent } = summary;
  const half = WIDTH / 2 - 8;
  const patientLines = [`Hospital number: ${patient.hn}`, `Date of birth: ${formatDate(patient.dateOfBirth)}`, `Stay: ${stayText(summary)}`, `Pathway: ${stayPathway(summary)}`];
  const recipientLines = [recipient.practice ?? '', recipient.phone ? `Tel ${recipient.phone}` : '', recipient.email ?? '', `Patient's consent to share with this recipient: ${formatDate(consent.recordedOn)}`];
  // The names share a baseline, lowered for whichever has Thai marks to stack under its caption.
  const room = Math.max(layout.roomAbove(fullName(summary), half, NAME_STYLE), layout.roomAbove(recipient.name, half, NAME_STYLE));
  const left = block(layout, LEFT, 'Patient', { text: fullName(summary), room }, patientLines, half);
  const right = block(layout, LEFT + WIDTH / 2 + 8, 'To (next prescriber)', { text: recipient.name, room }, recipientLines, half);
  layout.y = Math.max(left, right) + 10;
}

const NAME_STYLE: TextStyle = { font: FONT.bold, size: 12 };

function stayPathway(summary: HandoffSummary): string {
  const via = summary.stay.viaPartnerHospital ? ', via the partner hospital' : '';
  return `${humanise(summary.stay.pathway)}${via}`;
}

/** A label, a bold main line (with `room` above it for marks) and detail lines at x; returns the y below it. */
function block(layout: Layout, x: number, label: string, main: { text: string; room: number }, lines: string[], width: number): number {
  let y = layout.y + layout.put(label.toUpperCase(), x, layout.y, width, LABEL_STYLE) + 1;
  y += layout.putBelow(main.text, x, y, width, NAME_STYLE, main.room) + 1;
  for (const line of lines.filter(Boolean)) y += layout.put(line, x, y, width, { size: 8.5 }) + 0.5;
  return y;
}

/**
 * The last opioid dose given, boxed under the parties: the one fact the next prescriber needs
 * above all (domain.md §8a), on the clinic's clock with the zone named and in UTC; a patch with
 * when it comes off and the next one is due. Two products given at that same instant are both
 * named: one alone would read as the patient's only opioid.
 */
export function drawLastDose(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  const pad = 8;
  const inner = WIDTH - 2 * pad;
  const dose = summary.lastOpioidDose;
  const doses = dose ? [dose, ...dose.alsoGivenThen] : [];
  const together = doses.length > 1 ? ', given together,' : '';
  const main = dose ? `${doses.map(doseText).join(' and ')}${together} on ${formatClinicTime(dose.givenAt, timeZone)}` : 'No opioid dose recorded during this stay.';
  const note = dose ? `${formatInstant(dose.givenAt)} UTC. From the clinic's administration record (voided entries excluded).` : "The clinic's administration record has no opioid dose given.";
  // With two products, each patch sentence says whose it is.
  const patch = doses
    .filter((d) => d.onUntil !== null)
    .map((d) => (doses.length > 1 ? `${drug(d.drug)}: ` : '') + patchText(d, summary.stay.dischargedOn, timeZone))
    .join(' ');
  const mainStyle: TextStyle = { font: FONT.bold, size: 12.5, color: COLOR.accent };
  const patchStyle: TextStyle = { font: FONT.bold, size: 9.5 };
  const noteStyle: TextStyle = { size: 8, color: COLOR.muted };
  const patchHeight = patch ? layout.measure(patch, inner, patchStyle) + 2 : 0;
  const height = pad * 2 + 11 + layout.measure(main, inner, mainStyle) + 2 + patchHeight + layout.measure(note, inner, noteStyle);
  layout.ensureSpace(height);
  const top = layout.y;
  layout.doc.save().rect(LEFT, top, WIDTH, height).lineWidth(1.5).fillAndStroke(COLOR.band, COLOR.accent).restore();
  let y = top + pad;
  const label = doses.length > 1 ? 'LAST OPIOID DOSES GIVEN (AT THE SAME TIME)' : 'LAST OPIOID DOSE GIVEN';
  y += layout.put(label, LEFT + pad, y, inner, { ...LABEL_STYLE, color: COLOR.accent }) + 2;
  y += layout.put(main, LEFT + pad, y, inner, mainStyle) + 2;
  if (patch) y += layout.put(patch, LEFT + pad, y, inner, patchStyle) + 2;
  layout.put(note, LEFT + pad, y, inner, noteStyle);
  layout.y = top + height + 10;
}

/** "Oxycodone IR 35 mg", "Fentanyl TRANSDERMAL 25 mcg/h patch applied". */
function doseText(dose: HandoffOpioidDose): string {
  return `${drug(dose.drug)}${dose.formulation ? ` ${dose.formulation}` : ''} ${formatNumber(dose.dose)} ${dose.unit}${dose.onUntil ? ' patch applied' : ''}`;
}

/** The risks, boxed in red at the top: the things that can kill the patient after discharge. */
export function drawRiskPanel(layout: Layout, summary: HandoffSummary): void {
  const pad = 9;
  const inner = WIDTH - 2 * pad;
  const title = 'RISK AFTER DISCHARGE - READ BEFORE PRESCRIBING ANY OPIOID';
  const messages = summary.risks.length > 0 ? summary.risks.map((r) => withPrintedDates(r.message)) : [`${NONE}.`];
  const style: TextStyle = { font: FONT.bold, size: 9.5, color: COLOR.text };
  const height = pad * 2 + 16 + messages.reduce((sum, m) => sum + layout.measure(m, inner - 12, style) + 3, 0);
  layout.ensureSpace(height);
  layout.doc.save().rect(LEFT, layout.y, WIDTH, height).lineWidth(1.5).fillAndStroke(COLOR.riskFill, COLOR.risk).restore();
  layout.put(title, LEFT + pad, layout.y + pad, inner, { font: FONT.bold, size: 10.5, color: COLOR.risk });
  const top = layout.y;
  layout.y += pad + 16;
  bullets(layout, messages, style, LEFT + pad + 2, inner - 2);
  layout.y = top + height + 12;
}

/** The opioids at the start of the taper and at discharge, one row per taper. */
const HEADLINE_COLUMNS = [col('Opioid', 0), col('At start of taper', 104), col('At discharge', 112), col('Status', 200)];

/** Total MME at intake → at discharge in large type, the intake regimen, then each taper. */
export function drawHeadline(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Opioids: what was taken, what was tapered, what is taken now', 80);
  const { intake } = summary;
  const big = totalMmeLine(summary);
  layout.y += layout.put(big, LEFT, layout.y, WIDTH, { font: FONT.bold, size: 13, color: COLOR.accent }) + 3;
  const regimen = intake.opioids.map(intakeRegimenNow).join('; ') || NONE;
  const corrected = intake.correctionReason === null ? '' : ` Corrected during the stay: ${intake.correctionReason}`;
  layout.y += layout.put(`Intake regimen (${formatDate(intake.assessedOn)}): ${regimen}.${corrected}`, LEFT, layout.y, WIDTH, { size: 8.5 }) + 6;
  if (summary.tapers.length === 0) return noneRecorded(layout, 'no taper order during this stay.');
  table(layout, { title: '', cols: HEADLINE_COLUMNS, rows: summary.tapers.map(headlineRow), empty: NONE });
  if (summary.tapers.some((t) => t.remainingSteps.length > 0)) {
    layout.y -= 5;
    layout.scheduleNote = { page: layout.page, y: layout.y };
    layout.y += 16;
  }
}

/** Fills in page 1's pointer to the remaining schedules, now that their pages are known. */
export function drawSchedulePointer(layout: Layout): void {
  const note = layout.scheduleNote;
  if (!note || layout.schedulePages.length === 0) return;
  layout.doc.switchToPage(note.page);
  const text = `The remaining schedule after discharge, step by step: ${layout.schedulePages.join(', ')}.`;
  layout.put(text, LEFT, note.y, WIDTH, { font: FONT.bold, size: 8.5, color: COLOR.accent });
}

/**
 * The total MME in large type; an opioid without an MME factor (buprenorphine) is never printed as
 * 0 MME: the line says MME does not apply to it, or that the total leaves it out.
 */
function totalMmeLine({ mme: totals, intake, tapers }: HandoffSummary): string {
  const without = [...new Set(intake.opioids.filter((o) => o.dailyMme === null).map((o) => drug(o.drug)))];
  if (!mmeApplies(intake, tapers)) return `Total daily MME: does not apply (${without.join(', ') || 'buprenorphine'}: no MME factor)`;
  // Named with its doses: "0 at discharge" beside a buprenorphine still taken must not read as opioid-free.
  const courses = totals.notCounted.map((o) => `${notCountedCourse(o, `${drug(o.drug)} ${o.formulation}`, perDay)}${o.atDischarge > 0 ? ', still taken' : ''}`);
  const leftOut = courses.length > 0 ? `; not counted (no MME factor): ${courses.join('; ')}` : '';
  const stopped = stoppedNames(intake.opioids);
  const notGiven = stopped.length > 0 ? `; ${stopped.join(', ')} stopped at admission` : '';
  // Stopped at admission first: after the "not counted" list it would read as one of those.
  return `Total daily MME: ${formatNumber(totals.atIntake)} at intake, ${formatNumber(totals.atDischarge)} at discharge${reduction(totals.atIntake, totals.atDischarge)}${notGiven}${leftOut}`;
}

/** " (down 65%)" from intake to discharge; nothing when it did not fall. */
function reduction(atIntake: number, atDischarge: number): string {
  if (!(atIntake > 0) || atDischarge >= atIntake) return '';
  return ` (down ${Math.round((1 - atDischarge / atIntake) * 100)}%)`;
}

/** "Hydrocodone IR 5 mg as needed, up to 4 a day (at most 20 mg/day, 20 MME), with paracetamol 325 mg in each unit (…)". */
function intakeRegimen(opioid: HandoffIntakeOpioid): string {
  return `${drug(opioid.drug)} ${opioid.formulation} ${intakeText(opioid)}`;
}

/** The intake regimen on page 1: a product never ordered says so beside it. */
function intakeRegimenNow(opioid: HandoffIntakeOpioid): string {
  if (opioid.stoppedAtAdmission === null) return intakeRegimen(opioid);
  const why = opioid.stoppedAtAdmission.orderStoppedBeforeFirstDose === null ? 'never ordered' : 'its order stopped before its first dose';
  return `${intakeRegimen(opioid)}, stopped at admission (${why}, none given)`;
}

/** "Oxycodone IR": each product never ordered during the stay, once. */
function stoppedNames(opioids: HandoffIntakeOpioid[]): string[] {
  return [...new Set(opioids.filter((o) => o.stoppedAtAdmission !== null).map((o) => `${drug(o.drug)} ${o.formulation}`))];
}

function headlineRow(taper: HandoffTaper): Row {
  const start = `${perDay(taper.start.dailyDose, taper.unit)} (${mme(taper.start.dailyMme)})\nfrom ${formatDate(taper.start.date)}`;
  const end = `${perDay(taper.atDischarge.dailyDose, taper.unit)} (${mme(taper.atDischarge.dailyMme)})\nsince ${formatDate(taper.atDischarge.since)}`;
  return { cells: [`${drug(taper.drug)} ${taper.formulation}`, start, end, taperStatus(taper)] };
}

function taperStatus(taper: HandoffTaper): string {
  if (taper.discontinued) return `${stoppedHow(taper, taper.remainingSteps.length > 0)} from ${formatDate(taper.discontinued.from)}: ${taper.discontinued.reason}`;
  if (taper.completed) return `Completed: target ${perDay(taper.targetDailyDose, taper.unit)} reached`;
  const next = taper.remainingSteps[0];
  if (!next) return `Continuing towards ${perDay(taper.targetDailyDose, taper.unit)}`;
  const last = taper.remainingSteps[taper.remainingSteps.length - 1] ?? next;
  const steps = taper.remainingSteps.length === 1 ? '1 step' : `${taper.remainingSteps.length} steps`;
  const next1 = `next step ${formatDate(next.startsOn)} to ${perDay(next.dailyDose, taper.unit)}`;
  return `Continuing: ${next1}; ${steps} left, reaching ${perDay(last.dailyDose, taper.unit)} on ${formatDate(last.startsOn)}`;
}

/** Dependence vs use disorder and the pain-vs-dose finding, side by side. */
export function drawFindings(layout: Layout, summary: HandoffSummary): void {
  const half = WIDTH / 2 - 8;
  const style: TextStyle = { size: 9 };
  const texts = [summary.intake.classificationText, summary.painTrend.text];
  const height = 12 + Math.max(...texts.map((t) => layout.measure(t, half, style)));
  section(layout, 'Findings', height);
  const labels = ['Dependence (DSM-5)', 'Pain against dose over the stay'];
  texts.forEach((text, i) => {
    const x = LEFT + i * (half + 16);
    layout.put((labels[i] ?? '').toUpperCase(), x, layout.y, half, LABEL_STYLE);
    layout.put(text, x, layout.y + 11, half, style);
  });
  layout.y += height + 8;
}

export function drawMedicinesNow(layout: Layout, summary: HandoffSummary): void {
  const { painPlan, tapers } = summary;
  const opioids = tapers.filter((t) => t.atDischarge.dailyDose > 0).map((t) => taperNowLine(summary, t));
  const active = painPlan.active.map(activeLine);
  const asNeeded = painPlan.asNeeded.filter((o) => o.stoppedOn === null).map((o) => `${drug(o.drug)} ${asNeededText(o)}, for ${o.indication}${o.override ? `. ${overrideText(o.override)}` : ''}`);
  section(layout, 'Medicines now', 30);
  const now = [...opioids, ...active, ...asNeeded];
  if (now.length === 0) noneRecorded(layout, 'no medicines in the pain plan at discharge.');
  else bullets(layout, now);
  const stopped = [
    // An intake opioid never ordered is not a medicine now: it stopped when the patient arrived.
    ...summary.intake.opioids.filter((o) => o.stoppedAtAdmission !== null).map((o) => `${intakeRegimen(o)}, stopped at admission (${formatDate(summary.stay.admittedOn)}): ${neverGiven(o)}, so none was given by the clinic; tolerance to it is lost`),
    ...painPlan.stopped.map((m) => `${drug(m.drug)} ${perDay(m.dailyDose, m.unit)}, stopped ${formatDate(m.stoppedOn)}: ${m.reason}`),
    ...painPlan.asNeeded.filter((o) => o.stoppedOn !== null).map((o) => `${drug(o.drug)} ${formatNumber(o.dose)} ${o.unit} as needed, stopped ${formatDate(o.stoppedOn)}: ${o.stopReason ?? ''}`),
  ];
  if (stopped.length === 0) return void (layout.y += 4);
  // The label goes with its first line: never alone at the foot of page 1.
  const label = 'STOPPED DURING THE STAY';
  layout.ensureSpace(3 + layout.measure(label, WIDTH, LABEL_STYLE) + 1 + layout.measure(stopped[0] ?? '', WIDTH - 10, { size: 9 }));
  layout.y += 3 + layout.put(label, LEFT, layout.y + 3, WIDTH, LABEL_STYLE) + 1;
  bullets(layout, stopped);
  layout.y += 4;
}

/** "never ordered during the stay", or "its taper order was stopped before its first dose (from 8 Jan 2027: Oversedation)". */
function neverGiven(o: HandoffIntakeOpioid): string {
  const order = o.stoppedAtAdmission?.orderStoppedBeforeFirstDose ?? null;
  return order === null ? 'never ordered during the stay' : notGivenBecause(order, { date: formatDate });
}

/** "Hydrocodone IR: 15 mg/day (tapering; see above), a combination product with paracetamol 325 mg in each unit". */
function taperNowLine(summary: HandoffSummary, t: HandoffTaper): string {
  const combination = taperCombinationText(summary.intake, t, { number: formatNumber });
  const how = t.discontinued ? `stops ${formatDate(t.discontinued.from)}; see above` : 'tapering; see above';
  return `${drug(t.drug)} ${t.formulation}: ${perDay(t.atDischarge.dailyDose, t.unit)} (${how})${combination === '' ? '' : `, ${combination}`}`;
}

function activeLine(m: HandoffSummary['painPlan']['active'][number]): string {
  const why = m.indication ? ` for ${m.indication}` : '';
  const override = m.override ? `. ${overrideText(m.override)}` : '';
  return `${drug(m.drug)} ${formatNumber(m.dose)} ${m.unit} x ${m.timesPerDay}/day ${m.route.toLowerCase()} = ${perDay(m.dailyDose, m.unit)}${why}${override}`;
}

export function drawAftercareBrief(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Aftercare by the clinic', 24);
  if (summary.aftercare.checkIns.length === 0) return noneRecorded(layout, 'no aftercare check-ins are planned.');
  paragraph(layout, aftercareText(summary), { size: 9 }, 8);
}

function aftercareText(summary: HandoffSummary): string {
  const checkIns = summary.aftercare.checkIns;
  const planned = checkIns.filter((c) => c.status === 'PLANNED');
  const count = (status: string) => checkIns.filter((c) => c.status === status).length;
  const span = `${checkIns.length} check-ins from ${formatDate(checkIns[0]?.dueOn)} to ${formatDate(checkIns[checkIns.length - 1]?.dueOn)}`;
  const next = planned.length > 0 ? `Next: ${planned.slice(0, 3).map((c) => formatDate(c.dueOn)).join(', ')}.` : 'None still planned.';
  return `${span} (${count('DONE')} done, ${count('MISSED')} missed, ${planned.length} planned). ${next} The full schedule is in the detail.`;
}

const CHART_HEIGHT = 230;

const CAPTION_STYLE: TextStyle = { size: 8, color: COLOR.muted };

/** The chart of daily MME and pain with its caption: on page 1 if it fits, else at the top of page 2. */
export function drawChart(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  layout.section = '';
  const caption = chartCaption(summary);
  const captionHeight = caption.reduce((sum, line) => sum + layout.measure(line, WIDTH, CAPTION_STYLE) + 2, 0);
  if (layout.remaining < CHART_HEIGHT + captionHeight + 26) layout.newPage();
  // Where MME does not apply, the chart is of pain alone: its title does not promise an MME line.
  const title = mmeApplies(summary.intake, summary.tapers) ? 'Daily MME and pain over the stay' : 'Pain over the stay';
  section(layout, title, CHART_HEIGHT + captionHeight);
  drawMmePainChart(layout.doc, { x: LEFT, y: layout.y, width: WIDTH, height: CHART_HEIGHT }, chartData(summary, timeZone));
  layout.y += CHART_HEIGHT + 4;
  for (const line of caption) layout.y += layout.put(line, LEFT, layout.y, WIDTH, CAPTION_STYLE) + 2;
  layout.y += 8;
}

/** Short enough for the legend's row: why there is no MME line. */
const NO_MME_LINE = 'No MME line: MME does not apply to buprenorphine';

/**
 * What the chart leaves out, and why: no MME line where MME does not apply (buprenorphine alone);
 * an intake opioid never ordered counted on the admission day only (handoff-tapers.ts dailyMmeSeries).
 */
function chartCaption(summary: HandoffSummary): string[] {
  if (!mmeApplies(summary.intake, summary.tapers)) {
    return [`${NO_MME_LINE} (a partial agonist with no conversion factor), so its dose is not drawn as a line at 0 MME. The doses given are in the taper detail; the pain scores are drawn as recorded.`];
  }
  const { admittedOn, dischargedOn } = summary.stay;
  const without = withoutMme(summary);
  const leftOut = without.length > 0 ? [`${without.join(', ')}: not in the MME line (no conversion factor), never drawn as 0; the doses given are in the taper detail.`] : [];
  return [...leftOut, ...summary.intake.opioids
    .filter((o) => o.stoppedAtAdmission !== null && o.dailyMme !== null)
    .map((o) => {
      const counted = admittedOn < dischargedOn ? `counted on the admission day only (${formatDate(admittedOn)}, the day the patient arrived on it), not after` : 'not counted, as the patient left on the day of admission';
      const why = o.stoppedAtAdmission?.orderStoppedBeforeFirstDose ? 'had its order stopped before its first dose' : 'was never ordered';
      return `${drug(o.drug)} ${o.formulation} (${mme(o.dailyMme)} at intake) ${why}, so none was given by the clinic; ${counted}.`;
    })];
}

/** The opioids of the stay without an MME factor (buprenorphine), by name: the MME line leaves them out. */
function withoutMme(summary: HandoffSummary): string[] {
  const names = [...summary.intake.opioids.filter((o) => o.dailyMme === null).map((o) => drug(o.drug)), ...summary.tapers.filter((t) => t.start.dailyMme === null).map((t) => drug(t.drug))];
  return [...new Set(names)];
}

/** Pain scores on the clinic's days, the days of the daily MME. */
function chartData(summary: HandoffSummary, timeZone: string): MmePainChartData {
  const pain = summary.painScores.map((p) => {
    const { date, time } = clinicClock(p.recordedAt, timeZone);
    const [hours = 0, minutes = 0] = time.split(':').map(Number);
    return { date, dayFraction: (hours * 60 + minutes) / 1440, score: p.score };
  });
  return {
    firstDay: summary.stay.admittedOn,
    lastDay: summary.stay.dischargedOn,
    mme: summary.mme.daily,
    mmeNotApplicable: mmeApplies(summary.intake, summary.tapers) ? null : NO_MME_LINE,
    mmeLineLabel: withoutMme(summary).length > 0 ? 'Total daily MME, opioids with an MME factor (left axis)' : null,
    pain,
    pauses: summary.tapers.flatMap((t) => t.pauses),
  };
}

