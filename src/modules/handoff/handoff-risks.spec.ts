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
        opioids: [{ drug: 'buprenorphine', formulation: 'TRANSDERMAL', dose: 10, unit: 'mcg/h', timesPerDay: 1, dailyDose: 10, dailyMme: null, monthsOnTherapy: 20, prescribed: true }],
        totalDailyMme: 0,
      },
      tapers: [],
      mme: { ...HANDOFF_FIXTURE.mme, atIntake: 0, atTaperStart: null, atDischarge: 0 },
    };
    expect(codes(onBuprenorphine)).toContain('GABAPENTINOID_WITH_OPIOID');
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
