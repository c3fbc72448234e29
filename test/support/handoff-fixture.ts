/**
 * A realistic handoff summary for tests of every handoff format (JSON, PDF, FHIR): a 70-day
 * on-site oxycodone taper with three order versions (a 7-day pause after moderate withdrawal,
 * then a slower pace near the end), a pain plan with a stopped NSAID, and the aftercare
 * check-ins as they stand three weeks after discharge. The nurses' record gives every scheduled
 * dose but two: held on 2027-01-13 (drowsy the day after gabapentin was started) and refused on
 * 2027-02-27; the last dose was given on the morning of discharge. The taper steps are the ones
 * generateTaper/amendTaper produce for these orders, and painTrend is what painDoseTrend returns
 * for this MME series and these pain scores, and risks are what handoffRisks says for this stay,
 * so the figures agree with each other. The stay counts both the admission and discharge days.
 * Test data only: fictitious people, example.* e-mail domains, made-up phone numbers.
 */
import type { HandoffIntakeOpioid, HandoffSummary, HandoffTaperStep } from '../../src/modules/handoff/handoff-summary.js';

const ADMITTED_ON = '2027-01-04';
const DISCHARGED_ON = '2027-03-14';
/** Oxycodone factor, CDC 2022. */
const OXYCODONE_MME_PER_MG = 1.5;

const step = (n: number, startsOn: string, dailyDose: number): HandoffTaperStep => ({
  step: n,
  startsOn,
  dailyDose,
  dailyMme: dailyDose * OXYCODONE_MME_PER_MG,
});

const STEPS_TAKEN: HandoffTaperStep[] = [
  step(1, '2027-01-06', 50),
  step(2, '2027-01-13', 45),
  step(3, '2027-01-20', 40),
  // Version 2: 7-day pause from 2027-01-27, so 35 mg came a week later than first planned.
  step(4, '2027-02-03', 35),
  step(5, '2027-02-10', 30),
  step(6, '2027-02-17', 25),
  // Version 3 from 2027-02-24: 5% of the starting dose a week.
  step(7, '2027-02-24', 22.5),
  step(8, '2027-03-03', 20),
  step(9, '2027-03-10', 17.5),
];

const REMAINING_STEPS: HandoffTaperStep[] = [
  step(10, '2027-03-17', 15),
  // Below 30% of the start the cut is 5% of the current dose, under one half tablet (2.5 mg):
  // each step cuts 2.5 mg and waits longer (INTERVAL_STRETCHED).
  step(11, '2027-04-10', 12.5),
  step(12, '2027-05-08', 10),
  step(13, '2027-06-12', 7.5),
  step(14, '2027-07-29', 5),
  step(15, '2027-10-07', 2.5),
  step(16, '2027-10-14', 0),
];

/** Intake regimen (ER 20 mg twice a day + IR 5 mg twice a day = 75 MME) until the taper starts. */
const INTAKE_MME = 75;

/** Total daily MME of every day from admission to discharge, both included. */
function dailyMmeOfStay(): { date: string; mme: number }[] {
  const days: { date: string; mme: number }[] = [];
  const day = new Date(`${ADMITTED_ON}T00:00:00Z`);
  const last = new Date(`${DISCHARGED_ON}T00:00:00Z`);
  for (; day <= last; day.setUTCDate(day.getUTCDate() + 1)) {
    const date = day.toISOString().slice(0, 10);
    const inForce = STEPS_TAKEN.filter((s) => s.startsOn <= date).at(-1);
    days.push({ date, mme: inForce?.dailyMme ?? INTAKE_MME });
  }
  return days;
}

/** 09:00 in Chiang Mai (UTC+7), so the clinic date and the UTC date agree. */
const at = (date: string, time = '02:00'): string => `${date}T${time}:00.000Z`;

const PAIN_SCORES: [string, number][] = [
  ['2027-01-04', 7], ['2027-01-05', 8], ['2027-01-07', 7], ['2027-01-09', 7],
  ['2027-01-12', 7], ['2027-01-16', 6], ['2027-01-19', 7], ['2027-01-23', 6],
  ['2027-01-26', 7], ['2027-01-30', 6], ['2027-02-02', 6], ['2027-02-06', 5],
  ['2027-02-09', 6], ['2027-02-13', 5], ['2027-02-16', 5], ['2027-02-20', 5],
  ['2027-02-23', 4], ['2027-02-27', 4], ['2027-03-02', 5], ['2027-03-06', 4],
  ['2027-03-09', 4], ['2027-03-12', 3], ['2027-03-14', 4],
];

const cows = (date: string, score: number, band: 'NONE' | 'MILD' | 'MODERATE') => ({ recordedAt: at(date, '01:30'), score, band });

const COWS_READINGS = [
  cows('2027-01-04', 3, 'NONE'),
  cows('2027-01-07', 6, 'MILD'),
  cows('2027-01-14', 7, 'MILD'),
  cows('2027-01-21', 9, 'MILD'),
  cows('2027-01-24', 11, 'MILD'),
  cows('2027-01-26', 14, 'MODERATE'),
  cows('2027-01-29', 8, 'MILD'),
  cows('2027-02-02', 4, 'NONE'),
  cows('2027-02-04', 6, 'MILD'),
  cows('2027-02-11', 5, 'MILD'),
  cows('2027-02-18', 8, 'MILD'),
  cows('2027-02-22', 9, 'MILD'),
  cows('2027-02-25', 6, 'MILD'),
  cows('2027-03-04', 4, 'NONE'),
  cows('2027-03-11', 5, 'MILD'),
  cows('2027-03-14', 3, 'NONE'),
];

const PAUSE_REASON =
  'COWS 14 (moderate withdrawal) on 2027-01-26 with broken sleep after the step to 40 mg; 40 mg a day held for 7 days.';
const SLOWER_REASON =
  'Low mood and broken sleep after the step to 25 mg; psychiatrist and patient agreed on a slower pace of 2.5 mg a week.';

/**
 * An intake opioid taken as needed from a combination product (domain.md §3): hydrocodone 5 mg +
 * paracetamol 325 mg, up to 4 a day, so at most 20 mg (20 MME) and 1,300 mg of paracetamol a day.
 */
export const HYDROCODONE_AS_NEEDED: HandoffIntakeOpioid = {
  drug: 'hydrocodone',
  formulation: 'IR',
  dose: 5,
  unit: 'mg',
  timesPerDay: 4,
  asNeeded: true,
  dailyDose: 20,
  dailyMme: 20,
  paracetamolPerUnitMg: 325,
  paracetamolDailyMg: 1300,
  monthsOnTherapy: 14,
  prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null,
};

export const HANDOFF_FIXTURE: HandoffSummary = {
  generatedAt: '2027-04-06T02:30:00.000Z',
  clinic: {
    name: 'Lanna Residential Taper Clinic',
    address: ['88 Huay Kaew Road', 'Suthep, Mueang Chiang Mai', 'Chiang Mai 50200', 'Thailand'],
    phone: '+66 53 000 123',
    email: 'aftercare@lanna-clinic.example',
    contact: 'tel +66 53 000 123, aftercare@lanna-clinic.example',
  },
  recipient: {
    name: 'Dr Jonathan Pierce',
    practice: 'Riverside Family Practice, Leeds',
    phone: '+44 113 496 0731',
    email: 'jonathan.pierce@riverside-practice.example',
  },
  consent: { recordedOn: DISCHARGED_ON },
  patient: {
    id: '6f1c2a9e-3b7d-4c5e-9a10-2d4e6f8a0b1c',
    hn: 'HN-004217',
    givenName: 'Margaret',
    familyName: 'Holloway',
    dateOfBirth: '1971-08-23',
    sex: 'female',
  },
  stay: {
    admissionId: 'b2e4d6f8-1a3c-4e5f-8b7d-9c0e1f2a3b4c',
    admittedOn: ADMITTED_ON,
    dischargedOn: DISCHARGED_ON,
    days: 70,
    pathway: 'ONSITE_TAPER',
    viaPartnerHospital: false,
  },
  // 08:00 in Chiang Mai on the day of discharge.
  lastOpioidDose: { drug: 'oxycodone', formulation: 'ER', dose: 17.5, unit: 'mg', givenAt: '2027-03-14T01:00:00.000Z', onUntil: null, nextPatch: null, alsoGivenThen: [] },
  intake: {
    assessedOn: '2026-12-14',
    correctionReason: null,
    opioids: [
      { drug: 'oxycodone', formulation: 'ER', dose: 20, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 40, dailyMme: 60, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 62, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null },
      { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 10, dailyMme: 15, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 30, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null },
    ],
    totalDailyMme: INTAKE_MME,
    factorTable: 'CDC2022',
    longActing: true,
    classification: 'PHYSICAL_DEPENDENCE',
    classificationText:
      'Physical dependence: tolerance and/or withdrawal, an expected effect of long-term opioid treatment. ' +
      'This is not an opioid use disorder (1 of 11 DSM-5 criteria counted; tolerance and withdrawal not counted ' +
      'because the opioids were taken as prescribed under medical supervision; a use disorder needs at least 2).',
    dsm5: { criteriaMet: 3, criteriaCounted: 1, excluded: ['tolerance', 'withdrawal'], severity: 'NONE' },
    pain: { condition: 'Chronic low back pain with left L5 radicular pain after L4–L5 discectomy (2019)', score: 7 },
    hyperalgesiaSuspected: true,
  },
  tapers: [
    {
      orderId: '0d3f5a7c-9e1b-4d2f-a6c8-e0f2a4b6c8d0',
      drug: 'oxycodone',
      formulation: 'ER',
      unit: 'mg',
      start: { date: '2027-01-06', dailyDose: 50, dailyMme: 75 },
      atDischarge: { since: '2027-03-10', dailyDose: 17.5, dailyMme: 26.25 },
      completed: false,
      discontinued: null,
      targetDailyDose: 0,
      basis: 'START',
      reductionPercent: 5,
      intervalDays: 7,
      versions: [
        { version: 1, signedOn: '2027-01-05', effectiveFrom: '2027-01-06', reason: null, reductionPercent: 10, intervalDays: 7 },
        { version: 2, signedOn: '2027-01-26', effectiveFrom: '2027-01-27', reason: PAUSE_REASON, reductionPercent: 10, intervalDays: 7 },
        { version: 3, signedOn: '2027-02-23', effectiveFrom: '2027-02-24', reason: SLOWER_REASON, reductionPercent: 5, intervalDays: 7 },
      ],
      pauses: [{ from: '2027-01-27', days: 7, reason: PAUSE_REASON }],
      rotation: { replaces: { drug: 'oxycodone', formulation: 'IR' }, reason: 'IR doses folded into the ER taper' },
      overrideReason: null,
      lifeThreateningReason: null,
      warnings: [
        {
          code: 'ROTATION_CROSS_TOLERANCE',
          message: 'Rotation from oxycodone IR to oxycodone ER: cross-tolerance is incomplete, so start lower than the MME suggests and watch for sedation.',
        },
      ],
      stepsTaken: STEPS_TAKEN,
      remainingSteps: REMAINING_STEPS,
      // From the first step (2027-01-06) to discharge (2027-03-14): 68 days, all but two given,
      // each run the step in force (the 7-day pause held 40 mg, 2027-01-20 to 2027-02-02).
      scheduledDays: 68,
      daysGiven: 66,
      dosesGiven: [
        { dailyDose: 50, firstDay: '2027-01-06', lastDay: '2027-01-12', days: 7, partial: false },
        { dailyDose: 45, firstDay: '2027-01-14', lastDay: '2027-01-19', days: 6, partial: false },
        { dailyDose: 40, firstDay: '2027-01-20', lastDay: '2027-02-02', days: 14, partial: false },
        { dailyDose: 35, firstDay: '2027-02-03', lastDay: '2027-02-09', days: 7, partial: false },
        { dailyDose: 30, firstDay: '2027-02-10', lastDay: '2027-02-16', days: 7, partial: false },
        { dailyDose: 25, firstDay: '2027-02-17', lastDay: '2027-02-23', days: 7, partial: false },
        { dailyDose: 22.5, firstDay: '2027-02-24', lastDay: '2027-02-26', days: 3, partial: false },
        { dailyDose: 22.5, firstDay: '2027-02-28', lastDay: '2027-03-02', days: 3, partial: false },
        { dailyDose: 20, firstDay: '2027-03-03', lastDay: '2027-03-09', days: 7, partial: false },
        { dailyDose: 17.5, firstDay: '2027-03-10', lastDay: '2027-03-14', days: 5, partial: false },
      ],
      daysHeld: ['2027-01-13'],
      daysRefused: ['2027-02-27'],
      daysOmitted: [],
      daysNotRecorded: [],
      adherence: 'Given on 66 of 68 scheduled days; held on 1 (2027-01-13), refused on 1 (2027-02-27).',
      lastGiven: { dose: 17.5, givenAt: '2027-03-14T01:00:00.000Z', onUntil: null },
    },
  ],
  mme: { atIntake: INTAKE_MME, atTaperStart: 75, atDischarge: 26.25, daily: dailyMmeOfStay(), notCounted: [] },
  painPlan: {
    active: [
      { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', dailyDose: 3000, indication: 'Low back pain', startedOn: '2027-01-05', override: null },
      { drug: 'gabapentin', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL', dailyDose: 900, indication: 'Left L5 radicular (neuropathic) pain', startedOn: '2027-01-12', override: null },
    ],
    stopped: [
      {
        drug: 'ibuprofen',
        dailyDose: 1200,
        unit: 'mg',
        startedOn: '2027-01-05',
        stoppedOn: '2027-02-01',
        reason: 'Epigastric pain and dyspepsia after four weeks; stopped to protect the stomach (no sign of bleeding).',
      },
    ],
    asNeeded: [
      {
        drug: 'clonidine', dose: 0.075, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 3, maxDailyDose: 0.225,
        indication: 'Sweating and restlessness of withdrawal', cowsThreshold: 8, startedOn: '2027-01-06', stoppedOn: null, stopReason: null, override: null,
      },
      {
        drug: 'loperamide', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 4, maxDailyDose: 8,
        indication: 'Diarrhoea of withdrawal', cowsThreshold: null, startedOn: '2027-01-06', stoppedOn: '2027-02-10', stopReason: 'No loose stools for a week.', override: null,
      },
    ],
    therapies: [
      { type: 'PHYSIOTHERAPY', frequency: '3 times a week', notes: 'Core stabilisation and graded walking (now 40 minutes); continue with a local physiotherapist.' },
      { type: 'CBT', frequency: 'weekly', notes: 'CBT for chronic pain, 9 sessions in the clinic; continuing by video with the same therapist.' },
      { type: 'SLEEP', frequency: 'nightly', notes: 'Fixed wake time at 07:00, no daytime naps, no screens after 22:00.' },
    ],
  },
  cows: {
    readings: COWS_READINGS,
    highest: COWS_READINGS[5],
    last: COWS_READINGS[COWS_READINGS.length - 1],
  },
  painScores: PAIN_SCORES.map(([date, score]) => ({ recordedAt: at(date), score })),
  painTrend: {
    finding: 'HYPERALGESIA_LIKELY_CONTRIBUTED',
    rankCorrelation: 0.95,
    pairedDays: 23,
    firstWeek: { from: '2027-01-04', to: '2027-01-10', meanPain: 7.25, meanMme: 75, scores: 4 },
    lastWeek: { from: '2027-03-08', to: '2027-03-14', meanPain: 3.67, meanMme: 27.32, scores: 3 },
    text:
      'Pain fell from a mean of 7.25 in the first week to 3.67 in the last while the daily dose fell from 75 to 27.32 MME ' +
      '(rank correlation 0.95). Opioid-induced hyperalgesia likely contributed to the pain; this is a finding to weigh, not a diagnosis.',
  },
  // As handoffRisks words them for this stay (no benzodiazepines at intake).
  risks: [
    {
      code: 'TOLERANCE_LOST',
      message:
        'Opioid tolerance is now much lower than at intake (75 MME/day then, 26.25 MME/day at discharge). A return to the old dose can cause fatal overdose.',
    },
    {
      code: 'DO_NOT_RESTART_AT_OLD_DOSE',
      message:
        'Do not restart opioids at the pre-taper dose. If an opioid is needed again, start low, as for a patient who has not taken opioids, and increase slowly.',
    },
    { code: 'NALOXONE', message: 'Naloxone is recommended: prescribe it and make sure the patient and family know how to use it.' },
    {
      code: 'TAPER_CONTINUES',
      message: 'The taper is not finished (oxycodone ER): please continue the remaining steps listed below at the same pace or slower, never faster.',
    },
    {
      code: 'GABAPENTINOID_WITH_OPIOID',
      message: 'A gabapentinoid is prescribed while an opioid continues: together they can depress breathing (FDA, December 2019).',
    },
  ],
  aftercare: {
    checkIns: [
      { dueOn: '2027-03-21', status: 'DONE', notes: 'Video call: on 15 mg a day from 2027-03-17 as planned; pain 3/10; sleeping about 6 hours.' },
      { dueOn: '2027-03-28', status: 'MISSED', notes: 'No answer to two calls and an email; the patient replied on 2027-03-30 (travelling).' },
      { dueOn: '2027-04-04', status: 'DONE', notes: 'Phone call with patient and partner: naloxone kit at home; GP appointment booked for 2027-04-09.' },
      { dueOn: '2027-04-11', status: 'PLANNED', notes: null },
      { dueOn: '2027-04-18', status: 'PLANNED', notes: null },
      { dueOn: '2027-04-25', status: 'PLANNED', notes: null },
      { dueOn: '2027-05-02', status: 'PLANNED', notes: null },
      { dueOn: '2027-05-09', status: 'PLANNED', notes: null },
    ],
  },
};
