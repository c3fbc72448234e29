import { describe, expect, it } from '@jest/globals';
import { type ClinicalWarning } from './clinical-error.js';
import type { OpioidRegimen } from './mme.js';
import {
  amendTaper,
  checkMmeInForce,
  checkOrderAgainstRegimen,
  generateTaper,
  intakeRegimenOf,
  mmeInForceOn,
  type NewTaperOrder,
  type OrderInForce,
  type RegimenCheckInput,
  type TaperParams,
} from './taper.js';
import { API_EXAMPLE_ORDER } from '../../test/support/taper-example.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const tablets = (drug: string, dose: number, timesPerDay: number, extra: Partial<OpioidRegimen> = {}): OpioidRegimen => ({ drug, formulation: 'IR', dose, unit: 'mg', timesPerDay, ...extra });
/** Issue 13: oxycodone IR 10 mg six times a day, 60 mg/day, 90 MME. */
const oxycodoneIntake = intakeRegimenOf([tablets('oxycodone', 10, 6)]);
const stay = { admittedOn: '2027-01-04' };

/** An order as the service would check it: its params and the schedule generateTaper gives them. */
function order(params: Partial<TaperParams>, extra: Partial<NewTaperOrder> = {}): NewTaperOrder {
  const full = { ...API_EXAMPLE_ORDER, ...params };
  return { params: full, steps: generateTaper(full).steps, ...extra };
}
const check = (input: Partial<RegimenCheckInput> & { order: NewTaperOrder }): ClinicalWarning[] =>
  checkOrderAgainstRegimen({ intake: oxycodoneIntake, ordersInForce: [], stay, ...input });
const codes = (warnings: ClinicalWarning[]): string[] => warnings.map((w) => w.code);
const morphine = { drug: 'morphine', unitStrengths: [5, 10, 30], allowHalfTablets: true };
const rotation = { replaces: { drug: 'oxycodone', formulation: 'IR' as const }, rotationReason: 'Oxycodone no longer tolerated' };

describe('intakeRegimenOf', () => {
  it('sums the lines of one product (scheduled and as needed) and keeps the intake total', () => {
    const intake = intakeRegimenOf([tablets('oxycodone', 10, 2, { formulation: 'ER' }), tablets('Oxycodone', 5, 3), tablets('oxycodone', 5, 2, { asNeeded: true }), tablets('buprenorphine', 2, 1)]);
    expect(intake).toEqual({
      products: [
        { drug: 'oxycodone', formulation: 'ER', unit: 'mg', dailyDose: 20, dailyMme: 30 },
        { drug: 'oxycodone', formulation: 'IR', unit: 'mg', dailyDose: 25, dailyMme: 37.5 },
        { drug: 'buprenorphine', formulation: 'IR', unit: 'mg', dailyDose: 2, dailyMme: null },
      ],
      totalDailyMme: 67.5,
    });
  });
});

describe('the product must be in the intake regimen (NOT_IN_INTAKE_REGIMEN)', () => {
  it('morphine 200 mg/day for a patient on oxycodone is refused', () => {
    const error = ruleErrorOf(() => check({ order: order({ ...morphine, startDailyDose: 200 }) }));
    expect([error.code, error.field]).toEqual(['NOT_IN_INTAKE_REGIMEN', 'drug']);
    expect(error.message).toBe('morphine IR is not in the intake regimen (oxycodone IR); an opioid rotation names the product it replaces and a rotationReason.');
  });

  it('oxycodone ER is another product than the oxycodone IR of the intake', () => {
    expect(ruleErrorOf(() => check({ order: order({ formulation: 'ER' }) })).code).toBe('NOT_IN_INTAKE_REGIMEN');
  });

  it('a rotation needs its reason and an intake product to replace', () => {
    const noReason = ruleErrorOf(() => check({ order: order({ ...morphine, startDailyDose: 60 }, { replaces: rotation.replaces }) }));
    expect([noReason.code, noReason.field]).toEqual(['NOT_IN_INTAKE_REGIMEN', 'rotationReason']);
    const notInIntake = ruleErrorOf(() => check({ order: order({ ...morphine, startDailyDose: 60 }, { ...rotation, replaces: { drug: 'oxycodone', formulation: 'ER' } }) }));
    expect([notInIntake.code, notInIntake.field]).toEqual(['NOT_IN_INTAKE_REGIMEN', 'replaces']);
    const itself = ruleErrorOf(() => check({ order: order({}, rotation) }));
    expect([itself.code, itself.field]).toEqual(['INVALID_ROTATION', 'replaces']);
  });
});

describe('a rotation: start MME not above the replaced product (ROTATION_ABOVE_INTAKE_MME), always ROTATION_CROSS_TOLERANCE', () => {
  it('morphine 90 mg/day replacing oxycodone 60 mg/day (90 MME): accepted, with the cross-tolerance warning', () => {
    expect(check({ order: order({ ...morphine, startDailyDose: 90 }, rotation) })).toEqual([
      {
        code: 'ROTATION_CROSS_TOLERANCE',
        message: 'Rotation from oxycodone IR to morphine IR: cross-tolerance is incomplete, so start lower than the MME suggests and watch for sedation.',
      },
    ]);
  });

  it('87.5 mg accepted; 92.5 mg (92.5 MME) refused, not overridable', () => {
    expect(codes(check({ order: order({ ...morphine, startDailyDose: 87.5 }, rotation) }))).toEqual(['ROTATION_CROSS_TOLERANCE']);
    const error = ruleErrorOf(() => check({ order: order({ ...morphine, startDailyDose: 92.5, overrideReason: 'Reviewed' }, rotation) }));
    expect([error.code, error.field]).toEqual(['ROTATION_ABOVE_INTAKE_MME', 'startDailyDose']);
    expect(error.message).toBe('The rotation starts at 92.5 MME/day, above the 90 MME/day of what it replaces at intake. MME is not a conversion table: start lower.');
  });

  it('morphine 200 mg/day as a rotation is refused (290 MME/day was the result before)', () => {
    expect(ruleErrorOf(() => check({ order: order({ ...morphine, startDailyDose: 200 }, rotation) })).code).toBe('ROTATION_ABOVE_INTAKE_MME');
  });

  it('to or from buprenorphine the MME cannot be compared: warned, not refused', () => {
    const bup = { drug: 'buprenorphine', unitStrengths: [2], allowHalfTablets: true, startDailyDose: 8 };
    const full = { ...API_EXAMPLE_ORDER, ...bup };
    const warnings = checkOrderAgainstRegimen({ order: { params: full, steps: [{ startsOn: full.startDate, dailyDose: 8 }], ...rotation }, intake: oxycodoneIntake, ordersInForce: [], stay });
    expect(codes(warnings)).toEqual(['ROTATION_CROSS_TOLERANCE', 'ROTATION_MME_NOT_COMPARABLE']);
  });
});

describe('the start dose against the intake dose', () => {
  it('an oxycodone start of 120 mg/day, double the intake, is refused (ABOVE_INTAKE_DOSE)', () => {
    const error = ruleErrorOf(() => check({ order: order({ startDailyDose: 120 }) }));
    expect([error.code, error.field]).toEqual(['ABOVE_INTAKE_DOSE', 'startDailyDose']);
    expect(error.message).toBe('The start of 120 mg/day is above the intake dose of 60 mg/day of oxycodone IR. Give an override reason if the intake under-recorded it.');
  });

  it('60 (the intake dose) accepted; 62.5 refused; with an override both the dose and the MME total are warnings', () => {
    expect(check({ order: order({ startDailyDose: 60 }) })).toEqual([]);
    expect(ruleErrorOf(() => check({ order: order({ startDailyDose: 62.5 }) })).code).toBe('ABOVE_INTAKE_DOSE');
    const allowed = check({ order: order({ startDailyDose: 62.5, overrideReason: 'Intake under-recorded: 62.5 mg confirmed' }) });
    expect(codes(allowed)).toEqual(['ABOVE_INTAKE_DOSE', 'ABOVE_INTAKE_MME']);
    expect(allowed[1].message).toBe(
      'On 2027-01-04 the opioids in force would total 93.75 MME/day (oxycodone IR 62.5/day = 93.75 MME (this order)), above the intake total of 90 MME/day. Allowed with the recorded override reason.',
    );
  });

  it('a start below the intake dose is a first cut: 45 (25%) accepted, 47.5 accepted, 42.5 (29.17%) refused (LARGE_SINGLE_CUT)', () => {
    expect(check({ order: order({ startDailyDose: 45 }) })).toEqual([]);
    expect(check({ order: order({ startDailyDose: 47.5 }) })).toEqual([]);
    const error = ruleErrorOf(() => check({ order: order({ startDailyDose: 42.5 }) }));
    expect([error.code, error.field]).toEqual(['LARGE_SINGLE_CUT', 'startDailyDose']);
    expect(error.message).toBe(
      'Starting at 42.5 from the intake dose of 60 mg/day is a first cut of 29.17% on 2027-01-04, more than 25% of the previous dose at once ' +
        '(CDC 2022: no large cut from a higher dose): start nearer the intake dose, or give an override reason.',
    );
  });

  it('the first cut is allowed with a life-threatening or override reason (a warning), and one quantum is never too large', () => {
    expect(codes(check({ order: order({ startDailyDose: 30, lifeThreateningReason: 'Respiratory depression' }) }))).toEqual(['LARGE_SINGLE_CUT']);
    const small = intakeRegimenOf([tablets('oxycodone', 2.5, 2)]); // 5 mg/day; a start of 2.5 halves it, one half tablet
    expect(checkOrderAgainstRegimen({ order: order({ startDailyDose: 2.5 }), intake: small, ordersInForce: [], stay })).toEqual([]);
  });
});

describe('the start within the stay', () => {
  it('30 days before the admission is refused (START_BEFORE_ADMISSION); the admission day is accepted', () => {
    const error = ruleErrorOf(() => check({ order: order({ startDate: '2026-12-05' }) }));
    expect([error.code, error.field]).toEqual(['START_BEFORE_ADMISSION', 'startDate']);
    expect(ruleErrorOf(() => check({ order: order({ startDate: '2027-01-03' }) })).code).toBe('START_BEFORE_ADMISSION');
    expect(check({ order: order({ startDate: '2027-01-04' }) })).toEqual([]);
  });

  it('not after discharge (START_AFTER_DISCHARGE); the discharge day is accepted', () => {
    const discharged = { admittedOn: '2027-01-04', dischargedOn: '2027-03-01' };
    expect(check({ order: order({ startDate: '2027-03-01' }), stay: discharged })).toEqual([]);
    expect(ruleErrorOf(() => check({ order: order({ startDate: '2027-03-02' }), stay: discharged }))).toMatchObject({ code: 'START_AFTER_DISCHARGE', field: 'startDate' });
  });
});

describe('the total MME in force on every day (ABOVE_INTAKE_MME)', () => {
  /** Oxycodone IR 30 mg (45 MME) and morphine IR 45 mg (45 MME): 90 MME/day. */
  const twoProducts = intakeRegimenOf([tablets('oxycodone', 5, 6), tablets('morphine', 15, 3)]);
  /** An oxycodone order signed with an override at 32.5 mg (48.75 MME), above its intake dose. */
  const oxyOrder: OrderInForce = { drug: 'oxycodone', formulation: 'IR', label: 'oxycodone order', steps: generateTaper({ ...API_EXAMPLE_ORDER, startDailyDose: 32.5 }).steps };
  const morphineOrder = (startDailyDose: number): NewTaperOrder => order({ drug: 'morphine', unitStrengths: [2.5, 10], allowHalfTablets: true, startDailyDose });

  it('at exactly the intake total (48.75 + 41.25 = 90) accepted; 40 (88.75) accepted; 42.5 (91.25) refused', () => {
    const input = { intake: twoProducts, ordersInForce: [oxyOrder] };
    expect(check({ ...input, order: morphineOrder(41.25) })).toEqual([]);
    expect(check({ ...input, order: morphineOrder(40) })).toEqual([]);
    const error = ruleErrorOf(() => check({ ...input, order: morphineOrder(42.5) }));
    expect([error.code, error.field]).toEqual(['ABOVE_INTAKE_MME', 'startDailyDose']);
    expect(error.message).toBe(
      'On 2027-01-04 the opioids in force would total 91.25 MME/day (oxycodone IR 32.5/day = 48.75 MME (oxycodone order); morphine IR 42.5/day = 42.5 MME (this order)), ' +
        'above the intake total of 90 MME/day. Give an override reason if that is intended.',
    );
  });

  it('counts an intake product without an order at its intake dose', () => {
    // Morphine at 45 (its intake dose) beside oxycodone still at its intake 30 mg: 90 exactly.
    expect(check({ intake: twoProducts, order: morphineOrder(45) })).toEqual([]);
    expect(mmeInForceOn('2027-01-04', twoProducts, []).totalDailyMme).toBe(90);
  });

  it('finds a breach on a later day, not only on the first day of the new schedule', () => {
    // A rotation to hydromorphone replacing the morphine starts on 2027-02-01 at 9 mg (45 MME). A new
    // morphine order from 2027-01-04 at 45 mg is down to 30 mg then but still runs (a cross-taper
    // takes both): oxycodone 45 MME (intake) + hydromorphone 45 + morphine 30 = 120 MME/day. On
    // 2027-01-04 itself the total is 90.
    const hydromorphone: OrderInForce = {
      drug: 'hydromorphone',
      formulation: 'IR',
      label: 'hydromorphone rotation',
      replaces: { drug: 'morphine', formulation: 'IR' },
      crossTaper: true,
      steps: [{ startsOn: '2027-02-01', dailyDose: 9 }],
    };
    const error = ruleErrorOf(() => check({ intake: twoProducts, ordersInForce: [hydromorphone], order: morphineOrder(45) }));
    expect(error.code).toBe('ABOVE_INTAKE_MME');
    expect(error.message).toMatch(/^On 2027-02-01 the opioids in force would total 120 MME\/day \(oxycodone IR 30\/day = 45 MME \(intake\); hydromorphone IR 9\/day = 45 MME \(hydromorphone rotation\); morphine IR 30\/day = 30 MME \(this order\)\)/);
    expect(mmeInForceOn('2027-01-04', twoProducts, [hydromorphone]).totalDailyMme).toBe(90);
  });

  it('an order that has ended no longer counts; its product is back at the intake dose', () => {
    const ended: OrderInForce = { ...oxyOrder, endsOn: '2027-01-04' };
    expect(check({ intake: twoProducts, ordersInForce: [ended], order: morphineOrder(45) })).toEqual([]);
  });

  it('the new order stands in for its product: another order of the same product is not counted from its start', () => {
    const old: OrderInForce = { drug: 'oxycodone', formulation: 'IR', steps: [{ startsOn: '2027-01-04', dailyDose: 60 }] };
    expect(check({ ordersInForce: [old], order: order({ startDate: '2027-01-11', startDailyDose: 55 }) })).toEqual([]);
  });
});

describe('amendments are checked against the total too (checkMmeInForce)', () => {
  // Oxycodone tapered from 60 mg (issue-4 order) while a morphine rotation replacing it starts on
  // 2027-02-01 at 30 mg: a cross-taper. On 2027-02-01 oxycodone is at 40 mg (60 MME): 60 + 30 = 90.
  const oxycodone = { params: API_EXAMPLE_ORDER, steps: generateTaper(API_EXAMPLE_ORDER).steps, pauses: [] };
  const morphineParams = { ...API_EXAMPLE_ORDER, ...morphine, startDailyDose: 30, startDate: '2027-02-01' };
  const morphineOrder: OrderInForce = { drug: 'morphine', formulation: 'IR', label: 'morphine rotation', ...rotation, steps: generateTaper(morphineParams).steps };
  const asOrder = (steps: { startsOn: string; dailyDose: number }[]): OrderInForce => ({ drug: 'oxycodone', formulation: 'IR', label: 'oxycodone order', steps });

  it('the rotation itself was within the intake total', () => {
    expect(codes(check({ ordersInForce: [asOrder(oxycodone.steps)], order: { params: morphineParams, steps: morphineOrder.steps, ...rotation } }))).toEqual(['ROTATION_CROSS_TOLERANCE']);
  });

  it('pausing the oxycodone for 14 days from 2027-01-25 keeps 45 mg on 2027-02-01: 67.5 + 30 = 97.5, refused on pauseDays', () => {
    const paused = amendTaper(oxycodone, { effectiveFrom: '2027-01-25', pauseDays: 14 }, '2027-01-25');
    const input = { intake: oxycodoneIntake, orders: [asOrder(paused.steps), morphineOrder], from: '2027-01-25', stay, field: 'pauseDays' };
    const error = ruleErrorOf(() => checkMmeInForce(input));
    expect([error.code, error.field]).toEqual(['ABOVE_INTAKE_MME', 'pauseDays']);
    expect(error.message).toMatch(/^On 2027-02-01 the opioids in force would total 97\.5 MME\/day/);
    expect(codes(checkMmeInForce({ ...input, overrideReason: 'Withdrawal; reviewed' }))).toEqual(['ABOVE_INTAKE_MME']);
    expect(checkMmeInForce({ ...input, orders: [asOrder(oxycodone.steps), morphineOrder] })).toEqual([]);
  });
});

describe('a product a rotation replaces (not a cross-taper) is not ordered beside it (REPLACED_BY_ROTATION)', () => {
  const morphineRotation = (steps: { startsOn: string; dailyDose: number }[], crossTaper = false): OrderInForce => ({
    drug: 'morphine', formulation: 'IR', label: 'morphine rotation', replaces: { drug: 'oxycodone', formulation: 'IR' }, crossTaper, steps,
  });
  const oxycodone = order({ startDailyDose: 55 });

  it('refuses an order of the replaced product while the rotation gives a dose, from its start or later', () => {
    for (const steps of [[{ startsOn: '2027-01-09', dailyDose: 5 }], [{ startsOn: '2027-01-02', dailyDose: 5 }, { startsOn: '2027-02-20', dailyDose: 0 }]]) {
      const error = ruleErrorOf(() => check({ ordersInForce: [morphineRotation(steps)], order: oxycodone }));
      expect(error).toMatchObject({ code: 'REPLACED_BY_ROTATION', field: 'drug' });
      expect(error.message).toMatch(/^morphine IR replaces oxycodone IR .*Amend or stop the rotation first\.$/);
    }
  });

  it('lets it through beside a cross-taper, or once the rotation gives nothing from the order start (stopped before its first dose, or ended)', () => {
    expect(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-09', dailyDose: 5 }], true)], order: oxycodone })).not.toThrow();
    expect(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-05', dailyDose: 0 }])], order: oxycodone })).not.toThrow();
    // Its stop on the order's start day: nothing from then on (the day before, it still gives 5).
    expect(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-01', dailyDose: 5 }, { startsOn: '2027-01-04', dailyDose: 0 }])], order: oxycodone })).not.toThrow();
    expect(ruleErrorOf(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-01', dailyDose: 5 }, { startsOn: '2027-01-05', dailyDose: 0 }])], order: oxycodone })).code).toBe('REPLACED_BY_ROTATION');
  });

  it('one rotation of a product at a time: a second one (not a cross-taper) is refused on replaces while the first gives a dose; as a cross-taper, or once the first gives nothing, it is not', () => {
    const hydromorphone = (crossTaper = false) =>
      order({ drug: 'hydromorphone', startDailyDose: 8, unitStrengths: [2], allowHalfTablets: false }, { replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Second choice', crossTaper });
    const error = ruleErrorOf(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-09', dailyDose: 20 }])], order: hydromorphone() }));
    expect(error).toMatchObject({ code: 'REPLACED_BY_ROTATION', field: 'replaces' });
    expect(error.message).toMatch(/^morphine IR already replaces oxycodone IR .* a second rotation of it would give both\. Rotate morphine IR itself/);
    expect(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-09', dailyDose: 0 }])], order: hydromorphone() })).not.toThrow(expect.objectContaining({ code: 'REPLACED_BY_ROTATION' }));
    expect(() => check({ ordersInForce: [morphineRotation([{ startsOn: '2027-01-09', dailyDose: 20 }])], order: hydromorphone(true) })).not.toThrow(expect.objectContaining({ code: 'REPLACED_BY_ROTATION' }));
  });
});
