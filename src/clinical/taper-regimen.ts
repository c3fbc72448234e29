/**
 * A new taper order checked against the patient, not on its own (domain.md §7):
 * the product must be in the admission's latest intake (or rotate one with a reason), its start
 * dose may not exceed the intake dose of that product, a start below it is a first cut that meets
 * the single-cut rule, the total MME in force may never exceed the intake total on any day of the
 * new schedule, and it starts within the stay. Throws ClinicalRuleError (a 422) for the first
 * refusal; returns the warnings otherwise (refusals let through by a reason become warnings).
 *
 * checkMmeInForce is the day-by-day total alone, for amendments too (a pause keeps a dose longer).
 *
 * "In force" is defined in regimen-mme.ts. The new order stands in for its product from its start
 * date: another open-ended order of the same product cannot stay active beside it (409
 * ACTIVE_ORDER_EXISTS), so the service ends it at the new start when signing, and it is not
 * counted from then on; an order of the product with an end date counts until that date, even
 * where it overlaps. The replaced product of a rotation counts 0 while the rotation is in force,
 * and so does the order of that product from the rotation's start, unless the rotation is a
 * cross-taper (both given for a while): the service stops that order when signing the rotation.
 * The days checked are the new start date and every later day on which something changes (a
 * step, an order ending), up to discharge: the total is constant between them.
 *
 * A rotation that also names a product of the intake (oxycodone IR merged into the ER) may start
 * up to the MME of both; its dose is then not compared with either intake dose.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { CDC2022, dailyMmeOf, type FactorTable, hasMmeFactor } from './mme.js';
import { type Product, productName, sameProduct } from './product.js';
import { changeDays, type DatedDose, type IntakeProduct, type IntakeRegimen, mmeInForceOn, type MmeOnDay, type OrderInForce } from './regimen-mme.js';
import { dayNumberOf } from './calendar-dates.js';
import { fromThousandths, percentOf, quantumThousandths, thousandthsOrNull } from './taper-doses.js';
import { hasReason, scaleRules } from './taper-plan.js';
import { isLargeCut } from './taper-steps.js';
import { DEFAULT_TAPER_RULES, type TaperParams, type TaperRules } from './taper-types.js';

export * from './regimen-mme.js';
export * from './product.js';

/** The order being written: its fields and the schedule generateTaper gave it. */
export interface NewTaperOrder {
  params: Pick<TaperParams, 'drug' | 'formulation' | 'startDailyDose' | 'startDate' | 'unitStrengths' | 'allowHalfTablets' | 'overrideReason' | 'lifeThreateningReason'>;
  steps: readonly DatedDose[];
  /** A rotation: the intake product this order replaces, with the psychiatrist's reason. */
  replaces?: Product | null;
  rotationReason?: string | null;
  /** A rotation given beside the replaced product for a while; otherwise the replaced product's order stops on its first day. */
  crossTaper?: boolean;
}

export interface StayDates {
  admittedOn: string;
  dischargedOn?: string | null;
}

export interface RegimenCheckInput {
  order: NewTaperOrder;
  /** The admission's latest intake (intakeRegimenOf(assessment opioids)). */
  intake: IntakeRegimen;
  /** The admission's other ACTIVE orders, each with the steps of its version in force. */
  ordersInForce: readonly OrderInForce[];
  stay: StayDates;
}

const mmeText = (mme: number): string => String(Number(mme.toFixed(2)));

function checkWithinStay(order: NewTaperOrder, stay: StayDates): void {
  const start = dayNumberOf(order.params.startDate, 'startDate');
  if (start < dayNumberOf(stay.admittedOn, 'admittedOn')) {
    throw new ClinicalRuleError('START_BEFORE_ADMISSION', `The order starts on ${order.params.startDate}, before the admission on ${stay.admittedOn}.`, 'startDate');
  }
  if (stay.dischargedOn && start > dayNumberOf(stay.dischargedOn, 'dischargedOn')) {
    throw new ClinicalRuleError('START_AFTER_DISCHARGE', `The order starts on ${order.params.startDate}, after the discharge on ${stay.dischargedOn}.`, 'startDate');
  }
}

const intakeProduct = (intake: IntakeRegimen, product: Product): IntakeProduct | undefined => intake.products.find((p) => sameProduct(p, product));

/** The intake product the order is for, or null for a rotation; refuses anything else. */
function productInIntake(order: NewTaperOrder, intake: IntakeRegimen): IntakeProduct | null {
  const own = intakeProduct(intake, order.params);
  if (!order.replaces) {
    if (own) return own;
    const listed = intake.products.map(productName).join(', ') || 'none';
    const message = `${productName(order.params)} is not in the intake regimen (${listed}); an opioid rotation names the product it replaces and a rotationReason.`;
    throw new ClinicalRuleError('NOT_IN_INTAKE_REGIMEN', message, 'drug');
  }
  return null;
}

/** A rotation: the replaced intake product, with a reason; its start MME not above what it replaces. */
function checkRotation(order: NewTaperOrder, intake: IntakeRegimen, table: FactorTable): ClinicalWarning[] {
  const replaces = order.replaces as Product;
  const replaced = intakeProduct(intake, replaces);
  if (!replaced) throw new ClinicalRuleError('NOT_IN_INTAKE_REGIMEN', `${productName(replaces)}, the product replaced, is not in the intake regimen.`, 'replaces');
  if (sameProduct(replaces, order.params)) throw new ClinicalRuleError('INVALID_ROTATION', 'A rotation replaces another product, not its own.', 'replaces');
  if (!hasReason(order.rotationReason)) throw new ClinicalRuleError('NOT_IN_INTAKE_REGIMEN', 'An opioid rotation needs the psychiatrist\'s rotationReason.', 'rotationReason');
  const crossTolerance: ClinicalWarning = {
    code: 'ROTATION_CROSS_TOLERANCE',
    message: `Rotation from ${productName(replaces)} to ${productName(order.params)}: cross-tolerance is incomplete, so start lower than the MME suggests and watch for sedation.`,
  };
  const own = intakeProduct(intake, order.params);
  const limits = [replaced, ...(own ? [own] : [])];
  if (!hasMmeFactor(order.params.drug, order.params.formulation, table) || limits.some((p) => p.dailyMme === null)) {
    return [crossTolerance, { code: 'ROTATION_MME_NOT_COMPARABLE', message: 'One side of this rotation has no MME factor (buprenorphine): its start cannot be compared in MME.' }];
  }
  const startMme = dailyMmeOf(order.params.drug, order.params.formulation, order.params.startDailyDose, table);
  const allowed = limits.reduce((sum, p) => sum + Math.round((p.dailyMme as number) * 100_000), 0) / 100_000;
  if (Math.round(startMme * 100_000) > Math.round(allowed * 100_000)) {
    const message = `The rotation starts at ${mmeText(startMme)} MME/day, above the ${mmeText(allowed)} MME/day of what it replaces at intake. MME is not a conversion table: start lower.`;
    throw new ClinicalRuleError('ROTATION_ABOVE_INTAKE_MME', message, 'startDailyDose');
  }
  return [crossTolerance];
}

/** The start against the intake dose of the same product: not above (without a reason); below is a first cut. */
function checkStartDose(order: NewTaperOrder, own: IntakeProduct, rules: TaperRules): ClinicalWarning[] {
  const { params } = order;
  const [start, intakeDose] = [thousandthsOrNull(params.startDailyDose), thousandthsOrNull(own.dailyDose)];
  if (start === null || intakeDose === null) throw new ClinicalRuleError('INVALID_DOSE', 'The start or intake dose cannot be read.', 'startDailyDose');
  if (start > intakeDose) {
    const message = `The start of ${params.startDailyDose} ${own.unit}/day is above the intake dose of ${own.dailyDose} ${own.unit}/day of ${productName(own)}.`;
    if (!hasReason(params.overrideReason)) throw new ClinicalRuleError('ABOVE_INTAKE_DOSE', `${message} Give an override reason if the intake under-recorded it.`, 'startDailyDose');
    return [{ code: 'ABOVE_INTAKE_DOSE', message: `${message} Allowed with the recorded override reason.` }];
  }
  const plan = { quantum: quantumThousandths(params), maxSingleCutHundredths: scaleRules(rules).maxSingleCutHundredths };
  if (!isLargeCut(plan, intakeDose, start)) return [];
  const percent = percentOf(intakeDose - start, intakeDose);
  const message =
    `Starting at ${params.startDailyDose} from the intake dose of ${fromThousandths(intakeDose)} ${own.unit}/day is a first cut of ${percent}% on ${params.startDate}, ` +
    `more than ${rules.maxSingleCutPercent}% of the previous dose at once (CDC 2022: no large cut from a higher dose)`;
  if (!hasReason(params.overrideReason) && !hasReason(params.lifeThreateningReason)) {
    throw new ClinicalRuleError('LARGE_SINGLE_CUT', `${message}: start nearer the intake dose, or give an override reason.`, 'startDailyDose');
  }
  return [{ code: 'LARGE_SINGLE_CUT', message: `${message}. Allowed with the recorded reason.` }];
}

function describeDay(day: MmeOnDay): string {
  const lines = day.lines.filter((l) => l.dailyMme !== null && l.dailyMme > 0);
  return lines.map((l) => `${productName(l)} ${l.dailyDose}/day = ${mmeText(l.dailyMme as number)} MME (${l.from})`).join('; ');
}

export interface MmeInForceInput {
  intake: IntakeRegimen;
  /** Every order in force, the one being written or amended included (an amendment: its new version). */
  orders: readonly OrderInForce[];
  /** The first day to check: the new order's start, or the amendment's effectiveFrom. */
  from: string;
  stay: StayDates;
  overrideReason?: string | null;
  /** The request field the refusal names: 'startDailyDose' for a new order (default), 'pauseDays' for an amendment. */
  field?: string;
}

/**
 * ABOVE_INTAKE_MME: the total in force on any day from `from` (to discharge) above the intake
 * total, refused unless overrideReason. Also for amendments: a pause keeps a dose longer, so
 * during a cross-taper it can raise the total on days the order's first check saw lower.
 */
export function checkMmeInForce(input: MmeInForceInput, table: FactorTable = CDC2022): ClinicalWarning[] {
  const { intake, orders, stay } = input;
  const days = changeDays(orders, input.from, stay.dischargedOn).map((d) => mmeInForceOn(d, intake, orders, table));
  const over = days.find((d) => Math.round(d.totalDailyMme * 100_000) > Math.round(intake.totalDailyMme * 100_000));
  if (!over) return [];
  const message = `On ${over.date} the opioids in force would total ${mmeText(over.totalDailyMme)} MME/day (${describeDay(over)}), above the intake total of ${mmeText(intake.totalDailyMme)} MME/day.`;
  if (!hasReason(input.overrideReason)) throw new ClinicalRuleError('ABOVE_INTAKE_MME', `${message} Give an override reason if that is intended.`, input.field ?? 'startDailyDose');
  return [{ code: 'ABOVE_INTAKE_MME', message: `${message} Allowed with the recorded override reason.` }];
}

/**
 * The new order among the orders in force: from its start it stands in for its product (see the
 * file comment), and a rotation that is not a cross-taper for the product it replaces (the service
 * stops that product's order on the rotation's first day when signing).
 */
function ordersWith(input: RegimenCheckInput): OrderInForce[] {
  const { order } = input;
  const newOrder: OrderInForce = { drug: order.params.drug, formulation: order.params.formulation, replaces: order.replaces, steps: order.steps, label: 'this order' };
  const standsAside = (o: OrderInForce): boolean => sameProduct(o, order.params) || (!!order.replaces && !order.crossTaper && sameProduct(o, order.replaces));
  // Only an open-ended order stands aside; one with an end date counts until then, overlap included.
  const others = input.ordersInForce.map((o) => (standsAside(o) && !o.endsOn ? { ...o, endsOn: order.params.startDate } : o));
  return [...others, newOrder];
}

/**
 * A product that a rotation in force (not a cross-taper) replaces is not ordered beside it: the
 * rotation stopped its order, and a new one would give both. Refused while the rotation gives a
 * dose above 0 on the new order's start or later.
 */
function checkNotReplaced(input: RegimenCheckInput): void {
  const { params, replaces, crossTaper } = input.order;
  const replacing = (product: Product) =>
    input.ordersInForce.find((o) => !!o.replaces && !o.crossTaper && sameProduct(o.replaces, product) && !sameProduct(o, params) && givesFrom(o.steps, params.startDate));
  const rotation = replacing(params);
  if (rotation) {
    const message = `${productName(rotation)} replaces ${productName(params)} (a rotation, not a cross-taper) from ${rotation.steps[0].startsOn}: ${productName(params)} is not ordered beside it. Amend or stop the rotation first.`;
    throw new ClinicalRuleError('REPLACED_BY_ROTATION', message, 'drug');
  }
  // A second rotation of one product would give both replacements: rotate the first one itself instead.
  const first = replaces && !crossTaper ? replacing(replaces) : undefined;
  if (first) {
    const message =
      `${productName(first)} already replaces ${productName(replaces!)} (a rotation, not a cross-taper) from ${first.steps[0].startsOn}: a second rotation of it would give both. ` +
      `Rotate ${productName(first)} itself (replaces ${productName(first)}), or withdraw it first.`;
    throw new ClinicalRuleError('REPLACED_BY_ROTATION', message, 'replaces');
  }
}

/** A dose above 0 on `from` or on a later step's day. */
function givesFrom(steps: readonly DatedDose[], from: string): boolean {
  const day = dayNumberOf(from, 'startDate');
  const started = steps.filter((s) => dayNumberOf(s.startsOn) <= day).at(-1);
  return (started?.dailyDose ?? 0) > 0 || steps.some((s) => dayNumberOf(s.startsOn) > day && s.dailyDose > 0);
}

/** Warnings of an order accepted against the patient's regimen; throws ClinicalRuleError (a 422) when refused. */
export function checkOrderAgainstRegimen(input: RegimenCheckInput, rules: TaperRules = DEFAULT_TAPER_RULES, table: FactorTable = CDC2022): ClinicalWarning[] {
  checkWithinStay(input.order, input.stay);
  checkNotReplaced(input);
  const own = productInIntake(input.order, input.intake);
  const productWarnings = own === null ? checkRotation(input.order, input.intake, table) : checkStartDose(input.order, own, rules);
  const { params } = input.order;
  const total = checkMmeInForce({ intake: input.intake, orders: ordersWith(input), from: params.startDate, stay: input.stay, overrideReason: params.overrideReason }, table);
  return [...productWarnings, ...total];
}
