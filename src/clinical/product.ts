/** A product: one drug in one formulation. Taper orders are per product (domain.md §7 v1.1). */
import { canonicalDrugCode, type OpioidFormulation } from './mme.js';

export interface Product {
  drug: string;
  formulation: OpioidFormulation;
}

export const sameProduct = (a: Product, b: Product): boolean =>
  canonicalDrugCode(a.drug) === canonicalDrugCode(b.drug) && a.formulation === b.formulation;

/** "oxycodone IR" */
export const productName = (p: Product): string => `${canonicalDrugCode(p.drug)} ${p.formulation}`;
