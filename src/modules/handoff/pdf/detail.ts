/** The detail pages of the handoff PDF: intake, each taper (with the doses actually given), COWS, pain scores, pain plan and the aftercare schedule. */
import { DSM5_CRITERIA } from '../../../clinical/dsm5.js';
import { countOf, dayCount, formatDate, humanise } from '../../../common/pdf/display-format.js';
import { FONT } from '../../../common/pdf/pdf-style.js';
import type { Column } from '../../../common/pdf/table-columns.js';
import { reasonsOnRecord, stoppedHow } from '../handoff-tapers.js';
import { drawContact } from './contact.js';
import { clinicClock, formatClinicInstant, formatClinicTime, zoneText } from '../clinic-time.js';
import { drug, formatNumber, intakeCombinationText, NONE, perDay, rate } from './format.js';
import { noneRecorded, paragraph, section, type Layout } from './layout.js';
import { drawDosesGiven } from './record.js';
import { col, keepTogether, sideBySide, table, twoUp, type Row, type TableSpec } from './tables.js';
import { mmeApplies, overrideText, painConditionText, patchChange, stoppedAtAdmissionText, type HandoffIntake, type HandoffIntakeOpioid, type HandoffSummary, type HandoffTaper, type HandoffTaperStep } from '../handoff-summary.js';

/** Column sets; "0" is the column that takes the width left over. */
const TABLES = {
  intake: [col('Opioid as taken at intake', 0), col('Dose', 58, 'right'), col('Times/day', 64, 'right'), col('Daily dose', 72, 'right'), col('Months', 40, 'right'), col('Prescribed', 52), col('Daily MME', 52, 'right')],
  versions: [col('Version', 40, 'right'), col('Signed', 64), col('Effective from', 70), col('Rate', 100), col('Reason', 0)],
  pauses: [col('Paused from', 72), col('For', 44, 'right'), col('Reason', 0)],
  steps: [col('Step', 26, 'right'), col('From', 70), col('Daily dose', 0, 'right'), col('Daily MME', 56, 'right')],
  cows: [col('Recorded (clinic time)', 96), col('Score', 40, 'right'), col('Band', 0)],
  pain: [col('Recorded (clinic time)', 96), col('Pain 0-10', 50, 'right'), col('Daily MME that day', 0, 'right')],
  active: [col('Medicine', 0), col('Dose', 58, 'right'), col('Times/day', 46, 'right'), col('Route', 48), col('Daily dose', 72, 'right'), col('For', 90), col('Since', 62)],
  stopped: [col('Medicine', 0), col('Daily dose', 72, 'right'), col('Started', 62), col('Stopped', 62), col('Reason', 150)],
  asNeeded: [col('Medicine', 0), col('Dose', 52, 'right'), col('Apart', 34, 'right'), col('Most/day', 44, 'right'), col('Min COWS', 52, 'right'), col('For', 86), col('Since', 62), col('Stopped', 62)],
  therapies: [col('Therapy', 140), col('Frequency', 120), col('Notes', 0)],
  checkIns: [col('Week', 34, 'right'), col('Due', 70), col('Status', 60), col('Notes', 0)],
} satisfies Record<string, Column[]>;

/** `timeZone`: the clinic's, on whose clock times and days are printed (as in the JSON's days). */
export function drawDetail(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  layout.section = '';
  if (layout.remaining < 200) layout.newPage();
  drawIntake(layout, summary.intake, summary.stay.admittedOn);
  drawTapers(layout, summary, timeZone);
  drawCows(layout, summary, timeZone);
  drawPainScores(layout, summary, timeZone);
  drawPainPlan(layout, summary);
  drawAftercareSchedule(layout, summary);
}

/** The intake total, where buprenorphine (no MME factor) is never a total of 0: alone MME does not apply, beside another opioid it is left out. */
function intakeMmeText(intake: HandoffIntake): string {
  const without = [...new Set(intake.opioids.filter((o) => o.dailyMme === null).map((o) => drug(o.drug)))];
  if (without.length > 0 && without.length === new Set(intake.opioids.map((o) => drug(o.drug))).size) return `Total daily MME at intake: does not apply (${without.join(', ')}: no MME factor)`;
  const leftOut = without.length > 0 ? `, ${without.join(', ')} not counted` : '';
  return `Total daily MME at intake: ${formatNumber(intake.totalDailyMme)}${leftOut}`;
}

function drawIntake(layout: Layout, intake: HandoffIntake, admittedOn: string): void {
  section(layout, `Detail: intake assessment (${formatDate(intake.assessedOn)})`, 60);
  table(layout, { title: '', cols: TABLES.intake, rows: intake.opioids.map(intakeRow), empty: `${NONE}.` });
  for (const o of intake.opioids.filter((o) => o.stoppedAtAdmission !== null)) {
    paragraph(layout, stoppedAtAdmissionText(o, admittedOn, o.stoppedAtAdmission?.orderStoppedBeforeFirstDose ?? null, { date: formatDate, perDay }, `${drug(o.drug)} ${o.formulation}`), { size: 9, font: FONT.bold });
  }
  for (const o of intake.opioids.filter((o) => o.paracetamolPerUnitMg !== null)) {
    paragraph(layout, `${drug(o.drug)} ${o.formulation} is a combination product, ${intakeCombinationText(o)}: count it toward the daily paracetamol limit while it is taken.`, { size: 9, font: FONT.bold });
  }
  const longActing = intake.longActing ? 'includes a long-acting opioid' : 'short-acting opioids only';
  const factors = `conversion factors ${intake.factorTable}`;
  paragraph(layout, `${intakeMmeText(intake)} (${factors}; ${longActing}).`, { size: 9, font: FONT.bold });
  paragraph(layout, dsm5Text(intake.dsm5));
  paragraph(layout, `Classification: ${intake.classificationText}`);
  paragraph(layout, `Pain at intake: ${painConditionText(intake.pain.condition)}, score ${formatNumber(intake.pain.score)} of 10.`);
  const oih = intake.hyperalgesiaSuspected
    ? 'Signs of possible opioid-induced hyperalgesia at intake (pain spread or worse between doses): a suspicion to follow, not a diagnosis.'
    : 'No signs of opioid-induced hyperalgesia at intake.';
  paragraph(layout, oih, { size: 9 }, 12);
}

function dsm5Text(dsm5: HandoffIntake['dsm5']): string {
  const met = `DSM-5: ${dsm5.criteriaMet} of ${DSM5_CRITERIA.length} criteria met, ${dsm5.criteriaCounted} counted`;
  const excluded = dsm5.excluded.length > 0 ? ` (not counted: ${dsm5.excluded.join(', ')}, as the opioids were taken as prescribed)` : '';
  return `${met}${excluded}; use-disorder severity: ${humanise(dsm5.severity).toLowerCase()}.`;
}

/** As needed, the times and the daily dose are the most a day; a combination product names its paracetamol under the opioid. */
function intakeRow(o: HandoffIntakeOpioid): Row {
  const daily = o.dailyMme === null ? 'n/a' : formatNumber(o.dailyMme);
  const product = `${drug(o.drug)} ${o.formulation}${o.paracetamolPerUnitMg === null ? '' : `\nwith paracetamol ${formatNumber(o.paracetamolPerUnitMg)} mg a unit`}`;
  // A patch is worn for days: "12 mcg/h patch", "every 3 days", never once a day.
  const patch = o.asNeeded ? null : patchChange(o);
  const times = o.asNeeded ? `as needed, up to ${o.timesPerDay}` : patch !== null ? patch.replace(/^changed /, '') : String(o.timesPerDay);
  const dose = o.asNeeded ? `at most ${perDay(o.dailyDose, o.unit)}` : perDay(o.dailyDose, o.unit);
  return { cells: [product, `${formatNumber(o.dose)} ${o.unit}${patch === null ? '' : ' patch'}`, times, dose, formatNumber(o.monthsOnTherapy), o.prescribed ? 'Yes' : 'No', daily] };
}

function drawTapers(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  if (summary.tapers.length === 0) {
    section(layout, 'Detail: taper', 20);
    return noneRecorded(layout, 'no taper order during this stay.');
  }
  for (const taper of summary.tapers) drawTaper(layout, taper, summary.stay.dischargedOn, timeZone);
}

function drawTaper(layout: Layout, taper: HandoffTaper, dischargedOn: string, timeZone: string): void {
  section(layout, `Detail: taper of ${drug(taper.drug)} ${taper.formulation}`, 60);
  const from = `${perDay(taper.start.dailyDose, taper.unit)} from ${formatDate(taper.start.date)}`;
  const to = `${perDay(taper.atDischarge.dailyDose, taper.unit)} at discharge`;
  paragraph(layout, `${from}, ${to}; ${taperCourse(taper)}.`, { size: 9, font: FONT.bold });
  for (const line of reasonsOnRecord(taper)) paragraph(layout, line, { size: 8.5 });
  const versions = taper.versions.map((v) => versionRow(v, taper));
  table(layout, { title: 'Versions of the order', cols: TABLES.versions, rows: versions, empty: `${NONE}.` });
  const pauses = taper.pauses.map((p) => ({ cells: [formatDate(p.from), dayCount(p.days), p.reason] }));
  table(layout, { title: 'Pauses', cols: TABLES.pauses, rows: pauses, empty: `${NONE}: the taper was not paused.` });
  const done = taper.discontinued ? 'none, the order was stopped.' : taper.completed ? 'none, the target dose was reached.' : 'no further steps are scheduled.';
  const page = sideBySide(layout, [
    { title: 'Steps scheduled during the stay', cols: TABLES.steps, rows: taper.stepsTaken.map((s) => stepRow(s, taper.unit)), empty: `${NONE}.` },
    { title: 'Remaining schedule after discharge', cols: TABLES.steps, rows: taper.remainingSteps.map((s) => stepRow(s, taper.unit)), empty: `${NONE}: ${done}` },
  ]);
  if (taper.remainingSteps.length > 0) layout.schedulePages.push(`page ${page + 1} (${drug(taper.drug)} ${taper.formulation})`);
  const dueOnDischargeDay = taper.remainingSteps.find((s) => s.startsOn <= dischargedOn);
  if (dueOnDischargeDay) {
    const step = `Step ${dueOnDischargeDay.step} (${perDay(dueOnDischargeDay.dailyDose, taper.unit)})`;
    paragraph(layout, `${step} was due from the day of discharge, ${formatDate(dischargedOn)}; the patient left before its first dose, so it is still to start.`, { size: 8.5 });
  }
  drawDosesGiven(layout, taper);
  paragraph(layout, lastGivenText(taper, timeZone), { size: 9, font: FONT.bold });
}

/**
 * Where the taper goes: "target 0 mg/day; now 5% every 7 days of the start dose"; a stopped order
 * has no rate that still describes anything: "stopped from 13 Jan 2027: Transfer to hospital".
 */
function taperCourse(taper: HandoffTaper): string {
  // The sentence ends with its own full stop: a reason that ends with one does not get a second.
  if (taper.discontinued) return `${stoppedHow(taper, taper.remainingSteps.length > 0).toLowerCase()} from ${formatDate(taper.discontinued.from)}: ${taper.discontinued.reason.replace(/\.$/, '')}`;
  const basis = `now ${rate(taper.reductionPercent, taper.intervalDays)} of the ${taper.basis.toLowerCase().replace(/_/g, ' ')} dose`;
  return `target ${perDay(taper.targetDailyDose, taper.unit)}; ${basis}`;
}

/** The last dose of this taper, on the clinic's clock; a patch with the time it comes off. */
function lastGivenText(taper: HandoffTaper, timeZone: string): string {
  const last = taper.lastGiven;
  if (last === null) return 'Last dose given: none of this taper.';
  const patch = last.onUntil === null ? '' : `; worn until ${formatClinicInstant(last.onUntil, timeZone)}`;
  const what = last.onUntil === null ? 'Last dose given' : 'Last patch applied';
  return `${what}: ${formatNumber(last.dose)} ${taper.unit} on ${formatClinicTime(last.givenAt, timeZone)}${patch}.`;
}

/** The version that stopped the order (its latest) reads "Stopped" where the others give their rate: it kept the rate of the one before, which no longer runs. */
function versionRow(v: HandoffTaper['versions'][number], taper: HandoffTaper): Row {
  const signed = formatDate(v.signedOn) || 'Not signed';
  const stopping = taper.discontinued !== null && v.version === taper.versions.at(-1)?.version;
  // Short, for the narrow column: "at once (life-threatening)" is in the line above the table.
  const pace = stopping ? `${taper.remainingSteps.length > 0 ? 'Stops' : 'Stopped'} from ${formatDate(taper.discontinued!.from)}` : rate(v.reductionPercent, v.intervalDays);
  return { cells: [String(v.version), signed, formatDate(v.effectiveFrom) || '-', pace, v.reason ?? 'First version'] };
}

function stepRow(step: HandoffTaperStep, unit: string): Row {
  return { cells: [String(step.step), formatDate(step.startsOn), perDay(step.dailyDose, unit), step.dailyMme === null ? 'n/a' : formatNumber(step.dailyMme)] };
}

function drawCows(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  const { cows } = summary;
  const rows = cows.readings.map((r) => ({ cells: [formatClinicInstant(r.recordedAt, timeZone), String(r.score), humanise(r.band)] }));
  const spec: TableSpec = { title: 'Readings', cols: TABLES.cows, rows, empty: `${NONE}.` };
  const reading = (r: NonNullable<typeof cows.highest>) => `${r.score} (${humanise(r.band).toLowerCase()}) on ${formatClinicTime(r.recordedAt, timeZone)}`;
  const extremes = [cows.highest ? `Highest ${reading(cows.highest)}` : '', cows.last ? `Last ${reading(cows.last)}` : ''];
  const intro = `${countOf(cows.readings.length, 'reading')}. ${extremes.filter(Boolean).join('; ')}.`;
  section(layout, 'Detail: withdrawal (COWS) course', keepTogether(layout, intro, spec));
  if (rows.length === 0) return noneRecorded(layout, 'no COWS readings during the stay.');
  paragraph(layout, intro, { size: 9, font: FONT.bold });
  twoUp(layout, spec);
}

/** Each score beside the daily MME of its clinic day, the day the JSON's pain trend pairs it with. */
function drawPainScores(layout: Layout, summary: HandoffSummary, timeZone: string): void {
  const byDate = new Map(summary.mme.daily.map((d) => [d.date, d.mme]));
  const applies = mmeApplies(summary.intake, summary.tapers);
  const rows = summary.painScores.map((p) => {
    const dayMme = byDate.get(clinicClock(p.recordedAt, timeZone).date);
    return { cells: [formatClinicInstant(p.recordedAt, timeZone), formatNumber(p.score), dayMme === undefined ? '-' : applies ? formatNumber(dayMme) : 'n/a'] };
  });
  const spec: TableSpec = { title: 'Scores', cols: TABLES.pain, rows, empty: `${NONE}.` };
  const clock = summary.painScores[0] ? ` Times are on the clinic's clock, ${zoneText(summary.painScores[0].recordedAt, timeZone)}.` : '';
  const intro = `Finding: ${summary.painTrend.text}${clock}`;
  section(layout, 'Detail: pain scores', keepTogether(layout, intro, spec));
  if (rows.length === 0) return noneRecorded(layout, 'no pain scores during the stay.');
  paragraph(layout, intro);
  twoUp(layout, spec);
}

function drawPainPlan(layout: Layout, summary: HandoffSummary): void {
  const { painPlan } = summary;
  section(layout, 'Detail: pain plan', 50);
  const active = painPlan.active.map((m) => ({
    cells: [drug(m.drug), `${formatNumber(m.dose)} ${m.unit}`, String(m.timesPerDay), m.route.toLowerCase(), perDay(m.dailyDose, m.unit), m.indication ?? '-', formatDate(m.startedOn)],
  }));
  table(layout, { title: 'Active medicines', cols: TABLES.active, rows: active, empty: `${NONE}: no medicines are active.` });
  for (const m of [...painPlan.active, ...painPlan.asNeeded.filter((o) => o.stoppedOn === null)]) {
    if (m.override) paragraph(layout, `${drug(m.drug)}: ${overrideText(m.override)}`, { size: 8.5 });
  }
  const stopped = painPlan.stopped.map((m) => ({
    cells: [drug(m.drug), perDay(m.dailyDose, m.unit), formatDate(m.startedOn), formatDate(m.stoppedOn), m.reason],
  }));
  table(layout, { title: 'Stopped medicines', cols: TABLES.stopped, rows: stopped, empty: `${NONE}: nothing was stopped.` });
  const asNeeded = painPlan.asNeeded.map((o) => ({
    cells: [
      drug(o.drug),
      `${formatNumber(o.dose)} ${o.unit}`,
      `${formatNumber(o.minIntervalHours)} h`,
      String(o.maxDosesPerDay),
      o.cowsThreshold === null ? '-' : String(o.cowsThreshold),
      o.indication,
      formatDate(o.startedOn),
      o.stoppedOn === null ? 'In force' : `${formatDate(o.stoppedOn)}${o.stopReason ? `: ${o.stopReason}` : ''}`,
    ],
  }));
  table(layout, { title: 'As-needed medicines', cols: TABLES.asNeeded, rows: asNeeded, empty: `${NONE}: nothing was ordered as needed.` });
  const therapies = painPlan.therapies.map((t) => ({ cells: [therapyName(t.type), t.frequency, t.notes ?? ''] }));
  table(layout, { title: 'Non-drug therapies', cols: TABLES.therapies, rows: therapies, empty: `${NONE}: no non-drug therapies.` });
}

/** "PHYSIOTHERAPY" → "Physiotherapy"; short codes are acronyms and stay as they are ("CBT"). */
function therapyName(type: string): string {
  return /^[A-Z]{2,4}$/.test(type) ? type : humanise(type);
}

function drawAftercareSchedule(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Detail: aftercare schedule', 50);
  const rows = summary.aftercare.checkIns.map((c, i) => ({ cells: [String(i + 1), formatDate(c.dueOn), humanise(c.status), c.notes ?? ''] }));
  table(layout, { title: '', cols: TABLES.checkIns, rows, empty: `${NONE}: no check-ins are planned.` });
  drawContact(layout, summary, true);
}
