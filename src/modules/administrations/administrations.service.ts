import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { stockWarnings } from '../../clinical/supply.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { calendarDate, Clock } from '../../common/clock.js';
import { COMMON_ERRORS, NotFound, ValidationFailed } from '../../common/errors/common.errors.js';
import { requestHash } from '../../common/http/idempotency.js';
import { decodeInstantPositionCursor, instantPositionKey, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { pastInstantProblems } from '../../common/validation/past-instant.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, assertWithinStay } from '../admissions/index.js';
import { StockLedgerRepository } from '../billing/index.js';
import { AdministeredOrders, type AdministeredOrder } from './administered-order.js';
import { AdministrationEntity } from './administration.entity.js';
import { AdministrationsRepository } from './administrations.repository.js';
import type { ListAdministrationsQuery, RecordAdministrationRequest, VoidAdministrationRequest } from './dto/administration.requests.js';
import { toAdministrationResponse, type AdministrationResponse, type MedicationBalanceResponse } from './dto/administration.responses.js';

export const ADMINISTRATION_RESOURCE = 'administration';

/**
 * The medication administration record (domain.md §8a). Entries of one admission are written one
 * at a time (the admission row is locked), so two nurses recording the same dose at once cannot
 * both fit under the day's limit, and retries of one request find the first entry.
 */
@Injectable()
export class AdministrationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly orders: AdministeredOrders,
    private readonly record: AdministrationsRepository,
    private readonly stock: StockLedgerRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** `created` is false when the key was seen before (the first entry is returned). */
  async give(admissionId: string, request: RecordAdministrationRequest, context: SignedInContext): Promise<{ entry: AdministrationResponse; created: boolean }> {
    const givenAt = new Date(request.givenAt);
    const problems = pastInstantProblems(givenAt, this.clock.now(), 'givenAt');
    if (problems.length > 0) throw new ValidationFailed(problems);
    const hash = requestHash({ ...request, givenAt: givenAt.toISOString() });
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lock(manager, admissionId);
      const replay = await this.record.findByKey(manager, admissionId, request.idempotencyKey);
      if (replay) {
        if (replay.requestHash !== hash) throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used for a different administration.');
        await this.audit.record(context, { action: 'READ', resource: ADMINISTRATION_RESOURCE, resourceId: replay.id, patientId: replay.patientId, detail: { idempotentReplay: true } }, manager);
        return { entry: toAdministrationResponse(replay), created: false };
      }
      const givenOn = calendarDate(givenAt, this.config.clinicTimeZone);
      // A dose given on the day of discharge may be entered after the discharge was recorded.
      assertWithinStay(admission, givenOn, 'givenAt');
      const order = await this.orders.check(manager, { admissionId, enquiryId: admission.enquiryId, request, givenAt, givenOn }, context);
      const warnings = request.outcome === 'GIVEN' ? await this.stockWarnings(manager, admissionId, order, request.dose) : [];
      const entry = manager.create(AdministrationEntity, {
        admissionId,
        patientId: admission.patientId,
        orderKind: order.orderKind,
        orderId: order.orderId,
        versionId: order.versionId,
        drug: order.drug,
        formulation: order.formulation,
        unit: order.unit,
        dose: request.dose,
        givenAt,
        givenOn,
        outcome: request.outcome,
        reason: request.reason ?? null,
        givenBy: context.actor.id,
        witnessId: request.witnessId ?? null,
        warnings,
        idempotencyKey: request.idempotencyKey,
        requestHash: hash,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      await manager.insert(AdministrationEntity, entry);
      const detail = { orderKind: entry.orderKind, outcome: entry.outcome, givenOn, warnings: warnings.map((w) => w.code) };
      await this.audit.record(context, { action: 'CREATE', resource: ADMINISTRATION_RESOURCE, resourceId: entry.id, patientId: entry.patientId, detail }, manager);
      return { entry: toAdministrationResponse(entry), created: true };
    });
  }

  /** Marks an entry void, with the reason; it stays on record. Voiding twice is a 409. */
  async void(id: string, request: VoidAdministrationRequest, context: SignedInContext): Promise<AdministrationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(AdministrationEntity, { select: { id: true, admissionId: true }, where: { id } });
      if (!found) throw new NotFound('Administration');
      // The admission first, as in give(): a void and a new dose of one patient queue in one order.
      await this.admissions.lock(manager, found.admissionId);
      const entry = await this.record.lock(manager, id);
      if (entry.voidedAt) throw COMMON_ERRORS.ALREADY_VOID(`This entry was voided at ${entry.voidedAt.toISOString()}.`);
      Object.assign(entry, { voidedAt: this.clock.now(), voidedBy: context.actor.id, voidReason: request.reason });
      await manager.update(AdministrationEntity, { id }, { voidedAt: entry.voidedAt, voidedBy: entry.voidedBy, voidReason: entry.voidReason });
      await this.audit.record(context, { action: 'VOID', resource: ADMINISTRATION_RESOURCE, resourceId: id, patientId: entry.patientId, detail: { voided: true } }, manager);
      return toAdministrationResponse(entry);
    });
  }

  /** In the order given, then recorded; paged like every list. */
  async list(admissionId: string, query: ListAdministrationsQuery, context: RequestContext): Promise<Page<AdministrationResponse>> {
    const manager = this.dataSource.manager;
    const after = query.cursor ? decodeInstantPositionCursor(query.cursor) : null;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const admission = await this.admissions.find(manager, admissionId);
    const rows = await this.record.list(manager, admissionId, query, { after, limit });
    const page = toPage(rows, limit, (a) => instantPositionKey(a.givenAt, a.position), toAdministrationResponse);
    await this.audit.record(context, { action: 'READ', resource: ADMINISTRATION_RESOURCE, patientId: admission.patientId, detail: { admissionId, count: page.items.length } });
    return page;
  }

  /** Per product (drug + formulation): dispensed for the admission, given, and on hand (domain.md §10). */
  async balance(admissionId: string, context: RequestContext): Promise<MedicationBalanceResponse> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const items = await this.stock.balance(manager, admissionId);
    await this.audit.record(context, { action: 'READ', resource: 'medication_balance', patientId: admission.patientId, detail: { admissionId } });
    return { admissionId, items };
  }

  /** After this dose, more of its product (the order's drug + formulation) given than dispensed for the admission: a warning to reconcile. */
  private async stockWarnings(manager: EntityManager, admissionId: string, order: AdministeredOrder, dose: number): Promise<ClinicalWarning[]> {
    const line = await this.stock.productLine(manager, admissionId, order);
    return stockWarnings(line, order, order.unit, dose);
  }
}
