import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { checkDispensedUnits, productInForce, type ProductInForce } from '../../clinical/dispensed-product.js';
import { checkSupply, stockAmount } from '../../clinical/supply.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { COMMON_ERRORS } from '../../common/errors/common.errors.js';
import { requestHash } from '../../common/http/idempotency.js';
import { readDayThenCreationPage, type DayThenCreation } from '../../common/pagination/creation-order.js';
import { toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { ADMISSION_ERRORS, AdmissionsRepository, assertWithinStay, type AdmissionEntity } from '../admissions/index.js';
import { BILLING_ERRORS } from './billing.errors.js';
import { CatalogueRepository } from './catalogue.repository.js';
import { ChargesService } from './charges.service.js';
import { DispensingOrders } from './dispensing-orders.js';
import type { DispenseRequest, ListDispensationsQuery } from './dto/dispensation.requests.js';
import { toDispensationResponse, type DispensationResponse } from './dto/dispensation.responses.js';
import { ChargeEntity } from './entities/charge.entity.js';
import { DispensationEntity } from './entities/dispensation.entity.js';
import { PriceEntity } from './entities/price.entity.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';

export const DISPENSATION_RESOURCE = 'dispensation';
const MEDICATION = 'MEDICATION';
/** Newest first: by day, then by when they were recorded. */
const NEWEST_FIRST: DayThenCreation<DispensationEntity> = { alias: 'd', dayColumn: 'dispensed_on', dayOf: (d) => d.dispensedOn, direction: 'DESC' };

/** The formulary key of a product: `oxycodone:5:mg`, `fentanyl:25:mcg/h`, `lidocaine:5:%`. */
export function formularyProduct(drug: string, strength: number, unit: string): string {
  return `${drug}:${strength}:${unit}`;
}

/**
 * Medication handed out by nurses. Each dispensation carries a MEDICATION charge at the
 * formulary price of its day, made in the same transaction. Dispensations of one admission are
 * recorded one at a time (the admission row is locked), so retries of one request, however many
 * arrive at once, find the first and make nothing new.
 */
@Injectable()
export class DispensationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly charges: ChargesService,
    private readonly orders: DispensingOrders,
    private readonly stock: StockLedgerRepository,
    private readonly audit: AuditService,
  ) {}

  /** `created` is false when the key was seen before (the first dispensation is returned). */
  async dispense(admissionId: string, request: DispenseRequest, context: SignedInContext): Promise<{ dispensation: DispensationResponse; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lock(manager, admissionId);
      // A retry is answered even after discharge: the dispensation was made during the stay.
      const replay = await this.findReplay(manager, admissionId, request);
      if (replay) {
        const charge = await manager.findOneByOrFail(ChargeEntity, { id: replay.chargeId });
        await this.audit.record(context, { action: 'READ', resource: DISPENSATION_RESOURCE, resourceId: replay.id, patientId: replay.patientId, detail: { idempotentReplay: true } }, manager);
        return { dispensation: toDispensationResponse(replay, charge), created: false };
      }
      if (admission.status !== 'ACTIVE') throw ADMISSION_ERRORS.ADMISSION_NOT_ACTIVE('The patient has been discharged; this admission is closed.');
      assertWithinStay(admission, request.dispensedOn, 'dispensedOn');
      const price = await this.formularyPrice(manager, request);
      const products = await this.orders.productsInForce(manager, admissionId, request);
      const product = applyClinicalRules(() => productInForce(request, products));
      const onHand = await this.onHand(manager, admissionId, request, product);
      const warnings = applyClinicalRules(() => [
        ...checkDispensedUnits(request, product),
        ...checkSupply({ ...request, formulation: product.formulation }, product.orders, onHand),
      ]);
      const charge = await this.charge(manager, admission, request, price, context);
      const dispensation = manager.create(DispensationEntity, {
        admissionId,
        patientId: admission.patientId,
        drug: request.drug,
        formulation: product.formulation,
        strength: request.strength,
        unit: request.unit,
        quantity: request.quantity,
        dispensedOn: request.dispensedOn,
        chargeId: charge.id,
        idempotencyKey: request.idempotencyKey,
        overrideReason: warnings.length > 0 ? request.overrideReason! : null,
        warnings,
        dispensedBy: context.actor.id,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      await manager.insert(DispensationEntity, dispensation);
      await this.audit.record(
        context,
        { action: 'CREATE', resource: DISPENSATION_RESOURCE, resourceId: dispensation.id, patientId: dispensation.patientId, detail: { dispensedOn: dispensation.dispensedOn, chargeId: charge.id, ...(warnings.length > 0 ? { warnings: warnings.map((w) => w.code) } : {}) } },
        manager,
      );
      return { dispensation: toDispensationResponse(dispensation, charge), created: true };
    });
  }

  /** The admission's stock of the product (dispensed − given), in the unit its need is counted in. */
  private async onHand(manager: EntityManager, admissionId: string, request: DispenseRequest, product: ProductInForce): Promise<number> {
    const { unit } = stockAmount(request);
    const line = await this.stock.productLine(manager, admissionId, { drug: request.drug, formulation: product.formulation, unit });
    return line?.onHand ?? 0;
  }

  /** Newest first (by day, then by when they were recorded). */
  async list(admissionId: string, query: ListDispensationsQuery, context: RequestContext): Promise<Page<DispensationResponse>> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = manager.createQueryBuilder(DispensationEntity, 'd').where('d.admission_id = :admissionId', { admissionId });
    const { rows, keyOf } = await readDayThenCreationPage(builder, NEWEST_FIRST, { cursor: query.cursor, limit });
    const page = rows.slice(0, limit);
    const charges = page.length ? await manager.findBy(ChargeEntity, { id: In(page.map((d) => d.chargeId)) }) : [];
    const chargeById = new Map(charges.map((c) => [c.id, c]));
    await this.audit.record(context, { action: 'READ', resource: DISPENSATION_RESOURCE, patientId: admission.patientId, detail: { admissionId, count: page.length } });
    return toPage(rows, limit, keyOf, (d) => toDispensationResponse(d, chargeById.get(d.chargeId)!));
  }

  /**
   * The dispensation recorded under this key, if any; the same key for a different one is a 409.
   * A retry without the formulation matches the one inferred the first time.
   */
  private async findReplay(manager: EntityManager, admissionId: string, request: DispenseRequest): Promise<DispensationEntity | null> {
    const existing = await manager.findOneBy(DispensationEntity, { admissionId, idempotencyKey: request.idempotencyKey });
    const same = (d: DispensationEntity) =>
      d.drug === request.drug && (request.formulation == null || d.formulation === request.formulation) && d.strength === request.strength && d.unit === request.unit && d.quantity === request.quantity && d.dispensedOn === request.dispensedOn &&
      (d.overrideReason === null || d.overrideReason === (request.overrideReason ?? null));
    if (existing && !same(existing)) throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used for a different dispensation.');
    return existing;
  }

  /** The product's price on the day; 422 when it is not in the formulary, or has no price yet. */
  private async formularyPrice(manager: EntityManager, request: DispenseRequest): Promise<PriceEntity> {
    const product = formularyProduct(request.drug, request.strength, request.unit);
    const price = await this.catalogue.priceOn(manager, MEDICATION, product, request.dispensedOn);
    if (price) return price;
    const listed = await manager.existsBy(PriceEntity, { itemCode: MEDICATION, product });
    const what = `${request.drug} ${request.strength} ${request.unit}`;
    throw listed
      ? BILLING_ERRORS.NO_PRICE(`${what} has no formulary price on ${request.dispensedOn}.`)
      : BILLING_ERRORS.NOT_IN_FORMULARY(`${what} is not in the formulary.`, [{ field: 'drug', reason: `${what} is not in the formulary` }]);
  }

  private async charge(manager: EntityManager, admission: AdmissionEntity, request: DispenseRequest, price: PriceEntity, context: SignedInContext): Promise<ChargeEntity> {
    const product = formularyProduct(request.drug, request.strength, request.unit);
    const { charge, created } = await this.charges.insert(manager, {
      admission,
      itemCode: MEDICATION,
      product,
      description: price.label,
      quantity: request.quantity,
      unitPriceMinor: price.unitPriceMinor,
      serviceDate: request.dispensedOn,
      source: 'DISPENSATION',
      // Namespaced so a nurse's key cannot meet a billing clerk's manual charge key by chance.
      idempotencyKey: `dispensation:${request.idempotencyKey}`,
      requestHash: requestHash({ ...request }),
      createdBy: context.actor.id,
    });
    if (created) await this.charges.recordCreation(context, charge, manager);
    return charge;
  }
}
