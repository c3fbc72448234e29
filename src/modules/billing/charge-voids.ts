import type { EntityManager } from 'typeorm';
import type { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { BILLING_ERRORS } from './billing.errors.js';
import { CHARGE_RESOURCE } from './charges.service.js';
import { ChargeEntity } from './entities/charge.entity.js';

/** When, by whom and why a record was voided. */
export interface Voided {
  voidedAt: Date;
  voidedBy: string;
  voidReason: string;
}

const LIVE_INVOICE_OF = `
  SELECT i.id, i.number, i.status FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
  WHERE l.charge_id = $1 AND l.live`;

/**
 * A charge on a live invoice (draft, issued or paid) is that invoice's until it is voided: 409
 * CHARGE_INVOICED naming it. `what` names the charge ("This charge", "Its consult charge"), `next` what to do.
 */
export async function assertNotInvoiced(manager: EntityManager, chargeId: string, what: string, next = 'void the invoice first.'): Promise<void> {
  const [invoice]: { id: string; number: string | null; status: string }[] = await manager.query(LIVE_INVOICE_OF, [chargeId]);
  if (!invoice) return;
  const name = invoice.number ? `invoice ${invoice.number}` : `draft invoice ${invoice.id}`;
  throw BILLING_ERRORS.CHARGE_INVOICED(`${what} is on ${name} (${invoice.status}): ${next}`, [{ field: 'id', reason: `the charge is on ${name}` }]);
}

/**
 * The charge a voided record made (a dispensation, a consult) is voided with it, once (billing may
 * have voided it already), and audited under the patient with the record it went with.
 */
export async function voidChargeWith(
  manager: EntityManager,
  audit: AuditService,
  context: SignedInContext,
  charge: ChargeEntity,
  voided: Voided,
  madeBy: Record<string, string>,
): Promise<void> {
  if (charge.voidedAt) return;
  Object.assign(charge, voided);
  await manager.update(ChargeEntity, { id: charge.id }, { ...voided });
  await audit.record(context, { action: 'VOID', resource: CHARGE_RESOURCE, resourceId: charge.id, patientId: charge.patientId, detail: { voided: true, ...madeBy } }, manager);
}
