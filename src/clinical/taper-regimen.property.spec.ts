import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClinicalRuleError } from './clinical-error.js';
import { CDC2022, type OpioidRegimen } from './mme.js';
import {
  addDays,
  amendTaper,
  checkMmeInForce,
  checkOrderAgainstRegimen,
  daysBetween,
  generateTaper,
  intakeRegimenOf,
  type IntakeRegimen,
  type OrderInForce,
  type Product,
  type TaperParams,
  type TaperPause,
  type TaperStep,
} from './taper.js';

/** Tablet products with their strengths (halves allowed): the quantum is half the smallest. */
const PRODUCTS: { drug: string; formulation: 'IR' | 'ER'; strengths: number[] }[] = [
  { drug: 'oxycodone', formulation: 'IR', strengths: [5, 10] },
  { drug: 'oxycodone', formulation: 'ER', strengths: [10, 20] },
  { drug: 'morphine', formulation: 'IR', strengths: [5, 10, 30] },
  { drug: 'morphine', formulation: 'ER', strengths: [10, 30] },
  { drug: 'hydromorphone', formulation: 'IR', strengths: [2, 4] },
  { drug: 'hydrocodone', formulation: 'IR', strengths: [5, 10] },
  { drug: 'tramadol', formulation: 'IR', strengths: [50] },
  { drug: 'methadone', formulation: 'IR', strengths: [5, 10] },
];
const ADMITTED = '2027-01-04';
const quantumOf = (p: (typeof PRODUCTS)[number]): number => Math.min(...p.strengths) / 2;
const factorOf = (drug: string): number => CDC2022.factors[drug][0].factor;
const same = (a: Product, b: Product): boolean => a.drug === b.drug && a.formulation === b.formulation;

const intakeArb = fc.uniqueArray(fc.integer({ min: 0, max: PRODUCTS.length - 1 }), { minLength: 1, maxLength: 3 }).chain((indexes) =>
  fc.tuple(...indexes.map((i) => fc.record({ i: fc.constant(i), units: fc.integer({ min: 2, max: 24 }), times: fc.integer({ min: 1, max: 4 }) }))),
);

const actionArb = fc.record({
  kind: fc.constantFrom('order', 'order', 'rotation', 'amend'),
  pick: fc.nat(),
  /** The start dose as a share of the intake dose (or of the replaced MME): above 1 tries a refusal. */
  share: fc.double({ min: 0.5, max: 1.4, noNaN: true }),
  startOffset: fc.integer({ min: -5, max: 90 }),
  percent: fc.integer({ min: 100, max: 1000 }).map((h) => h / 100),
  interval: fc.integer({ min: 7, max: 28 }),
  basis: fc.constantFrom('START' as const, 'CURRENT' as const),
  pauseDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  todayShare: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  /** A rotation given beside the product it replaces; otherwise that product's order stops on the rotation's first day. */
  crossTaper: fc.boolean(),
});
type Action = typeof actionArb extends fc.Arbitrary<infer T> ? T : never;

interface Order extends OrderInForce {
  params: TaperParams;
  steps: TaperStep[];
  pauses: TaperPause[];
  crossTaper?: boolean;
}

const achievable = (dose: number, quantum: number): number => Math.max(quantum, Math.round(dose / quantum) * quantum);

function paramsFor(product: (typeof PRODUCTS)[number], startDailyDose: number, a: Action): TaperParams {
  return {
    drug: product.drug,
    formulation: product.formulation,
    startDailyDose,
    unitStrengths: product.strengths,
    allowHalfTablets: true,
    reductionPercent: a.percent,
    intervalDays: a.interval,
    basis: a.basis,
    startDate: addDays(ADMITTED, a.startOffset),
    targetDailyDose: 0,
  };
}

/** A new order (of an intake product, or a rotation replacing one), as the service would try it. */
function tryOrder(a: Action, intake: IntakeRegimen, inForce: Order[]): Order | null {
  const replaced = intake.products[a.pick % intake.products.length];
  const candidates = a.kind === 'rotation' ? PRODUCTS.filter((p) => !intake.products.some((i) => same(i, p))) : PRODUCTS.filter((p) => same(p, replaced));
  if (candidates.length === 0) return null;
  const product = candidates[a.pick % candidates.length];
  const wanted = a.kind === 'rotation' ? ((replaced.dailyMme ?? 0) / factorOf(product.drug)) * a.share : replaced.dailyDose * a.share;
  const params = paramsFor(product, achievable(wanted, quantumOf(product)), a);
  const rotation = a.kind === 'rotation' ? { replaces: { drug: replaced.drug, formulation: replaced.formulation }, rotationReason: 'Rotation reviewed', crossTaper: a.crossTaper } : {};
  const steps = generateTaper(params).steps;
  checkOrderAgainstRegimen({ order: { params, steps, ...rotation }, intake, ordersInForce: inForce, stay: { admittedOn: ADMITTED } });
  return { drug: product.drug, formulation: product.formulation, params, steps, pauses: [], label: `order ${inForce.length + 1}`, ...rotation };
}

/** An amendment of an order in force, checked against the total as the service must. */
function tryAmend(a: Action, intake: IntakeRegimen, inForce: Order[]): Order[] | null {
  const open = inForce.filter((o) => !o.endsOn);
  if (open.length === 0) return null;
  const target = open[a.pick % open.length];
  const span = daysBetween(target.params.startDate, target.steps[target.steps.length - 1].startsOn);
  const today = addDays(target.params.startDate, Math.floor(a.todayShare * span));
  const change = a.pauseDays ? { pauseDays: a.pauseDays } : { reductionPercent: a.percent, intervalDays: a.interval };
  const amended = amendTaper(target, { effectiveFrom: today, ...change }, today);
  const next = inForce.map((o) => (o === target ? { ...o, params: amended.params, steps: amended.steps, pauses: amended.pauses } : o));
  checkMmeInForce({ intake, orders: next, from: today, stay: { admittedOn: ADMITTED }, field: 'pauseDays' });
  return next;
}

/** What the patient takes on a day, worked out again independently: per intake product, then rotations. */
function oracleTotal(date: string, intake: IntakeRegimen, orders: Order[]): number {
  const inForce = orders.filter((o) => o.steps[0].startsOn <= date && (!o.endsOn || date < o.endsOn));
  const doseOf = (o: Order): number => o.steps.filter((s) => s.startsOn <= date).pop()!.dailyDose;
  const mmeOf = (drug: string, dose: number): number => Math.round(dose * 1000) * Math.round(factorOf(drug) * 100);
  let total = 0;
  for (const p of intake.products) {
    const own = inForce.filter((o) => same(o, p));
    if (own.length > 0) total += own.reduce((sum, o) => sum + mmeOf(o.drug, doseOf(o)), 0);
    else if (!inForce.some((o) => o.replaces && same(o.replaces, p))) total += mmeOf(p.drug, p.dailyDose);
  }
  for (const o of inForce.filter((o) => !intake.products.some((p) => same(o, p)))) total += mmeOf(o.drug, doseOf(o));
  return total; // in 1/100 000 MME
}

describe('orders against the regimen (properties)', () => {
  it('for random regimens, orders, rotations and amendments accepted without an override, no day exceeds the intake total', () => {
    let accepted = 0;
    fc.assert(
      fc.property(intakeArb, fc.array(actionArb, { minLength: 1, maxLength: 6 }), (lines, actions) => {
        // dose × timesPerDay = units × quantum; kept only where the dose has at most 3 decimals.
        const regimen = lines
          .map(({ i, units, times }): OpioidRegimen => {
            const p = PRODUCTS[i];
            return { drug: p.drug, formulation: p.formulation, dose: (units * quantumOf(p)) / times, unit: 'mg', timesPerDay: times };
          })
          .filter((r) => Math.abs(r.dose * 1000 - Math.round(r.dose * 1000)) < 1e-6);
        fc.pre(regimen.length > 0);
        const intake = intakeRegimenOf(regimen);
        let orders: Order[] = [];
        for (const a of actions) {
          try {
            if (a.kind === 'amend') {
              const next = tryAmend(a, intake, orders);
              if (!next) continue;
              orders = next;
            } else {
              const added = tryOrder(a, intake, orders);
              if (!added) continue;
              // The service would refuse a second active order of the product, and signing a rotation that is not a
              // cross-taper stops the replaced product's order: the old one ends where the new starts.
              const standsAside = (o: Order): boolean => same(o, added) || (!!added.replaces && !added.crossTaper && same(o, added.replaces));
              orders = [...orders.map((o) => (standsAside(o) && !o.endsOn ? { ...o, endsOn: added.params.startDate } : o)), added];
            }
            accepted += 1;
          } catch (error) {
            if (!(error instanceof ClinicalRuleError)) throw error;
          }
        }
        const limit = Math.round(intake.totalDailyMme * 100_000);
        const days = new Set([ADMITTED, ...orders.flatMap((o) => [...o.steps.map((s) => s.startsOn), ...(o.endsOn ? [o.endsOn] : [])])]);
        for (const day of days) expect(oracleTotal(day, intake, orders)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(400);
  });
});

describe('one rotation of a product at a time (property)', () => {
  const OXYCODONE_IR: Product = { drug: 'oxycodone', formulation: 'IR' };
  const intake = intakeRegimenOf([{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 6 }]);

  it('a second rotation of a product is refused on replaces exactly when it is not a cross-taper and the first still gives a dose on or after its start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 45 }), fc.boolean(), (firstStart, daysGiven, secondStart, crossTaper) => {
        // The first rotation gives 20 mg from its start for `daysGiven` days (0: stopped before its first dose), then 0.
        const from = addDays(ADMITTED, firstStart);
        const steps = daysGiven === 0 ? [{ startsOn: from, dailyDose: 0 }] : [{ startsOn: from, dailyDose: 20 }, { startsOn: addDays(from, daysGiven), dailyDose: 0 }];
        const first: OrderInForce = { drug: 'morphine', formulation: 'IR', label: 'first rotation', replaces: OXYCODONE_IR, crossTaper: false, steps };
        const params: TaperParams = {
          drug: 'hydromorphone', formulation: 'IR', unit: 'mg', startDailyDose: 4, unitStrengths: [2], allowHalfTablets: true,
          reductionPercent: 10, intervalDays: 7, basis: 'START', startDate: addDays(ADMITTED, secondStart), targetDailyDose: 0,
        };
        const second = { params, steps: generateTaper(params).steps, replaces: OXYCODONE_IR, rotationReason: 'Second choice', crossTaper };
        let refusal: string | null = null;
        try {
          checkOrderAgainstRegimen({ order: second, intake, ordersInForce: [first], stay: { admittedOn: ADMITTED } });
        } catch (error) {
          refusal = error instanceof ClinicalRuleError ? `${error.code} on ${error.field}` : String(error);
        }
        const firstGivesFromSecondStart = daysGiven > 0 && firstStart + daysGiven - 1 >= secondStart;
        expect(refusal === 'REPLACED_BY_ROTATION on replaces').toBe(!crossTaper && firstGivesFromSecondStart);
      }),
      { numRuns: 400 },
    );
  });
});
