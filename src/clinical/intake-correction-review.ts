/**
 * What an intake corrected during a stay asks the psychiatrist to look at again (domain.md §7:
 * orders are checked against the admission's latest intake). A correction that lowers or removes
 * a product does not stop its signed order: the order is told to be above the corrected intake,
 * never silently left so. Pure.
 */
import type { ClinicalWarning } from './clinical-error.js';
import { sameProduct } from './product.js';
import { mmeInForceOn, type IntakeRegimen, type OrderInForce } from './regimen-mme.js';

/** Each order in force today whose dose today is above its product's corrected intake dose, and the total MME if above the corrected total. */
export function ordersAboveCorrectedIntake(intake: IntakeRegimen, orders: readonly (OrderInForce & { unit: string })[], today: string): ClinicalWarning[] {
  const inForce = mmeInForceOn(today, intake, orders);
  const fromOrders = inForce.lines.filter((line) => line.from !== 'intake' && line.dailyDose > 0);
  const warnings: ClinicalWarning[] = fromOrders.flatMap((line) => {
    const order = orders.find((o) => (o.label ?? '') === line.from);
    // A rotation is measured against the product it replaces by the MME rules, not by its own dose.
    if (order?.replaces) return [];
    const product = intake.products.find((p) => sameProduct(p, line));
    if (product && line.dailyDose <= product.dailyDose) return [];
    const intakeDose = product ? `the corrected intake has ${product.dailyDose} ${product.unit}/day of it` : 'it is not in the corrected intake';
    return [{ code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: `The ${line.drug} ${line.formulation} order gives ${line.dailyDose} ${order?.unit ?? ''}/day today; ${intakeDose}: review the order.`.replace(' /day', '/day') }];
  });
  if (inForce.totalDailyMme > intake.totalDailyMme) {
    warnings.push({
      code: 'MME_ABOVE_CORRECTED_INTAKE',
      message: `The orders in force today come to ${inForce.totalDailyMme} MME a day, above the corrected intake's ${intake.totalDailyMme}: review them.`,
    });
  }
  return warnings;
}
