import { describe, expect, it } from '@jest/globals';
import { computeMme, type OpioidRegimen } from '../../clinical/mme.js';
import { scoreDsm5 } from '../../clinical/dsm5.js';
import type { AdmissionEntity } from '../admissions/index.js';
import type { AssessmentEntity } from '../intake/index.js';
import type { PainMedicationEntity } from '../pain-plan/index.js';
import type { PatientEntity } from '../patients/index.js';
import type { TaperOrderEntity, TaperStepEntity } from '../taper-orders/index.js';
import type { DischargeEntity, ShareConsentEntity } from '../aftercare/index.js';
import { buildHandoffSummary, type HandoffSources } from './handoff-builder.js';

/**
 * What the handoff says the patient took (domain.md §11: "tolerance is now lower, so a return to
 * the old dose can be fatal"): nothing is given in the clinic without an order, so an intake
 * opioid no order of the stay covered was stopped at admission. It counts on the admission day
 * only and never at discharge, and the handoff says so in words.
 */
const ADMITTED_ON = '2027-01-04';

type Line = Pick<OpioidRegimen, 'drug' | 'formulation' | 'dose' | 'unit' | 'timesPerDay' | 'asNeeded'>;
const ER: Line = { drug: 'oxycodone', formulation: 'ER', dose: 20, unit: 'mg', timesPerDay: 2 }; // 40 mg, 60 MME
const IR: Line = { drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 2 }; // 20 mg, 30 MME

function assessment(lines: Line[]): AssessmentEntity {
  const opioids = lines.map((l) => ({ ...l, monthsOnTherapy: 24, prescribed: true }));
  const mme = computeMme(opioids);
  const dsm5 = scoreDsm5({ tolerance: true, withdrawal: true } as Parameters<typeof scoreDsm5>[0], true, opioids);
  return {
    input: { assessedOn: '2027-01-03', opioids, pain: { condition: 'CHRONIC_BACK', score: 7 }, medical: { benzodiazepineUse: false } },
    createdAt: new Date('2027-01-03T03:00:00Z'),
    correctionReason: null,
    mmeLines: mme.lines,
    totalDailyMme: mme.totalDailyMme,
    factorTable: 'CDC2022',
    longActing: mme.longActing,
    classification: dsm5.classification,
    dsm5Result: dsm5,
    hyperalgesiaSuspected: false,
  } as unknown as AssessmentEntity;
}

/** A signed order (one version) of `line`'s product with its steps, [startsOn, dailyDose] each. */
function order(line: Line, steps: [string, number][], extra: Partial<TaperOrderEntity> = {}): { version: TaperOrderEntity; steps: TaperStepEntity[] } {
  const id = `v-${line.drug}-${line.formulation}-${steps[0]![0]}`;
  const factor = line.drug === 'morphine' ? 1 : line.drug === 'buprenorphine' ? null : 1.5;
  const version = {
    id,
    orderId: `o-${id}`,
    version: 1,
    status: 'ACTIVE',
    drug: line.drug,
    formulation: line.formulation,
    unit: line.unit,
    startDate: steps[0]![0],
    targetDailyDose: 0,
    basis: 'START',
    reductionPercent: 10,
    intervalDays: 7,
    discontinued: false,
    endsOn: '9999-12-31',
    effectiveFrom: null,
    amendmentReason: null,
    replacesDrug: null,
    replacesFormulation: null,
    rotationReason: null,
    crossTaper: false,
    overrideReason: null,
    lifeThreateningReason: null,
    warnings: [],
    pauses: [],
    signedAt: new Date(`${ADMITTED_ON}T03:00:00Z`),
    ...extra,
  } as unknown as TaperOrderEntity;
  return { version, steps: steps.map(([startsOn, dailyDose], i) => ({ versionId: id, step: i + 1, startsOn, dailyDose, dailyMme: factor === null ? null : dailyDose * factor }) as TaperStepEntity) };
}

function sources(lines: Line[], dischargedOn: string, orders: ReturnType<typeof order>[] = [], medications: Partial<PainMedicationEntity>[] = []): HandoffSources {
  return {
    generatedAt: new Date(`${dischargedOn}T08:00:00Z`),
    timeZone: 'Asia/Bangkok',
    clinic: { name: 'Lanna Clinic', address: [], phone: '+66 53 000 123', email: '' },
    admission: { id: 'a1', admittedOn: ADMITTED_ON, dischargedOn, pathway: 'ONSITE_TAPER', viaPartnerHospital: false } as AdmissionEntity & { dischargedOn: string },
    patient: { id: 'p1', hn: 42, givenName: 'สมชาย', familyName: 'ใจดี', dateOfBirth: '1970-01-01', sex: 'male' } as unknown as PatientEntity,
    discharge: { prescriberName: 'Dr Weber', prescriberPractice: null, prescriberPhone: null, prescriberEmail: null } as DischargeEntity,
    consent: { recordedOn: dischargedOn } as ShareConsentEntity,
    assessment: assessment(lines),
    taperVersions: orders.map((o) => o.version),
    taperSteps: orders.flatMap((o) => o.steps),
    administrations: [],
    observations: [],
    medications: medications.map((m) => ({ status: 'ACTIVE', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL', dailyDose: 900, indication: null, createdAt: new Date(`${ADMITTED_ON}T03:00:00Z`), overrideReason: null, overridden: [], ...m }) as PainMedicationEntity),
    asNeededOrders: [],
    therapies: [],
    checkIns: [],
  };
}

const codes = (summary: ReturnType<typeof buildHandoffSummary>): string[] => summary.risks.map((r) => r.code);

describe('buildHandoffSummary: an intake opioid never ordered during the stay', () => {
  // ER tapered from the admission day (40 → 35 mg on 01-08); the IR never ordered.
  const erTaper = () => order(ER, [['2027-01-04', 40], ['2027-01-08', 35]]);

  it('is stopped at admission: in the MME on the admission day only, never after it nor at discharge', () => {
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper()]));

    expect(summary.mme.daily).toEqual([
      { date: '2027-01-04', mme: 90 }, // the day the patient arrived on both
      { date: '2027-01-05', mme: 60 },
      { date: '2027-01-06', mme: 60 },
      { date: '2027-01-07', mme: 60 },
      { date: '2027-01-08', mme: 52.5 },
      { date: '2027-01-09', mme: 52.5 },
      { date: '2027-01-10', mme: 52.5 },
    ]);
    // The taper's start is what was ordered that day, not the IR the patient arrived on.
    expect(summary.mme).toMatchObject({ atIntake: 90, atTaperStart: 60, atDischarge: 52.5 });
  });

  it('says so beside orderedDuringStay: stopped on the admission day, none given since, tolerance lost, not to restart at the intake dose', () => {
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper()]));

    expect(summary.intake.opioids.map((o) => [o.formulation, o.orderedDuringStay, o.stoppedAtAdmission])).toEqual([
      ['ER', true, null],
      [
        'IR',
        false,
        {
          on: ADMITTED_ON,
          text:
            'Stopped at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: ' +
            'do not restart it at the intake dose (20 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.',
          orderStoppedBeforeFirstDose: null,
        },
      ],
    ]);
    expect(summary.risks.filter((r) => r.code === 'STOPPED_AT_ADMISSION')).toEqual([
      {
        code: 'STOPPED_AT_ADMISSION',
        message:
          'Oxycodone IR was stopped at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: ' +
          'do not restart it at the intake dose (20 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.',
      },
    ]);
    expect(codes(summary).slice(0, 4)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE', 'STOPPED_AT_ADMISSION']);
    expect(summary.risks[0]!.message).toBe('Opioid tolerance is now much lower than at intake (90 MME/day then, 52.5 MME/day at discharge). A return to the old dose can cause fatal overdose.');
  });

  it('a stay that ends on the admission day counts it nowhere: the only day is the day of discharge', () => {
    const summary = buildHandoffSummary(sources([IR], ADMITTED_ON));

    expect(summary.mme).toMatchObject({ atIntake: 30, atTaperStart: null, atDischarge: 0, daily: [{ date: ADMITTED_ON, mme: 0 }] });
    expect(summary.risks[0]!.message).toContain('(30 MME/day then, 0 MME/day at discharge)');
    expect(codes(summary)).toContain('STOPPED_AT_ADMISSION');
  });

  it('with no order at all, the MME falls to 0 the day after admission', () => {
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-06'));

    expect(summary.mme.daily.map((d) => d.mme)).toEqual([90, 0, 0]);
    expect(summary.intake.opioids.every((o) => o.stoppedAtAdmission?.on === ADMITTED_ON)).toBe(true);
    expect(codes(summary).filter((c) => c === 'STOPPED_AT_ADMISSION')).toHaveLength(2);
  });

  it('a product taken both scheduled and as needed is one product stopped: one risk, at its whole intake dose', () => {
    const prn: Line = { ...IR, dose: 5, timesPerDay: 4, asNeeded: true }; // up to 20 mg more
    const summary = buildHandoffSummary(sources([ER, IR, prn], '2027-01-10', [erTaper()]));

    expect(summary.intake.opioids.map((o) => o.stoppedAtAdmission?.on ?? null)).toEqual([null, ADMITTED_ON, ADMITTED_ON]);
    expect(summary.risks.filter((r) => r.code === 'STOPPED_AT_ADMISSION').map((r) => r.message)).toEqual([expect.stringContaining('do not restart it at the intake dose (40 mg/day)')]);
    expect(summary.mme.daily.slice(0, 2).map((d) => d.mme)).toEqual([120, 60]);
  });

  it('buprenorphine never ordered is named as stopped, never as "not reduced", and never as 0 MME', () => {
    const bup: Line = { drug: 'buprenorphine', formulation: 'IR', dose: 4, unit: 'mg', timesPerDay: 2 };
    const summary = buildHandoffSummary(sources([bup], '2027-01-10'));

    expect(summary.risks[0]!.message).toBe('Opioid tolerance is now lower than at intake (buprenorphine IR 8 mg/day at intake, stopped at admission). A return to the old dose can cause fatal overdose.');
    expect(summary.risks.find((r) => r.code === 'STOPPED_AT_ADMISSION')?.message).toContain('Buprenorphine IR was stopped at admission');
  });

  it('no longer counts as an opioid in use beside a gabapentinoid; a taper still in force does', () => {
    const gabapentin = [{ drug: 'gabapentin' }];
    expect(codes(buildHandoffSummary(sources([IR], '2027-01-10', [], gabapentin)))).not.toContain('GABAPENTINOID_WITH_OPIOID');
    expect(codes(buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper()], gabapentin)))).toContain('GABAPENTINOID_WITH_OPIOID');
  });

  it('an intake product ordered later, or replaced by a rotation, was ordered: counted at its intake dose until its order starts, never "stopped at admission"', () => {
    const later = order(IR, [['2027-01-06', 15]]);
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-07', [erTaper(), later]));
    expect(summary.mme.daily.map((d) => d.mme)).toEqual([90, 90, 82.5, 82.5]);
    expect(summary.intake.opioids.map((o) => o.stoppedAtAdmission)).toEqual([null, null]);
    expect(codes(summary)).not.toContain('STOPPED_AT_ADMISSION');

    const morphine: Line = { drug: 'morphine', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 2 };
    const rotation = order(morphine, [['2027-01-06', 20]], { replacesDrug: 'oxycodone', replacesFormulation: 'IR', rotationReason: 'Itching' });
    const rotated = buildHandoffSummary(sources([ER, IR], '2027-01-07', [erTaper(), rotation]));
    expect(rotated.intake.opioids.map((o) => o.orderedDuringStay)).toEqual([true, true]);
    expect(rotated.mme.daily.map((d) => d.mme)).toEqual([90, 90, 80, 80]);
  });
});

describe('buildHandoffSummary: an opioid without an MME factor still taken at discharge', () => {
  // Stay C of the review: buprenorphine IR 2 mg x 3 and oxycodone IR 10 mg x 3 (45 MME); the oxycodone stopped, the buprenorphine down to 4 mg/day.
  const BUP: Line = { drug: 'buprenorphine', formulation: 'IR', dose: 2, unit: 'mg', timesPerDay: 3 };
  const OXY: Line = { ...IR, timesPerDay: 3 };

  it('lists it beside the MME (mme.notCounted: at intake and at discharge) and the first risk names it: 0 MME/day is not opioid-free', () => {
    const bup = order(BUP, [['2027-01-04', 6], ['2027-01-08', 4]]);
    const oxy = order(OXY, [['2027-01-04', 30], ['2027-01-08', 0]], { discontinued: true, endsOn: '2027-01-08', amendmentReason: 'Oversedation' });
    const summary = buildHandoffSummary(sources([BUP, OXY], '2027-01-10', [bup, oxy]));

    expect(summary.mme).toMatchObject({ atIntake: 45, atDischarge: 0, notCounted: [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 4 }] });
    expect(summary.risks[0]!.message).toBe(
      'Opioid tolerance is now much lower than at intake (45 MME/day then, 0 MME/day at discharge from the opioids counted in MME; ' +
        'buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge, still taken (no MME factor, so not in the MME figures)). A return to the old dose can cause fatal overdose.',
    );
  });

  it('at 0 once its own taper stopped, and at 0 when it was never ordered; none without such an opioid', () => {
    const bupStopped = order(BUP, [['2027-01-04', 6], ['2027-01-08', 0]], { discontinued: true, endsOn: '2027-01-08', amendmentReason: 'Switched' });
    expect(buildHandoffSummary(sources([BUP, OXY], '2027-01-10', [bupStopped, order(OXY, [['2027-01-04', 30]])])).mme.notCounted).toEqual([{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 0 }]);
    expect(buildHandoffSummary(sources([BUP, OXY], '2027-01-10', [order(OXY, [['2027-01-04', 30]])])).mme.notCounted).toEqual([{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 0 }]);
    expect(buildHandoffSummary(sources([OXY], '2027-01-10', [order(OXY, [['2027-01-04', 30]])])).mme.notCounted).toEqual([]);
  });
});

describe('buildHandoffSummary: a taper order stopped before its first dose', () => {
  // The ER tapered from the admission day; an IR order signed to start on 01-08 and stopped from 01-06, before its first dose.
  const erTaper = () => order(ER, [['2027-01-04', 40], ['2027-01-08', 35]]);
  const REASON = 'Oversedation on the ER alone: the IR is not needed.';
  const irStopped = () => order(IR, [['2027-01-06', 0]], { discontinued: true, endsOn: '2027-01-06', amendmentReason: REASON, startDate: '2027-01-08' });
  const TEXT =
    'Stopped at admission: its taper order was stopped before its first dose (from 2027-01-06: Oversedation on the ER alone: the IR is not needed), so none was given by the clinic since 2027-01-04. ' +
    'Tolerance to it is lost: do not restart it at the intake dose (20 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';

  it('is treated as never ordered: stopped at admission with the stop and why, counted on the admission day only', () => {
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper(), irStopped()]));

    expect(summary.tapers.map((t) => t.formulation)).toEqual(['ER']);
    expect(summary.intake.opioids[1]?.orderedDuringStay).toBe(false);
    expect(summary.intake.opioids[1]?.stoppedAtAdmission).toEqual({ on: ADMITTED_ON, text: TEXT, orderStoppedBeforeFirstDose: { from: '2027-01-06', reason: REASON } });
    // As for a product never ordered: 90 on the admission day, then the ER alone (the IR's intake dose no longer counts until its stop).
    expect(summary.mme.daily.map((d) => d.mme)).toEqual([90, 60, 60, 60, 52.5, 52.5, 52.5]);
    expect(summary.risks.find((r) => r.code === 'STOPPED_AT_ADMISSION')?.message).toBe(`Oxycodone IR was stopped at admission: ${TEXT.slice('Stopped at admission: '.length)}`);
    expect(summary.risks[0]!.message).toContain('(90 MME/day then, 52.5 MME/day at discharge)');
  });

  it('unless a rotation replaced it: then the product was ordered (the rotation gave its replacement)', () => {
    const morphine: Line = { drug: 'morphine', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 2 };
    const rotation = order(morphine, [['2027-01-06', 20]], { replacesDrug: 'oxycodone', replacesFormulation: 'IR', rotationReason: 'Itching' });
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper(), irStopped(), rotation]));

    expect(summary.intake.opioids.map((o) => [o.orderedDuringStay, o.stoppedAtAdmission])).toEqual([[true, null], [true, null]]);
    expect(codes(summary)).not.toContain('STOPPED_AT_ADMISSION');
  });

  it('a second order of the product that did start covers it', () => {
    const later = order(IR, [['2027-01-07', 15]]);
    const summary = buildHandoffSummary(sources([ER, IR], '2027-01-10', [erTaper(), irStopped(), { ...later, version: { ...later.version, orderId: 'o-second' } as TaperOrderEntity }]));

    expect(summary.intake.opioids[1]).toMatchObject({ orderedDuringStay: true, stoppedAtAdmission: null });
  });
});
