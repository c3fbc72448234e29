import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { withPrintedDates } from '../../../common/pdf/display-format.js';
import { describe, expect, it } from '@jest/globals';
import { drawnGlyphs, overlapsBetweenLines } from '../../../../test/support/pdf-glyphs.js';
import { extractPdfText } from '../../../../test/support/pdf-text.js';
import { HANDOFF_FIXTURE, HYDROCODONE_AS_NEEDED } from '../../../../test/support/handoff-fixture.js';
import { renderHandoffPdf } from './handoff-pdf.js';
import type { HandoffSummary } from '../handoff-summary.js';

/**
 * The PDF's text with runs of whitespace collapsed, so wrapped phrases can be found. With
 * HANDOFF_PDF_SAMPLES=/tmp the PDF is also saved as /tmp/handoff-<sample>.pdf to look at.
 */
/** The clinic's zone in the fixture (Chiang Mai). */
const CLINIC = { timeZone: 'Asia/Bangkok' };

async function renderText(summary: HandoffSummary, sample?: string, options = CLINIC): Promise<{ pdf: Buffer; text: string; pages: string[] }> {
  const pdf = await renderHandoffPdf(summary, options);
  const dir = process.env.HANDOFF_PDF_SAMPLES;
  if (dir && sample) writeFileSync(path.join(dir, `handoff-${sample}.pdf`), pdf);
  const raw = extractPdfText(pdf);
  return { pdf, text: raw.replace(/\s+/g, ' '), pages: pagesOf(raw) };
}

/** The text of each page, split after each footer's "Page X of N". */
function pagesOf(raw: string): string[] {
  return raw.replace(/\s+/g, ' ').split(/(?<=Page \d+ of \d+)/).filter((page) => page.trim() !== '');
}

/** A stay with nothing recorded beyond the bare discharge: no taper, no scores, no COWS. */
function emptyStay(): HandoffSummary {
  return {
    ...HANDOFF_FIXTURE,
    lastOpioidDose: null,
    tapers: [],
    mme: { atIntake: 0, atTaperStart: null, atDischarge: 0, daily: [], notCounted: [] },
    painPlan: { active: [], stopped: [], asNeeded: [], therapies: [] },
    cows: { readings: [], highest: null, last: null },
    painScores: [],
    painTrend: { ...HANDOFF_FIXTURE.painTrend, finding: 'INSUFFICIENT_DATA', rankCorrelation: null, pairedDays: 0, text: 'No pain-vs-dose finding can be made.' },
    aftercare: { checkIns: [] },
  };
}

/** A stay with a second taper and COWS three times a day: the detail runs over several pages. */
function longStay(): HandoffSummary {
  const oxycodone = HANDOFF_FIXTURE.tapers[0] as HandoffSummary['tapers'][number];
  const readings = HANDOFF_FIXTURE.mme.daily.flatMap(({ date }, day) =>
    ['01:00', '07:00', '13:00'].map((time, i) => ({ recordedAt: `${date}T${time}:00.000Z`, score: (day + i) % 9, band: 'MILD' as const })),
  );
  return {
    ...HANDOFF_FIXTURE,
    tapers: [oxycodone, { ...oxycodone, orderId: 'second', drug: 'morphine', formulation: 'MR' }],
    cows: { readings, highest: readings[0] ?? null, last: readings[readings.length - 1] ?? null },
  };
}

/** "2027-01-04" → "4 Jan 2027", as the PDF writes dates. */
function day(iso: string): string {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

const number = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const capitalised = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

describe('renderHandoffPdf', () => {
  const fixture = HANDOFF_FIXTURE;
  const taper = fixture.tapers[0] as HandoffSummary['tapers'][number];
  const name = `${fixture.patient.givenName} ${fixture.patient.familyName}`;

  it('is dated on the clinic’s calendar: prepared at 02:30 in Bangkok on 7 April (19:30 UTC on the 6th) says 7 Apr', async () => {
    const { pages } = await renderText({ ...fixture, generatedAt: '2027-04-06T19:30:00.000Z' });
    expect(pages[0]).toContain('Prepared 7 Apr 2027');
    expect((await renderText({ ...fixture, generatedAt: '2027-04-06T19:30:00.000Z' }, undefined, { timeZone: 'Europe/London' })).pages[0]).toContain('Prepared 6 Apr 2027');
  });

  it('never prints a silent placeholder for a clinic that configured no name, phone or email', async () => {
    const { text } = await renderText({ ...fixture, clinic: { name: '', address: [], phone: '', email: '', contact: 'clinic contact not configured' } }, 'no-contact');
    expect(text).toContain('Questions about this patient: Clinic (clinic contact not configured), clinic contact not configured.');
    expect(text).not.toMatch(/tel ,|\bClinic\b(?! \(clinic contact)/);
  });

  it('renders the realistic stay with everything the next prescriber needs', async () => {
    const { pdf, text } = await renderText(fixture, 'sample');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const phrase of [
      'Discharge and handoff summary',
      `${name} Hospital number: ${fixture.patient.hn} Date of birth: ${day(fixture.patient.dateOfBirth)}`,
      `${day(fixture.stay.admittedOn)} – ${day(fixture.stay.dischargedOn)} (${fixture.stay.days} days)`,
      fixture.recipient.name,
      fixture.recipient.practice ?? '',
      `Patient's consent to share with this recipient: ${day(fixture.consent.recordedOn)}`,
      fixture.intake.classificationText,
      fixture.painTrend.text,
      `Total daily MME: ${number(fixture.mme.atIntake)} at intake, ${number(fixture.mme.atDischarge)} at discharge (down ${Math.round((1 - fixture.mme.atDischarge / fixture.mme.atIntake) * 100)}%)`,
      `Questions about this patient: ${fixture.clinic.name}, tel ${fixture.clinic.phone}`,
      'Page 1 of',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(fixture.risks.length).toBeGreaterThanOrEqual(3);
    for (const risk of fixture.risks) expect(text).toContain(risk.message);
    expect(text).not.toMatch(/addict/i);
  });

  it('puts on page 1 each opioid with its start and discharge dose, and each medicine in play', async () => {
    const { pages } = await renderText(fixture);
    const first = pages[0] ?? '';

    for (const opioid of fixture.intake.opioids) {
      expect(first).toContain(`${capitalised(opioid.drug)} ${opioid.formulation} ${number(opioid.dose)} mg x ${opioid.timesPerDay}/day (${number(opioid.dailyDose)} mg/day`);
    }
    for (const t of fixture.tapers) {
      expect(first).toContain(`${number(t.start.dailyDose)} mg/day (${number(t.start.dailyMme!)} MME) from ${day(t.start.date)}`);
      expect(first).toContain(`${number(t.atDischarge.dailyDose)} mg/day (${number(t.atDischarge.dailyMme!)} MME) since ${day(t.atDischarge.since)}`);
    }
    const next = taper.remainingSteps[0];
    expect(first).toContain(`Continuing: next step ${day(next?.startsOn ?? '')} to ${number(next?.dailyDose ?? -1)} mg/day`);
    for (const medicine of fixture.painPlan.active) {
      expect(first).toContain(`${capitalised(medicine.drug)} ${number(medicine.dose)} mg x ${medicine.timesPerDay}/day oral = ${number(medicine.dailyDose)} mg/day`);
    }
    // As needed, in force: with its dose to the thousandth, interval, most a day and COWS threshold.
    expect(first).toContain('Clonidine 0.075 mg oral as needed, at least 6 h apart, at most 3 a day (0.225 mg/day), only at a COWS of 8 or more, for Sweating and restlessness of withdrawal');
    // What was stopped follows the medicines now, continued on page 2 when page 1 is full.
    const medicinesNow = `${first} ${pages[1] ?? ''}`;
    for (const medicine of fixture.painPlan.stopped) {
      expect(medicinesNow).toContain(`${capitalised(medicine.drug)} ${number(medicine.dailyDose)} mg/day, stopped ${day(medicine.stoppedOn)}`);
    }
    expect(medicinesNow).toContain('Loperamide 2 mg as needed, stopped 10 Feb 2027: No loose stools for a week.');
  });

  it('writes an as-needed combination opioid at intake as needed, up to its most a day, with its paracetamol, on page 1 and in the detail', async () => {
    const hydrocodone = { ...taper, drug: 'hydrocodone', formulation: 'IR', rotation: null, unit: 'mg', atDischarge: { since: '2027-03-10', dailyDose: 15, dailyMme: 15 } };
    const summary: HandoffSummary = { ...fixture, intake: { ...fixture.intake, opioids: [HYDROCODONE_AS_NEEDED] }, tapers: [hydrocodone] };
    const { pages, text } = await renderText(summary, 'as-needed');
    const first = pages[0] ?? '';

    expect(first).toContain(
      'Intake regimen (14 Dec 2026): Hydrocodone IR 5 mg as needed, up to 4 a day (at most 20 mg/day, 20 MME), with paracetamol 325 mg in each unit (at most 1,300 mg/day of paracetamol).',
    );
    expect(first).not.toContain('x 4/day');
    expect(first).toContain('Hydrocodone IR: 15 mg/day (tapering; see above), a combination product with paracetamol 325 mg in each unit');
    expect(text).toContain('Hydrocodone IR with paracetamol 325 mg a unit 5 mg as needed, up to 4 at most 20 mg/day 14 Yes 20');
    expect(text).toContain('Hydrocodone IR is a combination product, with paracetamol 325 mg in each unit (at most 1,300 mg/day of paracetamol): count it toward the daily paracetamol limit while it is taken.');
  });

  it('gives the aftercare brief before the chart: on page 1, or at the top of page 2 when page 1 is full', async () => {
    const { pages } = await renderText(fixture);
    const summary = `${pages[0]} ${pages[1]}`;
    const planned = fixture.aftercare.checkIns.filter((c) => c.status === 'PLANNED').slice(0, 3);

    expect(summary).toContain(`Next: ${planned.map((c) => day(c.dueOn)).join(', ')}`);
    expect(summary.indexOf('Aftercare by the clinic')).toBeLessThan(summary.indexOf('Daily MME and pain over the stay'));
  });

  it('puts the last opioid dose given at the top of page 1: drug, dose, date and time on the clinic’s clock with the zone named', async () => {
    const { pages } = await renderText(fixture);
    const first = pages[0] ?? '';

    // 2027-03-14T01:00Z is 08:00 in Chiang Mai (UTC+7).
    expect(first).toContain('LAST OPIOID DOSE GIVEN Oxycodone ER 17.5 mg on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00) 14 Mar 2027 01:00 UTC.');
    expect(first.indexOf('LAST OPIOID DOSE GIVEN')).toBeLessThan(first.indexOf('RISK AFTER DISCHARGE'));
  });

  it('writes the last dose on the clock of the zone it is given, across midnight', async () => {
    const late = { ...fixture, lastOpioidDose: { drug: 'morphine', formulation: 'IR', dose: 5, unit: 'mg', givenAt: '2027-03-13T18:30:00.000Z', onUntil: null, nextPatch: null, alsoGivenThen: [] } };

    expect((await renderText(late)).pages[0]).toContain('Morphine IR 5 mg on 14 Mar 2027 at 01:30, Asia/Bangkok time (UTC+07:00)');
    expect((await renderText(late, undefined, { timeZone: 'Europe/London' })).pages[0]).toContain('Morphine IR 5 mg on 13 Mar 2027 at 18:30, Europe/London time (UTC+00:00)');
  });

  it('says on page 1 that no opioid dose was recorded when the record has none', async () => {
    const { pages } = await renderText({ ...fixture, lastOpioidDose: null });

    expect(pages[0]).toContain('LAST OPIOID DOSE GIVEN No opioid dose recorded during this stay.');
  });

  it('gives the doses actually given in the detail: the adherence line, each run and each day nothing was given', async () => {
    const { pages, text } = await renderText(fixture);

    expect(text).toContain('Doses actually given (administration record): Given on 66 of 68 scheduled days; held on 1 (13 Jan 2027), refused on 1 (27 Feb 2027).');
    expect(taper.adherence).toContain('held on 1 (2027-01-13)');
    for (const row of [
      '50 mg/day 6 Jan 2027 12 Jan 2027 7 days',
      'Nothing given 13 Jan 2027 13 Jan 2027 1 day held',
      '45 mg/day 14 Jan 2027 19 Jan 2027 6 days',
      '22.5 mg/day 24 Feb 2027 26 Feb 2027 3 days',
      'Nothing given 27 Feb 2027 27 Feb 2027 1 day refused',
      '22.5 mg/day 28 Feb 2027 2 Mar 2027 3 days',
      '17.5 mg/day 10 Mar 2027 14 Mar 2027 5 days',
    ]) {
      expect(text).toContain(row);
    }
    expect(pages[0]).not.toContain('Steps actually taken');
  });

  it('notes a day partly given in its run, and runs of days with no entry', async () => {
    const partly: HandoffSummary['tapers'][number] = {
      ...taper,
      dosesGiven: [
        { dailyDose: 20, firstDay: '2027-03-01', lastDay: '2027-03-01', days: 1, partial: false },
        { dailyDose: 10, firstDay: '2027-03-02', lastDay: '2027-03-02', days: 1, partial: false },
      ],
      daysHeld: ['2027-03-02'],
      daysRefused: [],
      daysOmitted: [],
      daysNotRecorded: ['2027-03-03', '2027-03-04'],
      adherence: 'Given on 2 of 4 scheduled days; held on 1 (2027-03-02), nothing recorded on 2 (2027-03-03 to 2027-03-04).',
    };
    const { text } = await renderText({ ...fixture, tapers: [partly] });

    expect(text).toContain('10 mg/day 2 Mar 2027 2 Mar 2027 1 day a dose held 2 Mar 2027');
    expect(text).toContain('Nothing given 3 Mar 2027 4 Mar 2027 2 days not recorded');
  });

  it('marks the discharge day given in part, and names the last dose of each taper on the clinic’s clock', async () => {
    const leftAtNoon: HandoffSummary['tapers'][number] = {
      ...taper,
      dosesGiven: [...taper.dosesGiven.slice(0, -1), { dailyDose: 17.5, firstDay: '2027-03-10', lastDay: '2027-03-13', days: 4, partial: false }, { dailyDose: 10, firstDay: '2027-03-14', lastDay: '2027-03-14', days: 1, partial: true }],
      lastGiven: { dose: 10, givenAt: '2027-03-14T01:00:00.000Z', onUntil: null },
    };
    const { text } = await renderText({ ...fixture, tapers: [leftAtNoon] });

    expect(text).toContain('10 mg/day 14 Mar 2027 14 Mar 2027 1 day discharge day, partial');
    expect(text).toContain('Last dose given: 10 mg on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00).');
  });

  it('says a step due on the discharge day, before which the patient left, is still to start', async () => {
    const [reached, ...rest] = [...taper.stepsTaken.slice(-1), ...taper.remainingSteps];
    const waiting = { ...rest[0]!, startsOn: fixture.stay.dischargedOn };
    const { text } = await renderText({ ...fixture, tapers: [{ ...taper, stepsTaken: [...taper.stepsTaken.slice(0, -1), reached!], remainingSteps: [waiting, ...rest.slice(1)] }] });

    expect(text).toContain(`Step ${waiting.step} (${number(waiting.dailyDose)} mg/day) was due from the day of discharge, 14 Mar 2027; the patient left before its first dose, so it is still to start.`);
  });

  it('a patch given last: still on at discharge, when it comes off and when the next one is due, of which strength', async () => {
    const patch = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', givenAt: '2027-03-12T05:30:00.000Z', onUntil: '2027-03-15T05:30:00.000Z', nextPatch: { dueAt: '2027-03-15T05:30:00.000Z', dose: 37.5 }, alsoGivenThen: [] };
    const thai = { ...fixture.patient, givenName: 'สมชาย', familyName: 'ใจดี' };
    const first = (await renderText({ ...fixture, patient: thai, lastOpioidDose: patch }, 'patch')).pages[0] ?? '';

    expect(first).toContain('LAST OPIOID DOSE GIVEN Fentanyl TRANSDERMAL 50 mcg/h patch applied on 12 Mar 2027 at 12:30, Asia/Bangkok time (UTC+07:00)');
    expect(first).toContain("The patch is still on at discharge: worn 72 hours, it comes off on 15 Mar 2027 at 12:30. Next patch due then: 37.5 mcg/h, by the taper's schedule; not before.");
    // Coming off on the day of discharge, and the taper stopping then.
    const today = { ...patch, onUntil: '2027-03-14T05:30:00.000Z', givenAt: '2027-03-11T05:30:00.000Z', nextPatch: { dueAt: '2027-03-14T05:30:00.000Z', dose: 0 } };
    expect((await renderText({ ...fixture, lastOpioidDose: today })).pages[0]).toContain('Worn 72 hours, this patch comes off on the day of discharge, 14 Mar 2027 at 12:30. No new patch then: the taper stops.');
  });

  it('reads pain and COWS on the clinic’s clock and days: a score at 06:30 in Bangkok on a step day is paired with that day’s MME', async () => {
    // 06:30 in Bangkok is 23:30 UTC the day before: the first day of the taper's second step (2027-01-13, 45 mg = 67.5 MME) against 75 MME the day before.
    const step = taper.stepsTaken[1]!;
    const before = fixture.mme.daily.find((d) => d.date < step.startsOn && d.date >= taper.stepsTaken[0]!.startsOn)!;
    const recordedAt = new Date(Date.parse(`${step.startsOn}T06:30:00+07:00`)).toISOString();
    const cows = { recordedAt, score: 14, band: 'MODERATE' as const };
    const summary = { ...fixture, patient: { ...fixture.patient, givenName: 'สมชาย', familyName: 'ใจดี' }, painScores: [{ recordedAt, score: 8 }], cows: { readings: [cows], highest: cows, last: cows } };
    const { text } = await renderText(summary, 'clinic-days');

    expect(text).toContain(`${day(step.startsOn)} 06:30 8 ${number(step.dailyMme!)}`);
    expect(before.mme).not.toBe(step.dailyMme);
    expect(text).toContain(`Times are on the clinic's clock, Asia/Bangkok time (UTC+07:00).`);
    expect(text).toContain(`Highest 14 (moderate) on ${day(step.startsOn)} at 06:30, Asia/Bangkok time (UTC+07:00)`);
    expect(text).toContain(`${day(step.startsOn)} 06:30 14 Moderate`);
    expect(text).not.toContain('UTC;');
  });

  it('never leaves the label of the stopped medicines alone at the foot of page 1', async () => {
    // One more risk line than the fixture: page 1 ends where the label would go.
    const risks = [{ code: 'X', message: 'The patient reports financial stress at home and worries about the cost of the medicines.' }, ...fixture.risks];
    const { pages } = await renderText({ ...fixture, risks });
    const page = pages.find((p) => p.includes('STOPPED DURING THE STAY')) ?? '';

    expect(page).toContain('STOPPED DURING THE STAY • Ibuprofen 1,200 mg/day, stopped 1 Feb 2027');
  });

  it('points from page 1 to the page with the remaining schedule', async () => {
    const { pages } = await renderText(fixture);
    const pointer = /remaining schedule after discharge, step by step: page (\d+) \(Oxycodone ER\)/.exec(pages[0] ?? '');

    expect(pointer).not.toBeNull();
    const schedulePage = pages[Number(pointer?.[1]) - 1] ?? '';
    expect(schedulePage).toContain('Remaining schedule after discharge');
  });

  it('draws the chart with labelled axes and a legend', async () => {
    const { pages } = await renderText(fixture);
    const chartPage = pages.find((page) => page.includes('Daily MME and pain over the stay')) ?? '';

    for (const label of ['Total daily MME', 'Pain score (0-10)', 'Date (each tick is one day of the stay)', 'Pain score (right axis)', 'Taper paused']) {
      expect(chartPage).toContain(label);
    }
    expect(chartPage).toContain('Total daily MME, all opioids (left axis)');
  });

  it('gives the detail: taper versions, pauses, steps, the COWS course and the full pain plan', async () => {
    const { text } = await renderText(fixture);
    const last = taper.remainingSteps[taper.remainingSteps.length - 1];
    const { highest } = fixture.cows;

    for (const phrase of [
      `Detail: intake assessment (${day(fixture.intake.assessedOn)})`,
      `DSM-5: ${fixture.intake.dsm5.criteriaMet} of 11 criteria met, ${fixture.intake.dsm5.criteriaCounted} counted (not counted: tolerance, withdrawal`,
      'Detail: taper of Oxycodone ER',
      ...taper.versions.map((v) => v.reason ?? 'First version'),
      ...taper.pauses.map((p) => `${day(p.from)} ${p.days} days ${p.reason}`),
      ...taper.stepsTaken.map((s) => `${s.step} ${day(s.startsOn)} ${number(s.dailyDose)} mg/day ${number(s.dailyMme!)}`),
      `${last?.step} ${day(last?.startsOn ?? '')} ${number(last?.dailyDose ?? -1)} mg/day ${number(last?.dailyMme ?? -1)}`,
      `Highest ${highest?.score} (${highest?.band.toLowerCase()}) on ${day(highest?.recordedAt ?? '')}`,
      ...fixture.painPlan.stopped.map((m) => m.reason),
      ...fixture.painPlan.therapies.map((t) => t.notes ?? ''),
      ...fixture.aftercare.checkIns.flatMap((c) => (c.notes ? [c.notes] : [])),
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it('names the patient, hospital number and date of birth on every page, with "Page X of N"', async () => {
    const { pages } = await renderText(fixture);

    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      expect(page).toContain(`${name} · ${fixture.patient.hn} · born ${day(fixture.patient.dateOfBirth)}`);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  it('repeats section and table titles when the detail runs over pages', async () => {
    const { pages } = await renderText(longStay(), 'long');
    const later = pages.slice(1);

    expect(later.some((page) => page.includes('Detail: withdrawal (COWS) course (continued) Readings (continued) Recorded (clinic time) Score Band'))).toBe(true);
    expect(pages.join(' ')).toContain('Detail: taper of Morphine MR');
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
  });

  it('continues only the side-by-side table that still has rows on the next page', async () => {
    const remainingSteps = Array.from({ length: 60 }, (_, i) => ({ step: 10 + i, startsOn: `2028-${String(1 + Math.floor(i / 5)).padStart(2, '0')}-${String(1 + (i % 5) * 5).padStart(2, '0')}`, dailyDose: 15, dailyMme: 22.5 }));
    const { pages } = await renderText({ ...fixture, tapers: [{ ...taper, remainingSteps }] });

    expect(pages.some((page) => page.includes('Remaining schedule after discharge (continued)'))).toBe(true);
    expect(pages.join(' ')).not.toContain('Steps scheduled during the stay (continued)');
  });

  it('keeps the summary on page 1 and puts the detail after it', async () => {
    const { pages } = await renderText(fixture);

    expect(pages[0]).toContain('RISK AFTER DISCHARGE');
    expect(pages[0]).toContain('Questions about this patient');
    expect(pages[0]).not.toContain('Detail:');
  });

  it('never prints buprenorphine as 0 MME: the total does not apply to it alone, and leaves it out beside another opioid', async () => {
    const buprenorphine = { drug: 'buprenorphine', formulation: 'SL', dose: 4, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 8, dailyMme: null, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 20, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null };
    const alone = { ...HANDOFF_FIXTURE, tapers: [], intake: { ...HANDOFF_FIXTURE.intake, opioids: [buprenorphine], totalDailyMme: 0 }, mme: { ...HANDOFF_FIXTURE.mme, atIntake: 0, atDischarge: 0 } };
    const { pages } = await renderText(alone, 'buprenorphine');
    expect(pages[0]).toContain('Total daily MME: does not apply (Buprenorphine: no MME factor)');
    expect(pages.join('\n')).toContain('Total daily MME at intake: does not apply (Buprenorphine: no MME factor) (conversion factors');
    expect(pages.join('\n')).not.toMatch(/Total daily MME( at intake)?: 0/);
    // Beside another opioid: left out of the total, and named with its doses, never hidden behind an MME of 0.
    const notCounted = [{ drug: 'buprenorphine', formulation: 'SL', unit: 'mg', atIntake: 8, atDischarge: 4 }];
    const beside = { ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [...HANDOFF_FIXTURE.intake.opioids, buprenorphine] }, mme: { ...HANDOFF_FIXTURE.mme, notCounted } };
    const besidePages = (await renderText(beside)).pages;
    expect(besidePages[0]).toContain('(down 65%); not counted (no MME factor): Buprenorphine SL 8 mg/day at intake, 4 mg/day at discharge, still taken');
    expect(besidePages.join('\n')).toContain(`Total daily MME at intake: ${HANDOFF_FIXTURE.intake.totalDailyMme}, Buprenorphine not counted (conversion factors`);
    // The chart's line says whom it counts, and the caption names who it leaves out.
    expect(besidePages.join('\n')).toContain('Total daily MME, opioids with an MME factor (left axis)');
    expect(besidePages.join('\n')).toContain('Buprenorphine: not in the MME line (no conversion factor), never drawn as 0; the doses given are in the taper detail.');
    // An opioid stopped at admission is named before that list, never read as one of it.
    const withStoppedIr = {
      ...beside,
      intake: { ...beside.intake, opioids: beside.intake.opioids.map((o) => (o.formulation === 'IR' && o.drug === 'oxycodone' ? { ...o, orderedDuringStay: false, stoppedAtAdmission: { on: beside.stay.admittedOn, text: 'Stopped at admission.', orderStoppedBeforeFirstDose: null } } : o)) },
    };
    expect((await renderText(withStoppedIr)).pages[0]).toContain('(down 65%); Oxycodone IR stopped at admission; not counted (no MME factor): Buprenorphine SL 8 mg/day at intake, 4 mg/day at discharge, still taken');
    const stopped = { ...beside, mme: { ...beside.mme, notCounted: [{ ...notCounted[0]!, atDischarge: 0 }] } };
    expect((await renderText(stopped)).pages[0]).toContain('(down 65%); not counted (no MME factor): Buprenorphine SL 8 mg/day at intake, 0 mg/day at discharge Intake regimen');
  });

  describe('what the handoff must never overstate', () => {
    const thai = { ...fixture.patient, givenName: 'สมชาย', familyName: 'ใจดี' };
    const noOverlaps = (pdf: Buffer) => overlapsBetweenLines(drawnGlyphs(pdf), 1.5).map(([a, b]) => `${a.size} pt at y ${a.y} and ${b.size} pt at y ${b.y}`);

    it('an intake opioid never ordered: stopped at admission on page 1, in the risks, the chart caption and the intake detail; never a medicine now', async () => {
      const [er, ir] = fixture.intake.opioids;
      const text = 'Stopped at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: do not restart it at the intake dose (10 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';
      const risk = { code: 'STOPPED_AT_ADMISSION', message: `Oxycodone IR was stopped at admission: ${text.slice('Stopped at admission: '.length)}` };
      const summary: HandoffSummary = {
        ...fixture,
        patient: thai,
        intake: { ...fixture.intake, opioids: [er!, { ...ir!, orderedDuringStay: false, stoppedAtAdmission: { on: fixture.stay.admittedOn, text, orderStoppedBeforeFirstDose: null } }] },
        tapers: [{ ...taper, rotation: null }],
        risks: [...fixture.risks.slice(0, 3), risk, ...fixture.risks.slice(3)],
      };
      const { pdf, pages, text: all } = await renderText(summary, 'stopped-at-admission');
      const first = pages[0] ?? '';

      expect(first).toContain('Oxycodone IR 5 mg x 2/day (10 mg/day, 15 MME), stopped at admission (never ordered, none given).');
      expect(first).toContain('(down 65%); Oxycodone IR stopped at admission');
      expect(first).toContain(withPrintedDates(risk.message));
      expect(first).toContain('none was given by the clinic since 4 Jan 2027.');
      expect(`${first} ${pages[1]}`).toContain(`STOPPED DURING THE STAY • Oxycodone IR 5 mg x 2/day (10 mg/day, 15 MME), stopped at admission (${day(fixture.stay.admittedOn)}): never ordered during the stay, so none was given by the clinic; tolerance to it is lost`);
      expect(all).toContain(`Oxycodone IR (15 MME at intake) was never ordered, so none was given by the clinic; counted on the admission day only (${day(fixture.stay.admittedOn)}, the day the patient arrived on it), not after.`);
      expect(all).toContain(`Oxycodone IR was stopped at admission: not ordered during the stay, so none was given by the clinic since ${day(fixture.stay.admittedOn)}.`);
      expect(all).not.toContain('counted in the MME at its intake dose');
      expect(all).toContain('สมชาย ใจดี');
      expect(noOverlaps(pdf)).toEqual([]);
    });

    it('buprenorphine alone: no MME line and no MME axis on the chart, and the legend and caption say why; the pain scores stay', async () => {
      const buprenorphine = { drug: 'buprenorphine', formulation: 'IR', dose: 4, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 8, dailyMme: null, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 20, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null };
      const steps = [{ step: 1, startsOn: '2027-01-06', dailyDose: 8, dailyMme: null }, { step: 2, startsOn: '2027-02-03', dailyDose: 6, dailyMme: null }];
      const bupTaper = { ...taper, drug: 'buprenorphine', formulation: 'IR', rotation: null, start: { date: '2027-01-06', dailyDose: 8, dailyMme: null }, atDischarge: { since: '2027-02-03', dailyDose: 6, dailyMme: null }, stepsTaken: steps, remainingSteps: [] };
      const summary: HandoffSummary = {
        ...fixture,
        patient: thai,
        intake: { ...fixture.intake, opioids: [buprenorphine], totalDailyMme: 0 },
        tapers: [bupTaper],
        mme: { atIntake: 0, atTaperStart: 0, atDischarge: 0, daily: fixture.mme.daily.map((d) => ({ ...d, mme: 0 })), notCounted: [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 8, atDischarge: 6 }] },
      };
      const { pdf, pages, text } = await renderText(summary, 'buprenorphine-chart');
      const chartPage = pages.find((page) => page.includes('Pain over the stay')) ?? '';

      expect(text).not.toContain('Daily MME and pain over the stay');
      expect(chartPage).toContain('No MME line: MME does not apply to buprenorphine Pain score (right axis) Taper paused');
      expect(chartPage).toContain('No MME line: MME does not apply to buprenorphine (a partial agonist with no conversion factor), so its dose is not drawn as a line at 0 MME.');
      expect(chartPage).not.toContain('Total daily MME, all opioids (left axis)');
      expect(chartPage).toContain('Pain score (0-10)');
      expect(noOverlaps(pdf)).toEqual([]);
    });

    it('a fentanyl patch at intake reads as a patch changed every 3 days, never "x 1/day"', async () => {
      const fentanyl = { ...fixture.intake.opioids[0]!, drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 12, unit: 'mcg/h', timesPerDay: 1, dailyDose: 12, dailyMme: 28.8 };
      const { pdf, pages, text } = await renderText({ ...fixture, patient: thai, intake: { ...fixture.intake, opioids: [fentanyl] } }, 'fentanyl-intake');

      expect(pages[0]).toContain('Intake regimen (14 Dec 2026): Fentanyl TRANSDERMAL 12 mcg/h patch, changed every 3 days (28.8 MME).');
      expect(text).toContain('Fentanyl TRANSDERMAL 12 mcg/h patch every 3 days 12 mcg/h 62 Yes 28.8');
      expect(text).not.toMatch(/x 1\/day/);
      expect(noOverlaps(pdf)).toEqual([]);
    });

    it('a stopped taper shows it stopped, from when and why, in place of a rate that no longer runs', async () => {
      const stopping = { version: 4, signedOn: '2027-03-01', effectiveFrom: '2027-03-02', reason: 'Transfer to the partner hospital for a chest infection.', reductionPercent: 5, intervalDays: 7 };
      const stopped = { ...taper, discontinued: { from: '2027-03-02', reason: stopping.reason }, versions: [...taper.versions, stopping], remainingSteps: [], atDischarge: { since: '2027-03-02', dailyDose: 0, dailyMme: 0 } };
      const { pdf, text } = await renderText({ ...fixture, patient: thai, tapers: [stopped] }, 'stopped-taper');

      expect(text).toContain('50 mg/day from 6 Jan 2027, 0 mg/day at discharge; stopped from 2 Mar 2027: Transfer to the partner hospital for a chest infection. ');
      expect(text).toContain(`4 1 Mar 2027 2 Mar 2027 Stopped from 2 Mar 2027 ${stopping.reason}`);
      // The earlier versions ran at their rates.
      expect(text).toContain('3 23 Feb 2027 24 Feb 2027 5% every 7 days');
      expect(text).not.toContain('now 5% every 7 days');
      expect(noOverlaps(pdf)).toEqual([]);
    });
  });

  it('says "None recorded" for a stay without a taper, pain scores or COWS readings', async () => {
    const { pdf, text } = await renderText(emptyStay(), 'empty');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const phrase of [
      'None recorded: no taper order during this stay.',
      'None recorded: no COWS readings during the stay.',
      'None recorded: no pain scores during the stay.',
      'None recorded: no daily MME and no pain scores for this stay.',
      'None recorded: no medicines in the pain plan at discharge.',
      'None recorded: no aftercare check-ins are planned.',
      'Page 1 of',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toContain('remaining schedule after discharge, step by step');
  });

  it.each([
    ['Somchai', 'สมชาย ใจดี', 'thai'],
    ['秀英', '王', 'chinese'],
    ['민준', '김', 'korean'],
  ])('prints the name %s %s, Thai words and symbols as written, never as "?"', async (givenName, familyName, sample) => {
    const summary: HandoffSummary = {
      ...fixture,
      patient: { ...fixture.patient, givenName, familyName },
      risks: [{ code: 'X', message: 'Pain ≥ 7 on ≈ half the days; น้ำ ที่ ลิ้น หนี้.' }],
    };

    const { text } = await renderText(summary, sample);

    expect(text).toContain(`${givenName} ${familyName} · ${fixture.patient.hn} · born`);
    expect(text).toContain('Pain ≥ 7 on ≈ half the days; น้ำ ที่ ลิ้น หนี้.');
    expect(text).not.toContain('?');
  });

  it('gives Thai marks of the names room under the captions above them: no glyph of one line comes within 1.5 points of another line', async () => {
    /** Points between the ink of two lines, at least: marks that touch the caption read as overlapping. */
    const CLEARANCE = 1.5;
    const summary: HandoffSummary = {
      ...fixture,
      patient: { ...fixture.patient, givenName: 'น้ำ', familyName: 'หนี้ลิ้นที่' },
      recipient: { ...fixture.recipient, name: 'ดร. สมศักดิ์ ที่ดี', practice: 'คลินิกน้ำใจ ที่ลิ้นจี่' },
    };
    const { pdf, pages } = await renderText(summary, 'thai-names');

    expect(pages[0]).toContain('PATIENT น้ำ หนี้ลิ้นที่');
    expect(overlapsBetweenLines(drawnGlyphs(pdf), CLEARANCE).map(([a, b]) => `${a.size} pt at y ${a.y} and ${b.size} pt at y ${b.y}`)).toEqual([]);
  });

  it('keeps a long name in the running footer clear of the line under it: a 100-character name wraps onto its own line', async () => {
    const summary: HandoffSummary = {
      ...fixture,
      patient: { ...fixture.patient, givenName: 'Kittiphong Wattanasiriwongsakul Phra-Sudthisakdi', familyName: 'สมศักดิ์ณอยุธยาวัฒนศิริวงศ์สกุลพระสุทธิศักดิ์ภักดีชัยมงคล' },
    };
    const { pdf, pages } = await renderText(summary, 'long-name');
    expect(pages.every((page) => page.includes('Confidential: shared with'))).toBe(true);
    expect(overlapsBetweenLines(drawnGlyphs(pdf), 1.5).map(([a, b]) => `${a.size} pt at y ${a.y} and ${b.size} pt at y ${b.y}`)).toEqual([]);
  });

  it('is deterministic: the same summary gives the same bytes', async () => {
    const [first, second] = await Promise.all([renderHandoffPdf(fixture, CLINIC), renderHandoffPdf(structuredClone(fixture), CLINIC)]);

    expect(first.equals(second)).toBe(true);
  });
});

describe('renderHandoffPdf: page 1 as the review of one whole stay read it', () => {
  const thai = { ...HANDOFF_FIXTURE.patient, givenName: 'มะลิ', familyName: 'ศรีสุข' };
  const noOverlaps = (pdf: Buffer) => overlapsBetweenLines(drawnGlyphs(pdf), 1.5).map(([a, b]) => `${a.size} pt at y ${a.y} and ${b.size} pt at y ${b.y}`);

  it('two opioids given at the same instant: the box names both, at that one time', async () => {
    const [er] = HANDOFF_FIXTURE.tapers;
    const tramadol = { drug: 'tramadol', formulation: 'IR', dose: 150, unit: 'mg', givenAt: '2027-03-14T01:00:00.000Z', onUntil: null, nextPatch: null };
    const summary: HandoffSummary = {
      ...HANDOFF_FIXTURE,
      patient: thai,
      tapers: [er!, { ...er!, orderId: 'tramadol', drug: 'tramadol', formulation: 'IR' }],
      lastOpioidDose: { ...HANDOFF_FIXTURE.lastOpioidDose!, alsoGivenThen: [tramadol] },
    };
    const { pdf, pages } = await renderText(summary, 'two-at-once');

    expect(pages[0]).toContain('LAST OPIOID DOSES GIVEN (AT THE SAME TIME) Oxycodone ER 17.5 mg and Tramadol IR 150 mg, given together, on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00)');
    expect(pages[0]).toContain('มะลิ ศรีสุข');
    expect(noOverlaps(pdf)).toEqual([]);
  });

  it('a patch and a tablet at the same instant: the patch sentence says whose it is', async () => {
    const patch = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 25, unit: 'mcg/h', givenAt: '2027-03-14T01:00:00.000Z', onUntil: '2027-03-17T01:00:00.000Z', nextPatch: { dueAt: '2027-03-17T01:00:00.000Z', dose: 12 } };
    const { pages } = await renderText({ ...HANDOFF_FIXTURE, lastOpioidDose: { ...HANDOFF_FIXTURE.lastOpioidDose!, alsoGivenThen: [patch] } });

    expect(pages[0]).toContain('Oxycodone ER 17.5 mg and Fentanyl TRANSDERMAL 25 mcg/h patch applied, given together, on 14 Mar 2027 at 08:00');
    expect(pages[0]).toContain("Fentanyl: The patch is still on at discharge: worn 72 hours, it comes off on 17 Mar 2027 at 08:00. Next patch due then: 12 mcg/h, by the taper's schedule; not before.");
  });

  it('buprenorphine still taken beside an oxycodone stopped (stay C): the risk and the headline name it with its doses, never 0 MME alone', async () => {
    const message =
      'Opioid tolerance is now much lower than at intake (45 MME/day then, 0 MME/day at discharge from the opioids counted in MME; ' +
      'buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge, still taken (no MME factor, so not in the MME figures)). A return to the old dose can cause fatal overdose.';
    const bup = { ...HANDOFF_FIXTURE.intake.opioids[0]!, drug: 'buprenorphine', formulation: 'IR', dose: 2, timesPerDay: 3, dailyDose: 6, dailyMme: null };
    const oxy = { ...HANDOFF_FIXTURE.intake.opioids[0]!, drug: 'oxycodone', formulation: 'IR', dose: 10, timesPerDay: 3, dailyDose: 30, dailyMme: 45 };
    const summary: HandoffSummary = {
      ...HANDOFF_FIXTURE,
      patient: thai,
      intake: { ...HANDOFF_FIXTURE.intake, opioids: [bup, oxy], totalDailyMme: 45 },
      mme: { ...HANDOFF_FIXTURE.mme, atIntake: 45, atDischarge: 0, notCounted: [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 4 }] },
      risks: [{ code: 'TOLERANCE_LOST', message }, ...HANDOFF_FIXTURE.risks.slice(1)],
    };
    const { pdf, pages } = await renderText(summary, 'buprenorphine-continues');

    expect(pages[0]).toContain(message);
    expect(pages[0]).toContain('Total daily MME: 45 at intake, 0 at discharge (down 100%); not counted (no MME factor): Buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge, still taken');
    expect(noOverlaps(pdf)).toEqual([]);
  });

  it('an intake opioid whose order was stopped before its first dose: page 1 says so, with the stop and why, never "never ordered"', async () => {
    const [er, ir] = HANDOFF_FIXTURE.intake.opioids;
    const order = { from: '2027-01-06', reason: 'Oversedation on the ER alone.' };
    const text = 'Stopped at admission: its taper order was stopped before its first dose (from 2027-01-06: Oversedation on the ER alone), so none was given by the clinic since 2027-01-04. Tolerance to it is lost: do not restart it at the intake dose (10 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';
    const summary: HandoffSummary = {
      ...HANDOFF_FIXTURE,
      patient: thai,
      intake: { ...HANDOFF_FIXTURE.intake, opioids: [er!, { ...ir!, orderedDuringStay: false, stoppedAtAdmission: { on: HANDOFF_FIXTURE.stay.admittedOn, text, orderStoppedBeforeFirstDose: order } }] },
      tapers: [{ ...HANDOFF_FIXTURE.tapers[0]!, rotation: null }],
    };
    const { pdf, pages, text: all } = await renderText(summary, 'order-stopped-before-first-dose');

    expect(pages[0]).toContain('Oxycodone IR 5 mg x 2/day (10 mg/day, 15 MME), stopped at admission (its order stopped before its first dose, none given).');
    expect(all).toContain('STOPPED DURING THE STAY • Oxycodone IR 5 mg x 2/day (10 mg/day, 15 MME), stopped at admission (4 Jan 2027): its taper order was stopped before its first dose (from 6 Jan 2027: Oversedation on the ER alone), so none was given by the clinic; tolerance to it is lost');
    expect(all).toContain('Oxycodone IR (15 MME at intake) had its order stopped before its first dose, so none was given by the clinic; counted on the admission day only');
    expect(all).toContain('Oxycodone IR was stopped at admission: its taper order was stopped before its first dose (from 6 Jan 2027: Oversedation on the ER alone)');
    expect(all).not.toContain('never ordered');
    expect(noOverlaps(pdf)).toEqual([]);
  });
});
