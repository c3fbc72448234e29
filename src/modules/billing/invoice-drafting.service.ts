import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { CLINIC_CURRENCY, proratedFeeMinor } from '../../common/money/money.js';
import { AdmissionsRepository, assertWithinStay, type AdmissionEntity } from '../admissions/index.js';
import { CatalogueRepository } from './catalogue.repository.js';
import type { DraftInvoiceRequest } from './dto/invoice.requests.js';
import type { InvoiceResponse } from './dto/invoice.responses.js';
import { BillingItemEntity } from './entities/billing-item.entity.js';
import { ChargeEntity } from './entities/charge.entity.js';
import { InvoiceLineEntity } from './entities/invoice-line.entity.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { loadInvoice, toInvoiceResponse } from './invoice-view.js';
import { BILLING_ERRORS } from './billing.errors.js';
import { daysInclusive } from '../../clinical/calendar-dates.js';

export const INVOICE_RESOURCE = 'invoice';
const MAX_PERIOD_DAYS = 366;

// Charges of the stay that are not void and on no live invoice yet, dated in the period, or dated earlier on a day no
// period can take any more (before the stay, or already on a live invoice: a bill that came in
// late), so that no charge is ever left unbillable.
const UNINVOICED_CHARGES = `
  SELECT c.id FROM charges c
  WHERE c.admission_id = $1 AND c.service_date <= $3::date
    AND (c.service_date >= $2::date OR c.service_date < $4::date
         OR EXISTS (SELECT 1 FROM invoiced_days d WHERE d.admission_id = c.admission_id AND d.day = c.service_date AND d.live))
    AND c.voided_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.charge_id = c.id AND l.live)
  ORDER BY c.service_date, c.created_at, c.id`;

// A supplementary invoice: the stay's charges on no live invoice yet, dated in the period.
const UNINVOICED_CHARGES_IN_PERIOD = `
  SELECT c.id FROM charges c
  WHERE c.admission_id = $1 AND c.service_date BETWEEN $2::date AND $3::date
    AND c.voided_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.charge_id = c.id AND l.live)
  ORDER BY c.service_date, c.created_at, c.id`;

const DAYS_ALREADY_INVOICED = `
  SELECT min(day)::text AS first, max(day)::text AS last FROM invoiced_days
  WHERE admission_id = $1 AND live AND day BETWEEN $2::date AND $3::date`;

/**
 * A draft for a period: the prorated residential fee, every uninvoiced billable charge dated in
 * it (and any that missed their own period, see UNINVOICED_CHARGES), and the included services
 * as zero lines. Drafts of one stay are made one at a time (the admission row is locked), and
 * the database refuses a day or a charge on two live invoices.
 */
@Injectable()
export class InvoiceDraftingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly audit: AuditService,
  ) {}

  async draft(admissionId: string, request: DraftInvoiceRequest, context: SignedInContext): Promise<InvoiceResponse> {
    const days = daysInclusive(request.periodStart, request.periodEnd);
    if (days < 1) throw new ValidationFailed([{ field: 'periodEnd', reason: 'must not be before periodStart' }]);
    if (days > MAX_PERIOD_DAYS) throw new ValidationFailed([{ field: 'periodEnd', reason: `must be at most ${MAX_PERIOD_DAYS} days after periodStart` }]);
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lock(manager, admissionId);
      if (request.chargesOnly) return this.draftCharges(manager, admission, request, context);
      await this.checkPeriod(manager, admission, request);
      const fee = await this.catalogue.priceOn(manager, 'RESIDENTIAL_FEE', '', request.periodStart);
      if (!fee) throw BILLING_ERRORS.NO_PRICE(`There is no residential fee for ${request.periodStart}.`);
      const chargeIds: { id: string }[] = await manager.query(UNINVOICED_CHARGES, [admissionId, request.periodStart, request.periodEnd, admission.admittedOn]);
      const charges = chargeIds.length ? await manager.find(ChargeEntity, { where: { id: In(chargeIds.map((c) => c.id)) } }) : [];
      const included = await manager.find(BillingItemEntity, { where: { coverage: 'INCLUDED' }, order: { sortOrder: 'ASC' } });
      const lines = buildLines(request, days, proratedFeeMinor(fee.unitPriceMinor, days), sortCharges(charges), included);
      const invoice = await this.insertDraft(manager, admission, request, lines, context);
      await manager.query(
        `INSERT INTO invoiced_days (invoice_id, day, admission_id, live)
         SELECT $1, d::date, $2, true FROM generate_series($3::date, $4::date, interval '1 day') d`,
        [invoice.id, admissionId, request.periodStart, request.periodEnd],
      );
      await this.audit.record(context, { action: 'CREATE', resource: INVOICE_RESOURCE, resourceId: invoice.id, patientId: admission.patientId, detail: { periodStart: request.periodStart, periodEnd: request.periodEnd, charges: charges.length } }, manager);
      return toInvoiceResponse(await loadInvoice(manager, invoice.id));
    });
  }

  /**
   * A supplementary invoice of charges alone (no fee, no days taken): what no period can take any
   * more, such as a late bill for days already invoiced or the flight home after the stay.
   */
  private async draftCharges(manager: EntityManager, admission: AdmissionEntity, request: DraftInvoiceRequest, context: SignedInContext): Promise<InvoiceResponse> {
    const chargeIds: { id: string }[] = await manager.query(UNINVOICED_CHARGES_IN_PERIOD, [admission.id, request.periodStart, request.periodEnd]);
    if (chargeIds.length === 0) throw BILLING_ERRORS.NOTHING_TO_INVOICE(`No uninvoiced charge of this stay is dated ${request.periodStart} to ${request.periodEnd}.`);
    const charges = sortCharges(await manager.find(ChargeEntity, { where: { id: In(chargeIds.map((c) => c.id)) } }));
    const invoice = await this.insertDraft(manager, admission, request, charges.map(chargeLine), context);
    const detail = { periodStart: request.periodStart, periodEnd: request.periodEnd, charges: charges.length, chargesOnly: true };
    await this.audit.record(context, { action: 'CREATE', resource: INVOICE_RESOURCE, resourceId: invoice.id, patientId: admission.patientId, detail }, manager);
    return toInvoiceResponse(await loadInvoice(manager, invoice.id));
  }

  private async insertDraft(manager: EntityManager, admission: AdmissionEntity, request: DraftInvoiceRequest, lines: NewLine[], context: SignedInContext): Promise<InvoiceEntity> {
    const totalMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
    if (!Number.isSafeInteger(totalMinor)) throw BILLING_ERRORS.INVOICE_TOO_LARGE('The total of this period is too large for one invoice; invoice a shorter period.');
    const invoice = manager.create(InvoiceEntity, {
      admissionId: admission.id,
      patientId: admission.patientId,
      status: 'DRAFT',
      periodStart: request.periodStart,
      periodEnd: request.periodEnd,
      currency: CLINIC_CURRENCY,
      totalMinor,
      paidMinor: 0,
      createdBy: context.actor.id,
    });
    await manager.insert(InvoiceEntity, invoice);
    await manager.insert(InvoiceLineEntity, lines.map((line, i) => manager.create(InvoiceLineEntity, { ...line, invoiceId: invoice.id, position: i + 1, live: true })));
    return invoice;
  }

  private async checkPeriod(manager: EntityManager, admission: AdmissionEntity, request: DraftInvoiceRequest): Promise<void> {
    assertWithinStay(admission, request.periodStart, 'periodStart', { refuse: BILLING_ERRORS.PERIOD_OUTSIDE_STAY });
    assertWithinStay(admission, request.periodEnd, 'periodEnd', { refuse: BILLING_ERRORS.PERIOD_OUTSIDE_STAY });
    const [taken]: { first: string | null; last: string | null }[] = await manager.query(DAYS_ALREADY_INVOICED, [admission.id, request.periodStart, request.periodEnd]);
    if (taken?.first) throw BILLING_ERRORS.PERIOD_ALREADY_INVOICED(`${taken.first} to ${taken.last} are already on a live invoice of this stay.`);
  }
}

type NewLine = Pick<InvoiceLineEntity, 'kind' | 'description' | 'serviceDate' | 'quantity' | 'unitPriceMinor' | 'amountMinor' | 'chargeId'>;

function buildLines(request: DraftInvoiceRequest, days: number, feeMinor: number, charges: ChargeEntity[], included: BillingItemEntity[]): NewLine[] {
  const fee: NewLine = {
    kind: 'RESIDENTIAL_FEE',
    description: `Residential programme, ${request.periodStart} to ${request.periodEnd} (${days} ${days === 1 ? 'day' : 'days'})`,
    serviceDate: null,
    quantity: days,
    unitPriceMinor: null,
    amountMinor: feeMinor,
    chargeId: null,
  };
  const extras = charges.map(chargeLine);
  const free = included.map<NewLine>((item) => ({ kind: 'INCLUDED', description: item.name, serviceDate: null, quantity: 1, unitPriceMinor: 0, amountMinor: 0, chargeId: null }));
  return [fee, ...extras, ...free];
}

function chargeLine(c: ChargeEntity): NewLine {
  return { kind: 'CHARGE', description: c.description, serviceDate: c.serviceDate, quantity: c.quantity, unitPriceMinor: c.unitPriceMinor, amountMinor: c.amountMinor, chargeId: c.id };
}

function sortCharges(charges: ChargeEntity[]): ChargeEntity[] {
  return [...charges].sort((a, b) => a.serviceDate.localeCompare(b.serviceDate) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}
