/**
 * The versioned MME factor table (domain.md §3) and the forms in which the drugs without a
 * factor are accepted. Data only; the arithmetic is in mme.ts.
 */

export type OpioidFormulation = 'IR' | 'ER' | 'TRANSDERMAL';
export type DoseUnit = 'mg' | 'mcg/h';
export type FactorTableVersion = 'CDC2022';

/** A dose unit and the formulations it goes with. */
export interface OpioidForm {
  readonly unit: DoseUnit;
  readonly formulations: readonly OpioidFormulation[];
}

/** One factor: MME per unit of daily dose (per mg/day, or per mcg/h of patch strength). */
export interface FactorEntry extends OpioidForm {
  /** At most 2 decimal places (the integer arithmetic relies on it). */
  readonly factor: number;
}

export interface FactorTable {
  readonly version: FactorTableVersion;
  /** Lower-case drug code → its factors; a drug may need one per route (fentanyl). */
  readonly factors: Readonly<Record<string, readonly FactorEntry[]>>;
  /** Accepted drug codes that have no factor on purpose (buprenorphine, a partial agonist). */
  readonly notConverted: readonly string[];
}

const tablets = (factor: number): readonly FactorEntry[] =>
  Object.freeze([Object.freeze({ factor, unit: 'mg' as const, formulations: Object.freeze(['IR', 'ER'] as const) })]);

/** Dowell et al., MMWR Recomm Rep 2022;71(RR-3), table of MME conversion factors. */
export const CDC2022: FactorTable = Object.freeze({
  version: 'CDC2022',
  factors: Object.freeze({
    codeine: tablets(0.15),
    fentanyl: Object.freeze([Object.freeze({ factor: 2.4, unit: 'mcg/h' as const, formulations: Object.freeze(['TRANSDERMAL'] as const) })]),
    hydrocodone: tablets(1),
    hydromorphone: tablets(5),
    methadone: tablets(4.7),
    morphine: tablets(1),
    oxycodone: tablets(1.5),
    oxymorphone: tablets(3),
    tapentadol: tablets(0.4),
    tramadol: tablets(0.2),
  }),
  notConverted: Object.freeze(['buprenorphine']),
});

export const FACTOR_TABLES: Readonly<Record<FactorTableVersion, FactorTable>> = Object.freeze({ CDC2022 });

/**
 * How the drugs without a factor are given (api.md v1.1): buprenorphine sublingual in mg
 * (recorded as IR) or as a patch in mcg/h. A drug missing here is accepted in any form.
 */
export const UNCONVERTED_FORMS: Readonly<Record<string, readonly OpioidForm[]>> = Object.freeze({
  buprenorphine: Object.freeze([
    Object.freeze({ unit: 'mg' as const, formulations: Object.freeze(['IR'] as const) }),
    Object.freeze({ unit: 'mcg/h' as const, formulations: Object.freeze(['TRANSDERMAL'] as const) }),
  ]),
});
