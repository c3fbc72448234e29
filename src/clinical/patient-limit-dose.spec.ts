import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';
import type { OverriddenRefusal } from './override-coverage.js';
import { checkMedicationOrder, NO_RISK_FACTORS, PAIN_DRUGS, patientDrugLimit, riskFactorsOf, type PatientRiskFactors, type RiskFactor } from './pain-plan.js';
import { checkDoseWithinPatientLimit, patientLimitNotice, roomUnderPatientLimit } from './patient-limit-dose.js';

const patientWith = (...factors: RiskFactor[]): PatientRiskFactors => ({ ...NO_RISK_FACTORS, ...Object.fromEntries(factors.map((f) => [f, true])) });
const limitOf = (drug: string, patient: PatientRiskFactors, creatinineClearance: number | null = null, overridden: OverriddenRefusal[] = [], dailyDose = 0) =>
  patientDrugLimit(drug, patient, { creatinineClearance }, { dailyDose, overridden })!;
const weighed = (code: string, finding: OverriddenRefusal['finding']): OverriddenRefusal => ({ code, message: 'as ordered', finding });
const given = (dose: number, outcome = 'GIVEN') => ({ outcome, dose, date: '2027-01-10' });

describe('patientDrugLimit: the limit an order of the drug is checked against, for the patient as recorded now', () => {
  it('gabapentin follows the kidney row (domain.md §9), with the clearance named', () => {
    expect(limitOf('gabapentin', NO_RISK_FACTORS)).toMatchObject({ maxDaily: 3600, code: 'MAX_DAILY_DOSE_EXCEEDED', loweredBy: null, ruledOut: [] });
    expect(limitOf('gabapentin', NO_RISK_FACTORS, 60).maxDaily).toBe(3600);
    expect(limitOf('gabapentin', NO_RISK_FACTORS, 59).maxDaily).toBe(1400);
    expect(limitOf('gabapentin', NO_RISK_FACTORS, 25)).toMatchObject({ maxDaily: 700, code: 'RENAL_DOSE_EXCEEDED', loweredBy: 'a creatinine clearance of 15–29 mL/min (25 mL/min recorded)' });
    expect(limitOf('pregabalin', NO_RISK_FACTORS, 14).maxDaily).toBe(75);
    // Renal impairment without a clearance: the 30–59 row.
    expect(limitOf('pregabalin', patientWith('renalImpairment'))).toMatchObject({ maxDaily: 300, loweredBy: 'a creatinine clearance of 30–59 mL/min (renal impairment recorded without a clearance)' });
  });

  it('paracetamol 2000 mg and celecoxib halved with hepatic impairment; paracetamol also with heavy alcohol use', () => {
    expect(limitOf('paracetamol', patientWith('hepaticImpairment'))).toMatchObject({ maxDaily: 2000, code: 'MAX_DAILY_DOSE_EXCEEDED', loweredBy: 'hepatic impairment' });
    expect(limitOf('paracetamol', patientWith('heavyAlcoholUse')).maxDaily).toBe(2000);
    expect(limitOf('celecoxib', patientWith('hepaticImpairment')).maxDaily).toBe(200);
    expect(limitOf('celecoxib', patientWith('heavyAlcoholUse')).maxDaily).toBe(400);
  });

  it('duloxetine is ruled out by hepatic impairment, heavy alcohol use or a clearance below 30; NSAIDs by renal impairment', () => {
    expect(limitOf('duloxetine', patientWith('hepaticImpairment')).ruledOut.map((r) => r.code)).toEqual(['HEPATIC_CONTRAINDICATED']);
    expect(limitOf('duloxetine', NO_RISK_FACTORS, 29).ruledOut.map((r) => r.code)).toEqual(['CONTRAINDICATED']);
    expect(limitOf('duloxetine', NO_RISK_FACTORS, 30).ruledOut).toEqual([]);
    expect(limitOf('ibuprofen', NO_RISK_FACTORS, 45).ruledOut.map((r) => r.code)).toEqual(['NSAID_CONTRAINDICATED']);
  });

  it('a refusal the order was written past with a reason does not bind while the reason covers the finding; the override band holds at its top', () => {
    expect(limitOf('duloxetine', patientWith('hepaticImpairment'), null, [weighed('HEPATIC_CONTRAINDICATED', { factors: ['hepaticImpairment'] })]).ruledOut).toEqual([]);
    expect(limitOf('gabapentin', NO_RISK_FACTORS, 25, [weighed('RENAL_DOSE_EXCEEDED', { limit: 700 })])).toMatchObject({ maxDaily: 3600, code: 'MAX_DAILY_DOSE_EXCEEDED' });
    expect(limitOf('ibuprofen', NO_RISK_FACTORS, null, [weighed('MAX_DAILY_DOSE_EXCEEDED', { limit: 2400 })]).maxDaily).toBe(3200);
    expect(limitOf('ibuprofen', NO_RISK_FACTORS).maxDaily).toBe(2400);
  });

  it('a worse or further finding of the same code binds, and says what the reason was given for', () => {
    const renal = limitOf('gabapentin', NO_RISK_FACTORS, 10, [weighed('RENAL_DOSE_EXCEEDED', { limit: 1400 })], 1800);
    expect(renal).toMatchObject({ maxDaily: 300, code: 'RENAL_DOSE_EXCEEDED', overrideNote: ' The override reason on the order was given for a limit of 1400 mg/day, not for this.' });
    expect(patientLimitNotice(renal, 1800)?.reason).toMatch(/300 mg\/day with a creatinine clearance of below 15 mL\/min \(10 mL\/min recorded\), below the 1800 mg\/day ordered: .*review\. The override reason .* 1400 mg\/day/);
    const nsaid = limitOf('ibuprofen', patientWith('anticoagulants', 'renalImpairment'), 20, [weighed('NSAID_CONTRAINDICATED', { factors: ['anticoagulants'] })]);
    expect(nsaid.ruledOut).toEqual([expect.objectContaining({ code: 'NSAID_CONTRAINDICATED', message: expect.stringMatching(/renal impairment and anticoagulant use: .*given for anticoagulant use, not for this\.$/) })]);
    const duloxetine = limitOf('duloxetine', patientWith('heavyAlcoholUse', 'hepaticImpairment'), null, [weighed('HEPATIC_CONTRAINDICATED', { factors: ['heavyAlcoholUse'] })]);
    expect(duloxetine.ruledOut.map((r) => r.code)).toEqual(['HEPATIC_CONTRAINDICATED']);
  });

  it('is undefined for a drug outside the pain plan (a comfort medicine)', () => {
    expect(patientDrugLimit('clonidine', NO_RISK_FACTORS, {})).toBeUndefined();
  });

  it('agrees with the order check at every drug, risk factor and clearance: the limit passes, a thousandth more is refused', () => {
    const factors = Object.keys(NO_RISK_FACTORS) as RiskFactor[];
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(PAIN_DRUGS).filter((d) => PAIN_DRUGS[d].unit === 'mg')), fc.subarray(factors), fc.option(fc.integer({ min: 0, max: 150 })), (drug, found, clearance) => {
        const patient = patientWith(...found);
        const limit = limitOf(drug, patient, clearance);
        const order = (daily: number) => checkMedicationOrder({ drug, dose: daily, unit: 'mg', timesPerDay: 1, route: 'ORAL' }, patient, [], { creatinineClearance: clearance });
        const dayCodes = (daily: number) => order(daily).refusals.map((r) => r.code).filter((c) => c === 'MAX_DAILY_DOSE_EXCEEDED' || c === 'RENAL_DOSE_EXCEEDED');
        expect(dayCodes(limit.maxDaily)).toEqual([]);
        expect(dayCodes(limit.maxDaily + 0.001)).toContain(limit.code);
        expect(limit.ruledOut.map((r) => r.code)).toEqual(
          order(1).refusals.filter((r) => ['CONTRAINDICATED', 'HEPATIC_CONTRAINDICATED', 'NSAID_CONTRAINDICATED'].includes(r.code)).map((r) => r.code),
        );
      }),
    );
  });

  it('riskFactorsOf reads the intake answers, an absent one as no', () => {
    expect(riskFactorsOf({ hepaticImpairment: true, renalImpairment: false })).toEqual(patientWith('hepaticImpairment'));
  });
});

describe('checkDoseWithinPatientLimit', () => {
  const gabapentin25 = limitOf('gabapentin', NO_RISK_FACTORS, 25);

  it('gabapentin at a clearance of 25: 100 mg after 600 fits the 700 mg limit, 100.001 mg is refused naming the clearance and the review', () => {
    expect(() => checkDoseWithinPatientLimit(given(100), gabapentin25, 900, [300, 300])).not.toThrow();
    const error = ruleErrorOf(() => checkDoseWithinPatientLimit(given(100.001), gabapentin25, 900, [300, 300]));
    expect(error.code).toBe('RENAL_DOSE_EXCEEDED');
    expect(error.message).toBe(
      "2027-01-10: 600 mg of gabapentin already given and the patient's limit is 700 mg/day with a creatinine clearance of 15–29 mL/min (25 mL/min recorded); " +
        "100.001 mg more is too much (at most 100 mg now). The patient's limit of gabapentin is 700 mg/day with a creatinine clearance of 15–29 mL/min " +
        "(25 mL/min recorded), below the 900 mg/day ordered: the order needs the psychiatrist's review. Record the dose as held with the reason, and ask the psychiatrist to review the order.",
    );
  });

  it('a drug ruled out is refused with its own code; held, refused and omitted are always recordable', () => {
    const duloxetine = limitOf('duloxetine', patientWith('hepaticImpairment'));
    const error = ruleErrorOf(() => checkDoseWithinPatientLimit(given(30), duloxetine, 60, []));
    expect(error.code).toBe('HEPATIC_CONTRAINDICATED');
    expect(error.message).toContain('hepatic impairment');
    expect(error.message).toContain('review the order');
    for (const outcome of ['HELD', 'REFUSED', 'OMITTED']) {
      expect(() => checkDoseWithinPatientLimit(given(30, outcome), duloxetine, 60, [])).not.toThrow();
      expect(() => checkDoseWithinPatientLimit(given(300, outcome), gabapentin25, 900, [700])).not.toThrow();
    }
  });

  it('room and notice: what the list shows is what the check accepts', () => {
    const paracetamol = limitOf('paracetamol', patientWith('hepaticImpairment'));
    expect(roomUnderPatientLimit(paracetamol, [1000])).toBe(1_000_000);
    expect(roomUnderPatientLimit(paracetamol, [1000, 1000, 500])).toBe(0);
    expect(roomUnderPatientLimit(limitOf('duloxetine', patientWith('hepaticImpairment')), [])).toBe(0);
    expect(patientLimitNotice(paracetamol, 4000)).toEqual({
      code: 'MAX_DAILY_DOSE_EXCEEDED',
      reason: "The patient's limit of paracetamol is 2000 mg/day with hepatic impairment, below the 4000 mg/day ordered: the order needs the psychiatrist's review.",
    });
    expect(patientLimitNotice(paracetamol, 2000)).toBeNull();
  });

  it('paracetamol beside a combination opioid taken: the order plus its paracetamol against the limit, as the order check counts it', () => {
    const paracetamol = limitOf('paracetamol', patientWith('hepaticImpairment'));
    const hydrocodone = [{ source: 'hydrocodone IR (combination product)', dailyMg: 1300 }];
    expect(patientLimitNotice(paracetamol, 700, hydrocodone)).toBeNull();
    expect(patientLimitNotice(paracetamol, 2000, hydrocodone)).toEqual({
      code: 'MAX_DAILY_DOSE_EXCEEDED',
      reason:
        "The patient's limit of paracetamol is 2000 mg/day with hepatic impairment, below the 2000 mg/day ordered with 1300 mg/day from hydrocodone IR " +
        "(combination product), 3300 mg/day in all: the order needs the psychiatrist's review.",
    });
    // Another drug never counts them.
    expect(patientLimitNotice(limitOf('gabapentin', NO_RISK_FACTORS, 25), 700, hydrocodone)).toBeNull();
  });
});
