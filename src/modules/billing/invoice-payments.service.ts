import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';

import { assertNotInFuture } from '../../common/validation/calendar-date.js';
import { AppConfig } from '../../config/app-config.js';
import type { PaymentRequest } from './dto/invoice.requests.js';
import type { InvoiceResponse } from './dto/invoice.responses.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { PaymentEntity } from './entities/payment.entity.js';
import { loadInvoice, toInvoiceResponse } from './invoice-view.js';
import { BILLING_ERRORS } from './billing.errors.js';

/** Payments against issued invoices; never more than the balance. */
@Injectable()
export class InvoicePaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async pay(id: string, request: PaymentRequest, context: SignedInContext): Promise<InvoiceResponse> {
    assertNotInFuture('receivedOn', request.receivedOn, this.clock.today(this.config.clinicTimeZone));
    return this.dataSource.transaction(async (manager) => {
      const record = await loadInvoice(manager, id, true);
      const { invoice } = record;
      if (invoice.status !== 'ISSUED') throw NOT_PAYABLE[invoice.status](`This invoice is ${invoice.status}; payments are recorded against issued invoices.`);
      const balance = invoice.totalMinor - invoice.paidMinor;
      if (request.amountMinor > balance) {
        throw BILLING_ERRORS.OVERPAYMENT(`The balance is ${balance} minor units; ${request.amountMinor} would overpay it.`, [{ field: 'amountMinor', reason: `must not exceed the balance of ${balance}` }]);
      }
      const payment = manager.create(PaymentEntity, { invoiceId: id, amountMinor: request.amountMinor, method: request.method, receivedOn: request.receivedOn, reference: request.reference ?? null, recordedBy: context.actor.id });
      await manager.insert(PaymentEntity, payment);
      invoice.paidMinor += request.amountMinor;
      if (invoice.paidMinor === invoice.totalMinor) invoice.status = 'PAID';
      await manager.save(InvoiceEntity, invoice);
      await this.audit.record(context, { action: 'CREATE', resource: 'payment', resourceId: payment.id, patientId: invoice.patientId, detail: { invoiceId: id, amountMinor: request.amountMinor } }, manager);
      return toInvoiceResponse({ ...record, payments: [...record.payments, payment] });
    });
  }
}

const NOT_PAYABLE = { DRAFT: BILLING_ERRORS.NOT_ISSUED, PAID: BILLING_ERRORS.ALREADY_PAID, VOID: BILLING_ERRORS.INVOICE_VOID } as const;
