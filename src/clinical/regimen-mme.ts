/**
 * Daily MME of everything a patient takes on a day, from the orders in force and the intake
 * (domain.md §7, "orders against the patient's regimen"). What counts on day d, per product:
 *
 * - an order in force on d (its first step on or before d, and d before its `endsOn`) gives the
 *   dose of its last step started by d; after its last step it stays at that dose (0 after a stop);
 * - an intake product with no order in force on d is still taken at its intake dose, unless a
 *   rotation in force on d replaces it (then it counts 0); an order of the replaced product itself
 *   still counts (a cross-taper takes both);
 * - products without an MME factor (buprenorphine) are listed and left out of the total, as at
 *   intake, so totals compare like with like.
 *
 * Totals are exact: each line in 1/100 000 MME, summed as integers (as mme.ts does).
 */
import { canonicalDrugCode, CDC2022, computeMme, dailyMmeOf, type DoseUnit, type FactorTable, hasMmeFactor, type OpioidRegimen } from './mme.js';
import { type Product, sameProduct } from './product.js';
import { dateOfDayNumber, dayNumberOf } from './calendar-dates.js';


/** One product of the admission's latest intake, its lines summed. */
export interface IntakeProduct extends Product {
  unit: DoseUnit;
  /** Σ dose × timesPerDay over the intake lines of this product (as needed: the most a day). */
  dailyDose: number;
  /** null without an MME factor (buprenorphine). */
  dailyMme: number | null;
}

export interface IntakeRegimen {
  products: IntakeProduct[];
  /** The intake total of the products with a factor. */
  totalDailyMme: number;
}

/** A dose from a date on: a taper step. */
export interface DatedDose {
  startsOn: string;
  dailyDose: number;
}

/** An ACTIVE order of the admission, as the service loads it (its version in force). */
export interface OrderInForce extends Product {
  /** For messages, e.g. the order id. */
  label?: string;
  /** A rotation: the intake product it replaces. */
  replaces?: Product | null;
  /** A rotation given beside the product it replaces for a while. */
  crossTaper?: boolean;
  /** The steps of its version in force, in date order. */
  steps: readonly DatedDose[];
  /** First day it is no longer in force (discontinued); null or absent: open. */
  endsOn?: string | null;
}

export interface MmeLineOnDay extends Product {
  dailyDose: number;
  dailyMme: number | null;
  /** 'intake' (no order yet) or the order's label. */
  from: string;
}

export interface MmeOnDay {
  date: string;
  totalDailyMme: number;
  lines: MmeLineOnDay[];
}

const SCALE = 100_000;

/** a + b, exact for figures with at most `decimals` decimals. */
const exactSum = (a: number, b: number, decimals: number): number => (Math.round(a * 10 ** decimals) + Math.round(b * 10 ** decimals)) / 10 ** decimals;

/** The intake lines grouped by product (oxycodone IR scheduled + as needed is one product). */
export function intakeRegimenOf(opioids: readonly OpioidRegimen[], table: FactorTable = CDC2022): IntakeRegimen {
  const mme = computeMme(opioids, table);
  const products: IntakeProduct[] = [];
  opioids.forEach((o, i) => {
    const { drug, unit, dailyDose, dailyMme } = mme.lines[i];
    const found = products.find((p) => sameProduct(p, o));
    if (!found) {
      products.push({ drug, formulation: o.formulation, unit, dailyDose, dailyMme });
      return;
    }
    found.dailyDose = exactSum(found.dailyDose, dailyDose, 3);
    found.dailyMme = found.dailyMme === null || dailyMme === null ? null : exactSum(found.dailyMme, dailyMme, 5);
  });
  return { products, totalDailyMme: mme.totalDailyMme };
}

function inForceOn(order: OrderInForce, day: number): boolean {
  if (order.steps.length === 0 || dayNumberOf(order.steps[0].startsOn) > day) return false;
  return order.endsOn === undefined || order.endsOn === null || day < dayNumberOf(order.endsOn);
}

function doseOn(order: OrderInForce, day: number): number {
  const started = order.steps.filter((s) => dayNumberOf(s.startsOn) <= day);
  return started[started.length - 1].dailyDose;
}

function lineOf(product: Product, dailyDose: number, from: string, table: FactorTable): MmeLineOnDay {
  const dailyMme = hasMmeFactor(product.drug, product.formulation, table) ? dailyMmeOf(product.drug, product.formulation, dailyDose, table) : null;
  return { drug: canonicalDrugCode(product.drug), formulation: product.formulation, dailyDose, dailyMme, from };
}

/** What the patient takes on `date` and its total MME. */
export function mmeInForceOn(date: string, intake: IntakeRegimen, orders: readonly OrderInForce[], table: FactorTable = CDC2022): MmeOnDay {
  const day = dayNumberOf(date, 'date');
  const active = orders.filter((o) => inForceOn(o, day));
  const fromOrders = active.map((o, i) => lineOf(o, doseOn(o, day), o.label ?? `order ${i + 1}`, table));
  const fromIntake = intake.products
    .filter((p) => !active.some((o) => sameProduct(o, p) || (o.replaces && sameProduct(o.replaces, p))))
    .map((p) => lineOf(p, p.dailyDose, 'intake', table));
  const lines = [...fromIntake, ...fromOrders];
  const total = lines.reduce((sum, l) => sum + Math.round((l.dailyMme ?? 0) * SCALE), 0) / SCALE;
  return { date: dateOfDayNumber(day), totalDailyMme: total, lines };
}

/** Every day from `from` (to `until`, if given) on which what is in force can change. */
export function changeDays(orders: readonly OrderInForce[], from: string, until?: string | null): string[] {
  const [first, last] = [dayNumberOf(from, 'from'), until ? dayNumberOf(until, 'until') : Infinity];
  const days = orders.flatMap((o) => [...o.steps.map((s) => s.startsOn), ...(o.endsOn ? [o.endsOn] : [])]).map((d) => dayNumberOf(d));
  return [...new Set([first, ...days])].filter((d) => d >= first && d <= last).sort((a, b) => a - b).map(dateOfDayNumber);
}
