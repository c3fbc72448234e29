/**
 * What a stop takes away from the patient (domain.md §7, "never abrupt") when no kept step says:
 * on or before an order's first step the patient still takes the product at its intake dose
 * (regimen-mme.ts), and the order's stop, in force at 0, displaces that intake line; a rotation's
 * stop displaces the line of the product it replaces too. And which rotation replaces a product on
 * a day: one that gives the patient a dose above 0 that day (a rotation stopped before its first
 * dose, or not started yet, gives nothing in its place).
 */
import { dayNumberOf } from './calendar-dates.js';
import { type Product, productName, sameProduct } from './product.js';
import type { DatedDose, IntakeProduct } from './regimen-mme.js';

/** An ACTIVE order of the admission, as far as these rules need it. */
export interface OrderOfRegimen extends Product {
  id: string;
  replaces: Product | null;
  crossTaper: boolean;
  steps: readonly DatedDose[];
}

/** The dose of the last step started by `day`; null before the first step. */
export function doseOnDay(steps: readonly DatedDose[], day: string): number | null {
  const on = dayNumberOf(day, 'day');
  const started = steps.filter((s) => dayNumberOf(s.startsOn) <= on);
  return started.length ? started[started.length - 1].dailyDose : null;
}

/** A rotation (cross-taper or not), other than `exceptId`, gives a dose above 0 on `day` in place of `product`. */
export function replacedOn(orders: readonly OrderOfRegimen[], product: Product, day: string, exceptId?: string): boolean {
  return orders.some((o) => o.id !== exceptId && !!o.replaces && sameProduct(o.replaces, product) && (doseOnDay(o.steps, day) ?? 0) > 0);
}

/** A dose the patient takes that a stop before the order's first step takes away. */
export interface DoseTakenAway {
  /** "oxycodone IR (intake)" */
  name: string;
  dailyDose: number;
  /** The smallest of these is the dose from which a stop is not abrupt. */
  unitStrengths: readonly number[];
  /** A rotation gives a dose above 0 in its place on the stop day. */
  replaced: boolean;
}

export interface IntakeOfStop {
  products: readonly IntakeProduct[];
  /** The intake lines (one take: `dose`), for the smallest dose of a product no order names strengths for. */
  lines: readonly (Product & { dose: number })[];
}

/**
 * What stopping `order` from `day`, before its first step, takes away: the intake dose of its own
 * product (smallest strength: the order's), and for a rotation the intake dose of the product it
 * replaces (smallest strength: the smallest single intake dose) unless another order of that
 * product is in force that day (that order gives it, and its own stop is guarded apart).
 */
export function dosesTakenAway(
  order: OrderOfRegimen & { unitStrengths: readonly number[] },
  day: string,
  intake: IntakeOfStop,
  others: readonly OrderOfRegimen[],
): DoseTakenAway[] {
  const intakeOf = (product: Product): IntakeProduct | undefined => intake.products.find((p) => sameProduct(p, product) && p.dailyDose > 0);
  const taken: DoseTakenAway[] = [];
  const own = intakeOf(order);
  if (own) taken.push({ name: `${productName(own)} (intake)`, dailyDose: own.dailyDose, unitStrengths: order.unitStrengths, replaced: replacedOn(others, own, day, order.id) });
  const replaced = order.replaces && intakeOf(order.replaces);
  const orderedThen = (product: Product): boolean => others.some((o) => o.id !== order.id && sameProduct(o, product) && doseOnDay(o.steps, day) !== null);
  if (replaced && !orderedThen(replaced)) {
    const doses = intake.lines.filter((l) => sameProduct(l, replaced)).map((l) => l.dose);
    taken.push({ name: `${productName(replaced)} (intake)`, dailyDose: replaced.dailyDose, unitStrengths: doses, replaced: replacedOn(others, replaced, day, order.id) });
  }
  return taken;
}

/**
 * The active rotation that is not a cross-taper and replaces `product` on a day on or after
 * `from` with a dose above 0: while it does, the product is not ordered beside it.
 */
export function rotationReplacing(orders: readonly OrderOfRegimen[], product: Product, from: string): OrderOfRegimen | undefined {
  const fromDay = dayNumberOf(from, 'from');
  return orders.find((o) => {
    if (!o.replaces || o.crossTaper || !sameProduct(o.replaces, product)) return false;
    // It gives a dose above 0 on `from` or on a later step's day.
    return (doseOnDay(o.steps, from) ?? 0) > 0 || o.steps.some((s) => dayNumberOf(s.startsOn) > fromDay && s.dailyDose > 0);
  });
}
