import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays } from '../../clinical/calendar-dates.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { COMMON_ERRORS, ValidationFailed } from '../../common/errors/common.errors.js';
import { requestHash } from '../../common/http/idempotency.js';
import { CLINIC_CURRENCY, lineAmountMinor } from '../../common/money/money.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AdmissionsRepository, assertWithinStay, type AdmissionEntity } from '../admissions/index.js';
import { BILLING_ERRORS } from './billing.errors.js';
import { CatalogueRepository } from './catalogue.repository.js';
import type { CreateChargeRequest, ListChargesQuery } from './dto/charge.requests.js';
import { toChargeResponse, type ChargeResponse } from './dto/charge.responses.js';
import type { BillingItemEntity } from './entities/billing-item.entity.js';
import { ChargeEntity, type ChargeSource } from './entities/charge.entity.js';

export const CHARGE_RESOURCE = 'charge';
/** ฿10 billion, the largest unit price: larger amounts would not add up exactly on an invoice. */
export const MAX_CHARGE_MINOR = 1_000_000_000_000;

/** What a new charge needs; the amount is computed here. */
export interface NewCharge {
  admission: AdmissionEntity;
  itemCode: string;
  product: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  serviceDate: string;
  source: ChargeSource;
  idempotencyKey: string;
  requestHash: string;
  createdBy: string;
}

/**
 * Travel is paid for around the stay, not during it: the flight in, the visa, the flight home.
 * Those pass-through items may be dated this many days before the admission or after the discharge.
 */
export const TRAVEL_ITEMS: readonly string[] = ['FLIGHT', 'VISA_FEE'];

/** The item a psychiatric consult past the fee's quota is charged as. */
export const EXTRA_PSYCH_CONSULT = 'EXTRA_PSYCH_CONSULT';
export const TRAVEL_WINDOW_DAYS = 60;

/** A charge's service date lies within the stay (travel within its window around the stay); 422 otherwise. */
function assertServiceDateFits(admission: AdmissionEntity, itemCode: string, serviceDate: string): void {
  if (!TRAVEL_ITEMS.includes(itemCode)) return assertWithinStay(admission, serviceDate, 'serviceDate');
  const window = { admittedOn: addDays(admission.admittedOn, -TRAVEL_WINDOW_DAYS), dischargedOn: admission.dischargedOn && addDays(admission.dischargedOn, TRAVEL_WINDOW_DAYS) };
  assertWithinStay(window, serviceDate, 'serviceDate');
}

/** Billable extras. Every charge-creating call is idempotent on (admission, key). */
@Injectable()
export class ChargesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly audit: AuditService,
  ) {}

  /** A manual charge; `created` is false when the key was seen before (the first charge is returned). */
  async create(admissionId: string, request: CreateChargeRequest, context: SignedInContext): Promise<{ charge: ChargeResponse; created: boolean }> {
    const hash = requestHash(request);
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.share(manager, admissionId);
      const replay = await this.findByKey(manager, admissionId, request.idempotencyKey, hash);
      if (replay) return this.replay(manager, replay, context);
      assertServiceDateFits(admission, request.itemCode, request.serviceDate);
      const item = await this.catalogue.item(manager, request.itemCode).catch(() => {
        throw BILLING_ERRORS.UNKNOWN_ITEM(`${request.itemCode} is not in the catalogue.`, [{ field: 'itemCode', reason: 'is not in the catalogue' }]);
      });
      const unitPriceMinor = await this.unitPrice(manager, item, request);
      const description = request.description ?? item.name;
      const result = await this.insert(manager, { admission, itemCode: item.code, product: '', description, quantity: request.quantity, unitPriceMinor, serviceDate: request.serviceDate, source: 'MANUAL', idempotencyKey: request.idempotencyKey, requestHash: hash, createdBy: context.actor.id });
      // A retry that raced the first request waited for its commit: it is a replay all the same.
      if (!result.created) return this.replay(manager, result.charge, context);
      await this.recordCreation(context, result.charge, manager);
      return { charge: toChargeResponse(result.charge, null), created: true };
    });
  }

  /** A retry reads the charge made the first time: that read is on the trail too. */
  private async replay(manager: EntityManager, charge: ChargeEntity, context: SignedInContext): Promise<{ charge: ChargeResponse; created: false }> {
    await this.audit.record(context, { action: 'READ', resource: CHARGE_RESOURCE, resourceId: charge.id, patientId: charge.patientId, detail: { idempotentReplay: true } }, manager);
    return { charge: toChargeResponse(charge, await this.liveInvoiceOf(manager, charge.id)), created: false };
  }

  /**
   * Inserts unless a charge with the key exists; under concurrency the losers wait for the
   * winner's commit (ON CONFLICT) and return its charge, so fifty retries make one charge.
   */
  async insert(manager: EntityManager, input: NewCharge): Promise<{ charge: ChargeEntity; created: boolean }> {
    const amountMinor = chargeAmount(input.quantity, input.unitPriceMinor);
    const row = manager.create(ChargeEntity, {
      admissionId: input.admission.id,
      patientId: input.admission.patientId,
      itemCode: input.itemCode,
      product: input.product,
      description: input.description,
      quantity: input.quantity,
      unitPriceMinor: input.unitPriceMinor,
      amountMinor,
      currency: CLINIC_CURRENCY,
      serviceDate: input.serviceDate,
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      createdBy: input.createdBy,
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
    });
    const inserted = await manager.createQueryBuilder().insert().into(ChargeEntity).values(row).orIgnore().execute();
    if (inserted.raw.length > 0) return { charge: row, created: true };
    const existing = await this.findByKey(manager, input.admission.id, input.idempotencyKey, input.requestHash);
    if (!existing) throw new Error('idempotent insert found neither a new nor an existing charge');
    return { charge: existing, created: false };
  }

  async recordCreation(context: RequestContext, charge: ChargeEntity, manager: EntityManager): Promise<void> {
    await this.audit.record(
      context,
      { action: 'CREATE', resource: CHARGE_RESOURCE, resourceId: charge.id, patientId: charge.patientId, detail: { itemCode: charge.itemCode, amountMinor: charge.amountMinor } },
      manager,
    );
  }

  async list(admissionId: string, query: ListChargesQuery, context: RequestContext): Promise<Page<ChargeResponse>> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = manager
      .createQueryBuilder(ChargeEntity, 'c')
      .leftJoin('invoice_lines', 'l', 'l.charge_id = c.id AND l.live')
      .addSelect('l.invoice_id', 'invoice_id')
      .where('c.admission_id = :admissionId', { admissionId })
      .orderBy('c.service_date', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    // A void charge is listed (marked) but is never to be invoiced: not among the uninvoiced ones.
    if (query.uninvoiced) builder.andWhere(query.uninvoiced === 'true' ? 'l.id IS NULL AND c.voided_at IS NULL' : 'l.id IS NOT NULL');
    if (query.cursor) {
      const [serviceDate, id] = decodeCursor(query.cursor, ['string', 'uuid']);
      builder.andWhere('(c.service_date, c.id) > (:serviceDate::date, :id::uuid)', { serviceDate, id });
    }
    const { entities, raw } = await builder.getRawAndEntities<{ invoice_id: string | null }>();
    const invoiceOf = new Map(entities.map((charge, i) => [charge.id, raw[i]?.invoice_id ?? null]));
    await this.audit.record(context, { action: 'READ', resource: CHARGE_RESOURCE, patientId: admission.patientId, detail: { admissionId } });
    return toPage(entities, limit, (c) => [c.serviceDate, c.id], (c) => toChargeResponse(c, invoiceOf.get(c.id) ?? null));
  }

  /** An earlier charge under this key; the same key with a different request is a 409. */
  async findByKey(manager: EntityManager, admissionId: string, idempotencyKey: string, hash: string): Promise<ChargeEntity | null> {
    const existing = await manager.findOneBy(ChargeEntity, { admissionId, idempotencyKey });
    if (existing && existing.requestHash !== hash) {
      throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used for a different request.');
    }
    return existing;
  }

  private async liveInvoiceOf(manager: EntityManager, chargeId: string): Promise<string | null> {
    const rows: { invoice_id: string }[] = await manager.query('SELECT invoice_id FROM invoice_lines WHERE charge_id = $1 AND live', [chargeId]);
    return rows[0]?.invoice_id ?? null;
  }

  private async unitPrice(manager: EntityManager, item: BillingItemEntity, request: CreateChargeRequest): Promise<number> {
    // Only the consult record knows whether the fee's included consults are used up.
    if (item.code === EXTRA_PSYCH_CONSULT) throw BILLING_ERRORS.USE_PSYCH_CONSULT('Record the consult (POST /admissions/:id/psychiatric-consults): past the included ones it is charged.');
    switch (item.pricing) {
      case 'INCLUDED':
        throw BILLING_ERRORS.ITEM_INCLUDED_IN_FEE(`${item.name} is included in the residential fee and is never charged.`);
      case 'FEE':
        throw BILLING_ERRORS.BILLED_BY_INVOICE('The residential fee is billed by invoice period, not as a charge.');
      case 'FORMULARY':
        throw BILLING_ERRORS.USE_DISPENSATION('Medication is charged when a nurse records the dispensation.');
      case 'VARIABLE':
        if (request.unitPriceMinor === undefined) throw new ValidationFailed([{ field: 'unitPriceMinor', reason: `is required for ${item.code} (its price varies)` }]);
        return request.unitPriceMinor;
      case 'FIXED': {
        if (request.unitPriceMinor !== undefined) throw new ValidationFailed([{ field: 'unitPriceMinor', reason: `must not be given: ${item.code} has a catalogue price` }]);
        const price = await this.catalogue.priceOn(manager, item.code, '', request.serviceDate);
        if (!price) throw BILLING_ERRORS.NO_PRICE(`${item.code} has no price on ${request.serviceDate}.`);
        return price.unitPriceMinor;
      }
    }
  }
}

/** quantity × unit price, refused (400) above the largest single charge the clinic accepts. */
function chargeAmount(quantity: number, unitPriceMinor: number): number {
  const tooLarge = () => new ValidationFailed([{ field: 'quantity', reason: `quantity × unit price must not exceed ${MAX_CHARGE_MINOR} minor units` }]);
  let amountMinor: number;
  try {
    amountMinor = lineAmountMinor(quantity, unitPriceMinor);
  } catch {
    throw tooLarge();
  }
  if (amountMinor > MAX_CHARGE_MINOR) throw tooLarge();
  return amountMinor;
}
