import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { COMMON_ERRORS, NotFound } from '../../common/errors/common.errors.js';
import { requestHash } from '../../common/http/idempotency.js';
import { assertNotInFuture } from '../../common/validation/calendar-date.js';
import { AppConfig } from '../../config/app-config.js';
import type { PaymentRequest } from './dto/invoice.requests.js';
import type { InvoiceResponse } from './dto/invoice.responses.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { PaymentEntity } from './entities/payment.entity.js';
import { loadInvoice, toInvoiceResponse, type InvoiceRecord } from './invoice-view.js';
import { BILLING_ERRORS } from './billing.errors.js';

export const PAYMENT_RESOURCE = 'payment';

/**
 * Payments against issued invoices; never more than the balance. A payment entered by mistake is
 * voided with a reason: kept, no longer counted. Every use case locks the invoice row first, so
 * payments, voids and retries of one invoice queue behind each other.
 */
@Injectable()
export class InvoicePaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** `created` is false for a retry with a key seen before on this invoice: nothing new is recorded. */
  async pay(id: string, request: PaymentRequest, context: SignedInContext): Promise<{ invoice: InvoiceResponse; created: boolean }> {
    assertNotInFuture('receivedOn', request.receivedOn, this.clock.today(this.config.clinicTimeZone));
    const hash = request.idempotencyKey === undefined ? null : requestHash(request);
    return this.dataSource.transaction(async (manager) => {
      const record = await loadInvoice(manager, id, true);
      const { invoice } = record;
      const earlier = replayOf(record, request.idempotencyKey, hash);
      if (earlier) {
        await this.audit.record(context, { action: 'READ', resource: PAYMENT_RESOURCE, resourceId: earlier.id, patientId: invoice.patientId, detail: { idempotentReplay: true } }, manager);
        return { invoice: toInvoiceResponse(record), created: false };
      }
      if (invoice.status !== 'ISSUED') throw NOT_PAYABLE[invoice.status](`This invoice is ${invoice.status}; payments are recorded against issued invoices.`);
      const balance = invoice.totalMinor - invoice.paidMinor;
      if (request.amountMinor > balance) {
        throw BILLING_ERRORS.OVERPAYMENT(`The balance is ${balance} minor units; ${request.amountMinor} would overpay it.`, [{ field: 'amountMinor', reason: `must not exceed the balance of ${balance}` }]);
      }
      const payment = manager.create(PaymentEntity, {
        invoiceId: id,
        amountMinor: request.amountMinor,
        method: request.method,
        receivedOn: request.receivedOn,
        reference: request.reference ?? null,
        idempotencyKey: request.idempotencyKey ?? null,
        requestHash: hash,
        recordedBy: context.actor.id,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      await manager.insert(PaymentEntity, payment);
      invoice.paidMinor += request.amountMinor;
      if (invoice.paidMinor === invoice.totalMinor) invoice.status = 'PAID';
      await manager.save(InvoiceEntity, invoice);
      await this.audit.record(context, { action: 'CREATE', resource: PAYMENT_RESOURCE, resourceId: payment.id, patientId: invoice.patientId, detail: { invoiceId: id, amountMinor: request.amountMinor } }, manager);
      return { invoice: toInvoiceResponse({ ...record, payments: [...record.payments, payment] }), created: true };
    });
  }

  /**
   * A payment entered by mistake (a duplicate, the wrong invoice) is voided with the reason: it stays
   * on the invoice, marked void, and no longer counts; a PAID invoice is ISSUED again. Voiding twice is a 409.
   */
  async void(paymentId: string, reason: string, context: SignedInContext): Promise<InvoiceResponse> {
    return this.dataSource.transaction(async (manager) => {
      const record = await loadInvoice(manager, await invoiceOf(manager, paymentId), true);
      const { invoice } = record;
      const payment = record.payments.find((p) => p.id === paymentId)!;
      if (payment.voidedAt) throw COMMON_ERRORS.ALREADY_VOID(`This payment was voided at ${payment.voidedAt.toISOString()}.`);
      Object.assign(payment, { voidedAt: this.clock.now(), voidedBy: context.actor.id, voidReason: reason });
      await manager.update(PaymentEntity, { id: paymentId }, { voidedAt: payment.voidedAt, voidedBy: payment.voidedBy, voidReason: payment.voidReason });
      invoice.paidMinor -= payment.amountMinor;
      if (invoice.status === 'PAID') invoice.status = 'ISSUED';
      await manager.save(InvoiceEntity, invoice);
      const detail = { invoiceId: invoice.id, amountMinor: payment.amountMinor, voided: true };
      await this.audit.record(context, { action: 'VOID', resource: PAYMENT_RESOURCE, resourceId: paymentId, patientId: invoice.patientId, detail }, manager);
      return toInvoiceResponse(record);
    });
  }
}

const NOT_PAYABLE = { DRAFT: BILLING_ERRORS.NOT_ISSUED, PAID: BILLING_ERRORS.ALREADY_PAID, VOID: BILLING_ERRORS.INVOICE_VOID } as const;

/** The payment recorded earlier under this key on this invoice; the same key with a different request is a 409. */
function replayOf({ payments }: InvoiceRecord, key: string | undefined, hash: string | null): PaymentEntity | null {
  const earlier = key === undefined ? undefined : payments.find((payment) => payment.idempotencyKey === key);
  if (!earlier) return null;
  if (earlier.requestHash !== hash) throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used on this invoice for a different payment.');
  return earlier;
}

async function invoiceOf(manager: EntityManager, paymentId: string): Promise<string> {
  const payment = await manager.findOne(PaymentEntity, { where: { id: paymentId }, select: { id: true, invoiceId: true } });
  if (!payment) throw new NotFound('Payment');
  return payment.invoiceId;
}
