/**
 * What an intake corrected during a stay asks the psychiatrist to look at again (domain.md §7:
 * orders are checked against the admission's latest intake). A correction that lowers or removes
 * a product does not stop its signed order: the order is told to be above the corrected intake,
 * never silently left so. Pure.
 */
import type { ClinicalWarning } from './clinical-error.js';
import { sameProduct } from './product.js';
import { changeDays, mmeInForceOn, type IntakeRegimen, type OrderInForce } from './regimen-mme.js';

/**
 * Every order in force from today on, on every day its doses change (an order starting later, a
 * rotation signed ahead, included), whose dose on some day is above its product's corrected intake
 * dose — named once, on the first such day — and the total MME on the first day it is above the
 * corrected total.
 */
export function ordersAboveCorrectedIntake(intake: IntakeRegimen, orders: readonly (OrderInForce & { unit: string })[], today: string): ClinicalWarning[] {
  const warnings: ClinicalWarning[] = [];
  const named = new Set<string>();
  let totalNamed = false;
  for (const day of changeDays(orders, today)) {
    const inForce = mmeInForceOn(day, intake, orders);
    const when = day === today ? 'today' : `from ${day}`;
    for (const line of inForce.lines.filter((l) => l.from !== 'intake' && l.dailyDose > 0 && !named.has(l.from))) {
      const order = orders.find((o) => (o.label ?? '') === line.from);
      // A rotation is measured against the product it replaces by the MME rules, not by its own dose;
      // but one replacing a product the corrected intake no longer lists replaces nothing the patient took.
      if (order?.replaces) {
        if (!intake.products.some((p) => sameProduct(p, order.replaces!))) {
          named.add(line.from);
          const replaced = `${order.replaces.drug} ${order.replaces.formulation}`;
          warnings.push({ code: 'ROTATION_OF_PRODUCT_NOT_IN_INTAKE', message: `The ${line.drug} ${line.formulation} rotation replaces ${replaced}, which the corrected intake does not list: review the rotation.` });
        }
        continue;
      }
      const product = intake.products.find((p) => sameProduct(p, line));
      if (product && line.dailyDose <= product.dailyDose) continue;
      named.add(line.from);
      const intakeDose = product ? `the corrected intake has ${product.dailyDose} ${product.unit}/day of it` : 'it is not in the corrected intake';
      const dose = `${line.dailyDose}${order ? ` ${order.unit}` : ''}/day`;
      warnings.push({ code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: `The ${line.drug} ${line.formulation} order gives ${dose} ${when}; ${intakeDose}: review the order.` });
    }
    if (!totalNamed && inForce.totalDailyMme > intake.totalDailyMme) {
      totalNamed = true;
      warnings.push({
        code: 'MME_ABOVE_CORRECTED_INTAKE',
        message: `The orders in force ${when} come to ${inForce.totalDailyMme} MME a day, above the corrected intake's ${intake.totalDailyMme}: review them.`,
      });
    }
  }
  return warnings;
}
