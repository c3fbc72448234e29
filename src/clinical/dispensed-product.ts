/**
 * Which product a dispensation is for, and whether what is handed out is what its orders are
 * made of (domain.md §7, §10). A product is a drug in one formulation: oxycodone IR and
 * oxycodone ER are tapered side by side by separate orders, so their stock, need and strengths
 * are kept apart. Pain-plan and as-needed orders name no formulation: their product is the drug
 * (formulation null), and one drug's pain-plan and as-needed orders share its stock.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { productWords, type SupplyOrder } from './supply.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

/** The orders in force of one product of the drug dispensed. */
export interface ProductInForce {
  /** The taper orders' formulation; null for pain-plan and as-needed orders. */
  formulation: string | null;
  orders: SupplyOrder[];
}

export interface DispensedProductRequest {
  drug: string;
  /** Absent or null: inferred when the drug has one product in force. */
  formulation?: string | null;
  dispensedOn: string;
}

/**
 * The product named by the request, or the drug's only product in force. NO_ACTIVE_ORDER when
 * none is in force or the formulation named is not; FORMULATION_REQUIRED when several are and
 * none is named (a guess would reconcile IR tablets against the ER order).
 */
export function productInForce(request: DispensedProductRequest, products: readonly ProductInForce[]): ProductInForce {
  const { drug, dispensedOn } = request;
  if (products.length === 0) {
    throw new ClinicalRuleError('NO_ACTIVE_ORDER', `No order in force on ${dispensedOn} uses ${productWords(drug, request.formulation ?? null)}; stock is dispensed only for an order of this admission.`, 'drug');
  }
  const named = request.formulation ?? null;
  const formulations = products.map((p) => p.formulation).filter((f): f is string => f !== null);
  if (named !== null) {
    const found = products.find((p) => p.formulation === named);
    if (found) return found;
    const inForce = formulations.length > 0 ? `the ${drug} orders in force are ${formulations.join(' and ')}` : `the ${drug} orders name no formulation: leave it out`;
    throw new ClinicalRuleError('NO_ACTIVE_ORDER', `No order in force on ${dispensedOn} uses ${drug} ${named}; ${inForce}.`, 'formulation');
  }
  if (products.length === 1) return products[0]!;
  throw new ClinicalRuleError('FORMULATION_REQUIRED', `Orders of ${drug} ${formulations.join(' and ')} are in force on ${dispensedOn}: name the formulation dispensed.`, 'formulation');
}

export interface DispensedUnits {
  drug: string;
  strength: number;
  /** mg: tablets; mcg/h or %: patches. */
  unit: string;
  quantity: number;
  overrideReason?: string | null;
}

/**
 * What is handed out can make the product's doses: whole tablets, or halves where a taper order
 * allows half tablets, and whole patches (QUANTITY_NOT_DISPENSABLE, never overridden: a stock of
 * 0.337 of a tablet cannot be counted); a taper's strength is one of its unitStrengths
 * (STRENGTH_NOT_ORDERED unless a reason, which returns it as a warning).
 */
export function checkDispensedUnits(request: DispensedUnits, product: ProductInForce): ClinicalWarning[] {
  const tapers = product.orders.flatMap((o) => (o.kind === 'TAPER' ? [o] : []));
  const patch = request.unit !== 'mg';
  const halves = !patch && tapers.some((o) => o.allowHalfTablets === true);
  const quantity = thousandthsOrNull(request.quantity) ?? 0;
  if (quantity % (halves ? 500 : 1000) !== 0) {
    const what = patch ? 'patches are dispensed whole' : halves ? 'tablets are dispensed whole or in halves' : `tablets are dispensed whole${tapers.length > 0 ? ' (the order does not allow half tablets)' : ''}`;
    throw new ClinicalRuleError('QUANTITY_NOT_DISPENSABLE', `${request.quantity} units of ${productWords(request.drug, product.formulation)} cannot be dispensed: ${what}.`, 'quantity');
  }
  const listed = [...new Set(tapers.flatMap((o) => o.unitStrengths ?? []))].sort((a, b) => a - b);
  if (listed.length === 0 || listed.some((s) => thousandthsOrNull(s) === thousandthsOrNull(request.strength))) return [];
  const message = `${request.strength} ${request.unit} is not a strength the ${productWords(request.drug, product.formulation)} taper order uses (${listed.map((s) => `${fromThousandths(thousandthsOrNull(s) ?? 0)} ${request.unit}`).join(', ')}).`;
  if (!request.overrideReason?.trim()) throw new ClinicalRuleError('STRENGTH_NOT_ORDERED', `${message} Dispense a strength of the order, or give an override reason.`, 'strength');
  return [{ code: 'STRENGTH_NOT_ORDERED', message: `${message} Allowed with the recorded reason.` }];
}
