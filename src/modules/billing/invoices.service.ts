import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { COMMON_ERRORS } from '../../common/errors/common.errors.js';

import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, assertWithinStay } from '../admissions/index.js';
import type { ErrorDetail } from '../../common/errors/domain-error.js';
import type { ListInvoicesQuery } from './dto/invoice.requests.js';
import type { InvoiceResponse } from './dto/invoice.responses.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { INVOICE_RESOURCE } from './invoice-drafting.service.js';
import { nextInvoiceNumber } from './invoice-numbering.js';
import { invoiceQuery, loadChildren, loadInvoice, readInvoices, toInvoiceResponse, type InvoiceRecord } from './invoice-view.js';
import { BILLING_ERRORS } from './billing.errors.js';

/** Issuing (gapless yearly numbers), voiding (releases charges and days), and reading invoices. */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async issue(id: string, context: SignedInContext): Promise<InvoiceResponse> {
    return this.dataSource.transaction(async (manager) => {
      const record = await loadInvoice(manager, id, true);
      const { invoice } = record;
      if (invoice.status !== 'DRAFT') throw (invoice.status === 'VOID' ? BILLING_ERRORS.INVOICE_VOID : BILLING_ERRORS.ALREADY_ISSUED)(`This invoice is ${invoice.status}; only a draft can be issued.`);
      await this.assertPeriodStillInStay(manager, record);
      const year = Number(this.clock.today(this.config.clinicTimeZone).slice(0, 4));
      const { number, sequence } = await nextInvoiceNumber(manager, year);
      // A zero-total invoice has nothing to pay: it is settled as it is issued.
      Object.assign(invoice, { status: invoice.totalMinor === 0 ? 'PAID' : 'ISSUED', number, year, sequence, issuedAt: this.clock.now(), issuedBy: context.actor.id });
      await manager.save(InvoiceEntity, invoice);
      await this.audit.record(context, { action: 'ISSUE', resource: INVOICE_RESOURCE, resourceId: id, patientId: invoice.patientId, detail: { number } }, manager);
      return toInvoiceResponse(record);
    });
  }

  /**
   * The stay may have ended since the draft was made: a fee for days after the discharge is never
   * issued (the discharge rule keeps this from happening now; drafts made before it may remain).
   * A supplementary invoice of charges alone takes no days and may run past the stay.
   */
  private async assertPeriodStillInStay(manager: EntityManager, { invoice, lines }: InvoiceRecord): Promise<void> {
    if (!lines.some((line) => line.kind === 'RESIDENTIAL_FEE')) return;
    const admission = await this.admissions.share(manager, invoice.admissionId);
    const refuse = (message: string, details: ErrorDetail[]) =>
      BILLING_ERRORS.PERIOD_OUTSIDE_STAY(`${message} This draft bills days outside the stay: void it and draft the period again.`, details);
    assertWithinStay(admission, invoice.periodStart, 'periodStart', { refuse });
    assertWithinStay(admission, invoice.periodEnd, 'periodEnd', { refuse });
  }

  /** A correction: the invoice stays on record as VOID and its charges and days can be invoiced again. */
  async void(id: string, reason: string, context: SignedInContext): Promise<InvoiceResponse> {
    return this.dataSource.transaction(async (manager) => {
      const record = await loadInvoice(manager, id, true);
      const { invoice } = record;
      if (invoice.status === 'VOID') throw COMMON_ERRORS.ALREADY_VOID('This invoice is already void.');
      // Payments that are not void keep the invoice: each is voided first (POST /payments/:id/void), then the invoice.
      if (invoice.status === 'PAID') throw BILLING_ERRORS.INVOICE_PAID('A paid invoice cannot be voided: void its payments first (POST /payments/:id/void), then the invoice.');
      if (invoice.paidMinor > 0) throw BILLING_ERRORS.HAS_PAYMENTS('This invoice has payments that are not void: void them first (POST /payments/:id/void), then the invoice.');
      Object.assign(invoice, { status: 'VOID', voidReason: reason, voidedAt: this.clock.now() });
      await manager.save(InvoiceEntity, invoice);
      await manager.query('UPDATE invoice_lines SET live = false WHERE invoice_id = $1 AND live', [id]);
      await manager.query('UPDATE invoiced_days SET live = false WHERE invoice_id = $1 AND live', [id]);
      await this.audit.record(context, { action: 'VOID', resource: INVOICE_RESOURCE, resourceId: id, patientId: invoice.patientId, detail: { number: invoice.number } }, manager);
      return toInvoiceResponse({ ...record, lines: record.lines.map((line) => ({ ...line, live: false })) });
    });
  }

  async get(id: string, context: RequestContext): Promise<InvoiceRecord> {
    const record = await loadInvoice(this.dataSource.manager, id);
    await this.audit.record(context, { action: 'READ', resource: INVOICE_RESOURCE, resourceId: id, patientId: record.invoice.patientId });
    return record;
  }

  /** Every invoice of a stay, oldest first, a page at a time: four statements whatever their number. */
  async listForAdmission(admissionId: string, query: ListInvoicesQuery, context: RequestContext): Promise<Page<InvoiceResponse>> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = invoiceQuery(manager)
      .where('i.admission_id = :admissionId', { admissionId })
      .orderBy('i.position', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .limit(limit + 1);
    if (query.cursor) {
      const [afterPosition, afterId] = decodeCursor(query.cursor, ['integer', 'uuid']);
      builder.andWhere('(i.position, i.id) > (:afterPosition::bigint, :afterId::uuid)', { afterPosition, afterId });
    }
    const invoices = await readInvoices(builder);
    // Lines and payments only for the invoices shown, not the extra row that tells whether a next page exists.
    const records = new Map((await loadChildren(manager, invoices.slice(0, limit))).map((record) => [record.invoice.id, record]));
    await this.audit.record(context, { action: 'READ', resource: INVOICE_RESOURCE, patientId: admission.patientId, detail: { admissionId } });
    return toPage(invoices, limit, ({ invoice }) => [Number(invoice.position), invoice.id], ({ invoice }) => toInvoiceResponse(records.get(invoice.id)!));
  }
}
