/**
 * Dispensing reconciled with the orders (domain.md §10): stock is handed out only for a product
 * (drug + formulation) an order in force uses, and the patient's stock of it, what is on hand and
 * what is handed out now, is at most a few days of what that product's orders need. Amounts are
 * in the drug's unit (mg, or a patch's mcg/h), exact in thousandths.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { addDays, dayNumberOf, LAST_DAY } from './calendar-dates.js';
import { doseTakenOn, type VersionSchedule } from './taper-day.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

/** domain.md §10 default: at most this many days of need dispensed at a time. */
export const DEFAULT_SUPPLY_DAYS = 7;

/** An order in force that uses the product dispensed. */
export type SupplyOrder =
  /**
   * `wearHours`: a patch worn that long (patchWearHours), so one is needed every few days, not every day.
   * `unitStrengths`/`allowHalfTablets`: what the order's doses are made of (checkDispensedUnits).
   */
  | { kind: 'TAPER'; label: string; schedule: VersionSchedule; wearHours?: number | null; unitStrengths?: readonly number[]; allowHalfTablets?: boolean }
  | { kind: 'PAIN_PLAN'; label: string; dailyDose: number }
  | { kind: 'AS_NEEDED'; label: string; dose: number; maxDosesPerDay: number };

const t = (value: number): number => thousandthsOrNull(value) ?? 0;

/** What the orders need from `from` for `days` days: the scheduled taper doses (a patch each time one comes off), the daily dose, or the as-needed most. */
export function supplyNeed(orders: readonly SupplyOrder[], from: string, requestedDays: number = DEFAULT_SUPPLY_DAYS): number {
  // The calendar ends on 9999-12-31: a window reaching past it has fewer days, not an error.
  const days = Math.min(requestedDays, LAST_DAY - dayNumberOf(from) + 1);
  let need = 0;
  for (const order of orders) {
    if (order.kind === 'TAPER') {
      const every = order.wearHours ? order.wearHours / 24 : 1;
      for (let i = 0; i < days; i += every) need += t(doseTakenOn(order.schedule, addDays(from, i)) ?? 0);
    } else if (order.kind === 'PAIN_PLAN') {
      need += t(order.dailyDose) * days;
    } else {
      need += t(order.dose) * order.maxDosesPerDay * days;
    }
  }
  return fromThousandths(need);
}

export interface SupplyRequest {
  drug: string;
  /** The product's formulation (null: pain-plan and as-needed orders name none). */
  formulation?: string | null;
  unit: string;
  /** Units handed out (tablets, patches); the amount is stockAmount(). */
  quantity: number;
  strength: number;
  dispensedOn: string;
  overrideReason?: string | null;
  days?: number;
}

/**
 * NO_ACTIVE_ORDER when no order in force uses the product; ABOVE_ORDER_SUPPLY (unless a reason)
 * when the stock on hand plus the amount handed out now is more than the orders need over the
 * next days: 7 days' supply a day apart would otherwise pile up 49 days of opioid on the ward.
 * `orders` are the orders of the product only (productInForce): an ER taper's need never makes
 * room for IR tablets. `onHand` is the admission's stock of the product (dispensed − given, in the unit of stockAmount);
 * a shortfall counts as none: it is reconciled by recording where the doses came from, not by
 * handing out more than the days' need. Returns the warnings of an amount let through by a reason.
 */
export function checkSupply(request: SupplyRequest, orders: readonly SupplyOrder[], onHand: number): ClinicalWarning[] {
  if (orders.length === 0) {
    throw new ClinicalRuleError('NO_ACTIVE_ORDER', `No order in force on ${request.dispensedOn} uses ${productWords(request.drug, request.formulation ?? null)}; stock is dispensed only for an order of this admission.`, 'drug');
  }
  const days = request.days ?? DEFAULT_SUPPLY_DAYS;
  const stock = stockAmount(request);
  const amount = t(stock.amount);
  const held = Math.max(0, t(onHand));
  const need = t(supplyNeed(orders, request.dispensedOn, days));
  if (amount + held <= need) return [];
  const what = `${request.quantity} × ${request.strength} ${request.unit} is ${fromThousandths(amount)} ${stock.unit}`;
  const total = held > 0 ? `${what}; with the ${fromThousandths(held)} ${stock.unit} already on hand that makes ${fromThousandths(amount + held)} ${stock.unit},` : `${what},`;
  const message = `${total} more than the ${fromThousandths(need)} ${stock.unit} the orders need over ${days} days from ${request.dispensedOn} (${orders.map((o) => o.label).join('; ')}).`;
  if (!request.overrideReason?.trim()) throw new ClinicalRuleError('ABOVE_ORDER_SUPPLY', `${message} Dispense less, or give an override reason.`, 'quantity');
  return [{ code: 'ABOVE_ORDER_SUPPLY', message: `${message} Allowed with the recorded reason.` }];
}

/** Stock dispensed: units of a product handed out at a strength. */
export interface DispensedStock {
  drug: string;
  /** null: a pain-plan or as-needed drug, or a dispensation of before formulations were kept whose product was not known. */
  formulation: string | null;
  strength: number;
  /** mg (tablets), mcg/h (fentanyl patches), % (lidocaine patches). */
  unit: string;
  quantity: number;
}

/** Doses given (GIVEN, not void), in the unit of their order; the formulation is the order's (null: not a taper). */
export interface GivenStock {
  drug: string;
  formulation: string | null;
  unit: string;
  dose: number;
}

/** One product's stock: oxycodone ER and oxycodone IR are two lines. */
export interface BalanceLine {
  drug: string;
  formulation: string | null;
  unit: string;
  dispensed: number;
  given: number;
  /** dispensed − given; below 0 when more was given than dispensed. */
  onHand: number;
}

/**
 * Stock is counted in the unit doses are given in: mg, the mcg/h of a fentanyl patch, or a whole
 * lidocaine patch (ordered as "1 patch", dispensed as "5 %" patches).
 */
export function stockAmount(stock: Pick<DispensedStock, 'strength' | 'unit' | 'quantity'>): { unit: string; amount: number } {
  if (stock.unit === '%') return { unit: 'patch', amount: stock.quantity };
  return { unit: stock.unit, amount: fromThousandths(t(stock.strength) * stock.quantity) };
}

/** Per product (drug + formulation) and unit: dispensed, given, on hand (domain.md §10), sorted by drug, formulation (none first), unit. */
export function medicationBalance(dispensed: readonly DispensedStock[], given: readonly GivenStock[]): BalanceLine[] {
  const lines = new Map<string, { drug: string; formulation: string | null; unit: string; dispensed: number; given: number }>();
  const line = (drug: string, formulation: string | null, unit: string) => {
    const key = `${drug}\u0000${formulation ?? ''}\u0000${unit}`;
    const found = lines.get(key) ?? { drug, formulation, unit, dispensed: 0, given: 0 };
    lines.set(key, found);
    return found;
  };
  for (const stock of dispensed) {
    const { unit, amount } = stockAmount(stock);
    line(stock.drug, stock.formulation, unit).dispensed += t(amount);
  }
  for (const dose of given) line(dose.drug, dose.formulation, dose.unit).given += t(dose.dose);
  return [...lines.values()]
    .sort((a, b) => a.drug.localeCompare(b.drug) || (a.formulation ?? '').localeCompare(b.formulation ?? '') || a.unit.localeCompare(b.unit))
    .map((l) => ({ drug: l.drug, formulation: l.formulation, unit: l.unit, dispensed: fromThousandths(l.dispensed), given: fromThousandths(l.given), onHand: fromThousandths(l.dispensed - l.given) }));
}

/** "oxycodone IR", or "paracetamol" for a drug whose orders name no formulation. */
export function productWords(drug: string, formulation: string | null): string {
  return formulation ? `${drug} ${formulation}` : drug;
}

/** A dose given beyond the stock of its product dispensed for the admission: recorded, with a warning to reconcile. */
export function stockWarnings(line: BalanceLine | undefined, product: { drug: string; formulation: string | null }, unit: string, doseNow = 0): ClinicalWarning[] {
  const dispensed = line?.dispensed ?? 0;
  // The balance before this dose, and the dose being recorded now, added exactly.
  const given = fromThousandths(t(line?.given ?? 0) + t(doseNow));
  if (t(given) <= t(dispensed)) return [];
  return [{ code: 'STOCK_NOT_DISPENSED', message: `${given} ${unit} of ${productWords(product.drug, product.formulation)} given in all, but only ${dispensed} ${unit} dispensed for this admission: record the dispensation.` }];
}
