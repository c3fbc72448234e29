/**
 * Whether the patient is taking an opioid today, for the checks that depend on it (domain.md §9:
 * gabapentinoids "with any active opioid"). A patient is on every opioid listed at intake until a
 * signed taper for that drug brings it to zero; opioids that cannot be tapered here (buprenorphine)
 * and drugs whose taper is only a draft therefore still count. Pure.
 */

/** An ACTIVE taper order and the dose of the step in force today. */
export interface TaperInForce {
  drug: string;
  /** null: the first step starts later, so the intake dose is still taken. */
  dailyDoseToday: number | null;
}

export function opioidInUse(intakeDrugs: readonly string[], activeTapers: readonly TaperInForce[]): boolean {
  if (activeTapers.some((taper) => taper.dailyDoseToday === null || taper.dailyDoseToday > 0)) return true;
  const tapered = new Set(activeTapers.map((taper) => taper.drug));
  return intakeDrugs.some((drug) => !tapered.has(drug));
}
