/**
 * Whether the patient is taking an opioid today, for the checks that depend on it (domain.md §9:
 * gabapentinoids "with any active opioid"). A patient is on every opioid product listed at intake
 * until a signed taper of that product (or a rotation that replaces it) brings it to zero; products
 * with no signed taper (none yet, or only a draft) therefore still count. Pure.
 */
import { canonicalDrugCode, type OpioidFormulation } from './mme.js';
import type { Product } from './product.js';
import { doseTakenOn, type VersionSchedule } from './taper-day.js';

/** An ACTIVE taper order and the dose of the step in force today. */
export interface TaperInForce {
  drug: string;
  /** v1.1: orders are per product (drug + formulation); without it the taper covers the drug. */
  formulation?: OpioidFormulation;
  /** v1.1: the intake product a rotation replaces. */
  replaces?: Product | null;
  /** A rotation given beside the product it replaces (a cross-taper): that product goes on until its own order stops it. */
  crossTaper?: boolean;
  /** null: the first step starts later, so the intake dose is still taken. */
  dailyDoseToday: number | null;
}

/** An intake entry: a drug code (before v1.1) or a product. */
export type IntakeOpioid = string | Product;

function covers(taper: TaperInForce, intake: IntakeOpioid): boolean {
  const product = typeof intake === 'string' ? { drug: intake, formulation: undefined } : intake;
  const sameDrug = (a: string, b: string): boolean => canonicalDrugCode(a) === canonicalDrugCode(b);
  const replaced = replacing(taper) && sameDrug(taper.replaces.drug, product.drug) && taper.replaces.formulation === product.formulation;
  if (replaced) return true;
  if (!sameDrug(taper.drug, product.drug)) return false;
  // Oxycodone ER tapered to zero says nothing about oxycodone IR.
  return taper.formulation === undefined || product.formulation === undefined || taper.formulation === product.formulation;
}

/** A rotation that takes the place of its product; a cross-taper does not (both are given for a while). */
function replacing(taper: TaperInForce): taper is TaperInForce & { replaces: Product } {
  return !!taper.replaces && !taper.crossTaper;
}

export function opioidInUse(intake: readonly IntakeOpioid[], activeTapers: readonly TaperInForce[]): boolean {
  if (activeTapers.some((taper) => taper.dailyDoseToday === null || taper.dailyDoseToday > 0)) return true;
  return intake.some((entry) => !activeTapers.some((taper) => covers(taper, entry)));
}

/** An ACTIVE version as the service loads it: its product, what it rotates away, and its schedule. */
export type ActiveTaper = VersionSchedule & Product & { replaces?: Product | null; crossTaper?: boolean };

/** Each active taper with the dose it gives on `date` (null before its first step). */
export function tapersOn(versions: readonly ActiveTaper[], date: string): TaperInForce[] {
  return versions.map((v) => ({ drug: v.drug, formulation: v.formulation, replaces: v.replaces ?? null, crossTaper: v.crossTaper ?? false, dailyDoseToday: doseTakenOn(v, date) }));
}

/** The intake products no longer taken on that day: tapered to zero, or replaced by a rotation under way (not a cross-taper). */
export function stoppedProducts(tapers: readonly TaperInForce[]): Product[] {
  return tapers.flatMap((t): Product[] => {
    const stopped: Product[] = t.dailyDoseToday === 0 && t.formulation ? [{ drug: t.drug, formulation: t.formulation }] : [];
    return replacing(t) && t.dailyDoseToday !== null ? [...stopped, t.replaces] : stopped;
  });
}
