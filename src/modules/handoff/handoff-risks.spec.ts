import { describe, expect, it } from '@jest/globals';
import { HANDOFF_FIXTURE } from '../../../test/support/handoff-fixture.js';
import { handoffRisks } from './handoff-risks.js';
import type { HandoffSummary } from './handoff-summary.js';

const NO_RISK_FACTORS = {
  cardiacDisease: false, respiratoryDisease: false, hepaticImpairment: false, renalImpairment: false, giBleedHistory: false, heartFailure: false,
  anticoagulants: false, pregnant: false, benzodiazepineUse: false, heavyAlcoholUse: false, seizureHistory: false, complicatedWithdrawalHistory: false,
};
const codes = (summary: HandoffSummary, benzodiazepineUse = false) => handoffRisks(summary, { ...NO_RISK_FACTORS, benzodiazepineUse }).map((r) => r.code);
const [taper] = HANDOFF_FIXTURE.tapers;

describe('handoffRisks', () => {
  it('always names lost tolerance, not restarting at the old dose and naloxone, first', () => {
    expect(codes(HANDOFF_FIXTURE).slice(0, 3)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE']);
  });

  it('warns of a gabapentinoid with an opioid that continues (taper unfinished)', () => {
    expect(codes(HANDOFF_FIXTURE)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE', 'TAPER_CONTINUES', 'GABAPENTINOID_WITH_OPIOID']);
  });

  it('does not, once the taper has reached zero', () => {
    const finished: HandoffSummary = {
      ...HANDOFF_FIXTURE,
      tapers: [{ ...taper, completed: true, remainingSteps: [], atDischarge: { since: '2027-03-10', dailyDose: 0, dailyMme: 0 } }],
      mme: { ...HANDOFF_FIXTURE.mme, atDischarge: 0 },
    };
    expect(codes(finished)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE']);
  });

  it('does for buprenorphine, which counts 0 MME but continues', () => {
    const onBuprenorphine: HandoffSummary = {
      ...HANDOFF_FIXTURE,
      intake: {
        ...HANDOFF_FIXTURE.intake,
        opioids: [{ drug: 'buprenorphine', formulation: 'TRANSDERMAL', dose: 10, unit: 'mcg/h', timesPerDay: 1, asNeeded: false, dailyDose: 10, dailyMme: null, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 20, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null }],
        totalDailyMme: 0,
      },
      tapers: [],
      mme: { ...HANDOFF_FIXTURE.mme, atIntake: 0, atTaperStart: null, atDischarge: 0 },
    };
    expect(codes(onBuprenorphine)).toContain('GABAPENTINOID_WITH_OPIOID');
  });

  describe('lost tolerance, worded as the doses went', () => {
    const tolerance = (summary: HandoffSummary) => handoffRisks(summary, NO_RISK_FACTORS).find((r) => r.code === 'TOLERANCE_LOST')?.message;
    /** Discharged on the taper's dose at `dailyDose` mg/day of oxycodone ER (1.5 MME a mg), after an intake of 50 mg/day (75 MME). */
    const dischargedAt = (dailyDose: number): HandoffSummary => ({
      ...HANDOFF_FIXTURE,
      intake: { ...HANDOFF_FIXTURE.intake, opioids: [{ drug: 'oxycodone', formulation: 'ER', dose: 25, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 50, dailyMme: 75, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 62, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null }] },
      tapers: [{ ...taper, rotation: null, atDischarge: { since: '2027-01-06', dailyDose, dailyMme: dailyDose * 1.5 } }],
      mme: { ...HANDOFF_FIXTURE.mme, atIntake: 75, atDischarge: dailyDose * 1.5 },
    });
    const NOT_REDUCED = 'but tolerance falls within days once doses are cut, missed or stopped: after any break, a return to this dose or a higher one can cause fatal overdose.';

    it('says tolerance is lower once the MME at discharge is below the intake (one 1 mg step: 73.5 against 75), much lower from a quarter down (56.25), not just above it', () => {
      expect(tolerance(dischargedAt(49))).toBe('Opioid tolerance is now lower than at intake (75 MME/day then, 73.5 MME/day at discharge). A return to the old dose can cause fatal overdose.');
      expect(tolerance(dischargedAt(37.5))).toBe('Opioid tolerance is now much lower than at intake (75 MME/day then, 56.25 MME/day at discharge). A return to the old dose can cause fatal overdose.');
      expect(tolerance(dischargedAt(38))).toMatch(/^Opioid tolerance is now lower than at intake \(75 MME\/day then, 57 MME/);
    });

    it('does not claim a fall when nothing was reduced before discharge, and still warns against the old dose or a higher one', () => {
      expect(tolerance(dischargedAt(50))).toBe(`The opioid dose was not reduced before discharge (75 MME/day at intake, 75 MME/day at discharge), ${NOT_REDUCED}`);
      // Above the intake (an order over it, with a reason): not reduced either.
      expect(tolerance(dischargedAt(52))).toBe(`The opioid dose was not reduced before discharge (75 MME/day at intake, 78 MME/day at discharge), ${NOT_REDUCED}`);
    });

    it('says lower for a cut of an opioid without MME (buprenorphine 10 to 5 mcg/h), and not reduced at the intake strength', () => {
      const patch = (strength: number): HandoffSummary => ({
        ...HANDOFF_FIXTURE,
        intake: {
          ...HANDOFF_FIXTURE.intake,
          opioids: [{ drug: 'buprenorphine', formulation: 'TRANSDERMAL', dose: 10, unit: 'mcg/h', timesPerDay: 1, asNeeded: false, dailyDose: 10, dailyMme: null, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 20, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null }],
          totalDailyMme: 0,
        },
        tapers: [{ ...taper, drug: 'buprenorphine', formulation: 'TRANSDERMAL', unit: 'mcg/h', rotation: null, start: { date: '2027-01-06', dailyDose: 10, dailyMme: null }, atDischarge: { since: '2027-03-10', dailyDose: strength, dailyMme: null } }],
        mme: { ...HANDOFF_FIXTURE.mme, atIntake: 0, atTaperStart: 0, atDischarge: 0, notCounted: [{ drug: 'buprenorphine', formulation: 'TRANSDERMAL', unit: 'mcg/h', atIntake: 10, atDischarge: strength }] },
      });

      expect(tolerance(patch(5))).toBe('Opioid tolerance is now lower than at intake (buprenorphine TRANSDERMAL 10 mcg/h at intake, 5 mcg/h at discharge). A return to the old dose can cause fatal overdose.');
      // Never "0 MME": buprenorphine has no MME factor, so its dose is told.
      expect(tolerance(patch(10))).toBe(`The opioid dose was not reduced before discharge (buprenorphine TRANSDERMAL 10 mcg/h at intake, 10 mcg/h at discharge), ${NOT_REDUCED}`);
    });

    describe('buprenorphine still taken beside an opioid counted in MME (stay C of the review: oxycodone IR 30 mg/day stopped, buprenorphine IR 6 to 4 mg/day)', () => {
      const BUP = { drug: 'buprenorphine', formulation: 'IR', dose: 2, unit: 'mg', timesPerDay: 3, asNeeded: false, dailyDose: 6, dailyMme: null, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 8, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null };
      const OXY = { ...BUP, drug: 'oxycodone', dose: 10, dailyDose: 30, dailyMme: 45 };
      /** Oxycodone at `oxycodone` mg/day and buprenorphine at `buprenorphine` mg/day at discharge. */
      const stayC = (oxycodone: number, buprenorphine: number): HandoffSummary => ({
        ...HANDOFF_FIXTURE,
        intake: { ...HANDOFF_FIXTURE.intake, opioids: [BUP, OXY], totalDailyMme: 45 },
        tapers: [
          { ...taper!, orderId: 'bup', drug: 'buprenorphine', formulation: 'IR', rotation: null, start: { date: '2026-11-20', dailyDose: 6, dailyMme: null }, atDischarge: { since: '2026-12-04', dailyDose: buprenorphine, dailyMme: null } },
          { ...taper!, orderId: 'oxy', drug: 'oxycodone', formulation: 'IR', rotation: null, start: { date: '2026-11-20', dailyDose: 30, dailyMme: 45 }, atDischarge: { since: '2026-12-08', dailyDose: oxycodone, dailyMme: oxycodone * 1.5 } },
        ],
        mme: { ...HANDOFF_FIXTURE.mme, atIntake: 45, atDischarge: oxycodone * 1.5, notCounted: [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: buprenorphine }] },
      });

      it('names it with its doses beside the MME figures: 0 MME/day never stands alone as if no opioid continued', () => {
        expect(tolerance(stayC(0, 4))).toBe(
          'Opioid tolerance is now much lower than at intake (45 MME/day then, 0 MME/day at discharge from the opioids counted in MME; ' +
            'buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge, still taken (no MME factor, so not in the MME figures)). A return to the old dose can cause fatal overdose.',
        );
      });

      it('says "much" only when the buprenorphine fell by a quarter too (6 to 5 mg is a sixth), and names it when its dose did not change', () => {
        expect(tolerance(stayC(0, 5))).toMatch(/^Opioid tolerance is now lower than at intake \(45 MME\/day then, 0 MME\/day at discharge from the opioids counted in MME; buprenorphine IR 6 mg\/day at intake, 5 mg\/day at discharge, still taken/);
        expect(tolerance(stayC(0, 6))).toContain('buprenorphine IR 6 mg/day at intake, 6 mg/day at discharge, still taken (no MME factor, so not in the MME figures)');
      });

      it('names it when nothing was reduced either', () => {
        expect(tolerance(stayC(30, 6))).toBe(
          'The opioid dose was not reduced before discharge (45 MME/day at intake, 45 MME/day at discharge; buprenorphine IR 6 mg/day at intake, 6 mg/day at discharge, still taken (no MME factor, so not in the MME figures)), ' +
            NOT_REDUCED,
        );
      });

      it('a buprenorphine stopped by discharge is not "still taken": the MME figures alone, as before', () => {
        expect(tolerance(stayC(0, 0))).toBe('Opioid tolerance is now much lower than at intake (45 MME/day then, 0 MME/day at discharge). A return to the old dose can cause fatal overdose.');
      });
    });

    it('keeps the code and its place among the first three whatever the wording', () => {
      expect(codes(dischargedAt(50)).slice(0, 3)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE']);
    });
  });

  it('names each unfinished taper by drug and formulation, so two products of one drug are told apart', () => {
    const two: HandoffSummary = { ...HANDOFF_FIXTURE, tapers: [taper!, { ...taper!, orderId: 'ir', formulation: 'IR' }] };
    const continues = handoffRisks(two, NO_RISK_FACTORS).find((r) => r.code === 'TAPER_CONTINUES');
    expect(continues?.message).toContain('The taper is not finished (oxycodone ER, oxycodone IR): please continue');
  });

  it('adds benzodiazepines when reported at intake', () => {
    expect(codes(HANDOFF_FIXTURE, true)).toContain('BENZODIAZEPINES');
  });
});
