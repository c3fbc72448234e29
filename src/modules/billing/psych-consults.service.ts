import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { COMMON_ERRORS } from '../../common/errors/common.errors.js';

import { toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, assertWithinStay, type AdmissionEntity } from '../admissions/index.js';
import { CatalogueRepository } from './catalogue.repository.js';
import { requestHash } from '../../common/http/idempotency.js';
import { ChargesService, EXTRA_PSYCH_CONSULT } from './charges.service.js';
import { assessConsult, type ConsultAssessment } from './consult-quota.js';
import { readDayThenCreationPage, type DayThenCreation } from '../../common/pagination/creation-order.js';
import type { ListConsultsQuery, RecordConsultRequest } from './dto/consult.requests.js';
import { toConsultResponse, type ConsultResponse } from './dto/consult.responses.js';
import { ChargeEntity } from './entities/charge.entity.js';
import { PsychConsultEntity } from './entities/psych-consult.entity.js';
import { BILLING_ERRORS } from './billing.errors.js';

export const CONSULT_RESOURCE = 'psych_consult';
/** Oldest first: by date, then by when they were recorded. */
const OLDEST_FIRST: DayThenCreation<PsychConsultEntity> = { alias: 'c', dayColumn: 'date', dayOf: (c) => c.date, direction: 'ASC' };

/** The request as stored, for comparing a retry with the first request. */
interface ConsultFacts {
  date: string;
  kind: PsychConsultEntity['kind'];
  notes: string | null;
  idempotencyKey: string;
}

/**
 * Psychiatric consults: included in the fee up to the quota (domain.md §10), billed past it as
 * an EXTRA_PSYCH_CONSULT charge in the same transaction. Consults of one admission are recorded
 * one at a time (the admission row is locked), so two at once cannot both take the last
 * included place.
 */
@Injectable()
export class PsychConsultsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly charges: ChargesService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** `created` is false when the key was seen before (the first consult is returned). */
  async record(admissionId: string, request: RecordConsultRequest, context: SignedInContext): Promise<{ consult: ConsultResponse; created: boolean }> {
    const facts: ConsultFacts = { date: request.date, kind: request.kind, notes: request.notes || null, idempotencyKey: request.idempotencyKey ?? randomUUID() };
    return this.dataSource.transaction(async (manager) => {
      // Any status: consults are often written up after the fact, discharge included.
      const admission = await this.admissions.lock(manager, admissionId);
      const replay = await this.findReplay(manager, admissionId, facts);
      if (replay) {
        await this.audit.record(context, { action: 'READ', resource: CONSULT_RESOURCE, resourceId: replay.id, patientId: replay.patientId, detail: { idempotentReplay: true } }, manager);
        return { consult: toConsultResponse(replay, await this.chargeOf(manager, replay), true), created: false };
      }
      assertWithinStay(admission, facts.date, 'date');
      // A void consult counts toward nothing: its included place is free for this one.
      const earlier = await manager.find(PsychConsultEntity, { where: { admissionId, voidedAt: IsNull() }, select: { kind: true, date: true, billable: true } });
      const assessment = assessConsult(facts, admission.admittedOn, earlier, this.config.psychRoutineChecksPer30Days);
      const charge = assessment.billable ? await this.charge(manager, admission, facts, assessment, context) : null;
      const consult = manager.create(PsychConsultEntity, { admissionId, patientId: admission.patientId, ...facts, billable: assessment.billable, chargeId: charge?.id ?? null, createdBy: context.actor.id });
      await manager.insert(PsychConsultEntity, consult);
      await this.audit.record(
        context,
        { action: 'CREATE', resource: CONSULT_RESOURCE, resourceId: consult.id, patientId: consult.patientId, detail: { kind: consult.kind, date: consult.date, billable: consult.billable, chargeId: consult.chargeId } },
        manager,
      );
      return { consult: toConsultResponse(consult, charge, true), created: true };
    });
  }

  /** Oldest first (by date, then by when they were recorded). */
  async list(admissionId: string, query: ListConsultsQuery, context: SignedInContext): Promise<Page<ConsultResponse>> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = manager.createQueryBuilder(PsychConsultEntity, 'c').where('c.admission_id = :admissionId', { admissionId });
    const { rows, keyOf } = await readDayThenCreationPage(builder, OLDEST_FIRST, { cursor: query.cursor, limit });
    const charges = await this.chargesOf(manager, rows.slice(0, limit));
    // Billing staff see that a consult happened and what it cost; the notes are for clinicians.
    const withNotes = context.actor.roles.includes('psychiatrist');
    await this.audit.record(context, { action: 'READ', resource: CONSULT_RESOURCE, patientId: admission.patientId, detail: { admissionId, count: Math.min(rows.length, limit) } });
    return toPage(rows, limit, keyOf, (c) => toConsultResponse(c, c.chargeId ? (charges.get(c.chargeId) ?? null) : null, withNotes));
  }

  /** The consult recorded under this key, if any; the same key for a different consult is a 409. */
  private async findReplay(manager: EntityManager, admissionId: string, facts: ConsultFacts): Promise<PsychConsultEntity | null> {
    const existing = await manager.findOneBy(PsychConsultEntity, { admissionId, idempotencyKey: facts.idempotencyKey });
    if (existing && (existing.date !== facts.date || existing.kind !== facts.kind || existing.notes !== facts.notes)) {
      throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used for a different consult.');
    }
    return existing;
  }

  private async charge(manager: EntityManager, admission: AdmissionEntity, facts: ConsultFacts, assessment: ConsultAssessment, context: SignedInContext): Promise<ChargeEntity> {
    const price = await this.catalogue.priceOn(manager, EXTRA_PSYCH_CONSULT, '', facts.date);
    if (!price) throw BILLING_ERRORS.NO_PRICE(`${EXTRA_PSYCH_CONSULT} has no price on ${facts.date}.`);
    // Namespaced so the consult's key cannot meet a billing clerk's manual charge key by chance.
    const key = `psych-consult:${facts.idempotencyKey}`;
    const { charge, created } = await this.charges.insert(manager, {
      admission,
      itemCode: EXTRA_PSYCH_CONSULT,
      product: '',
      description: `${price.label} (${assessment.reason})`,
      quantity: 1,
      unitPriceMinor: price.unitPriceMinor,
      serviceDate: facts.date,
      source: 'CONSULT',
      idempotencyKey: key,
      requestHash: requestHash({ ...facts }),
      createdBy: context.actor.id,
    });
    if (created) await this.charges.recordCreation(context, charge, manager);
    return charge;
  }

  private async chargeOf(manager: EntityManager, consult: PsychConsultEntity): Promise<ChargeEntity | null> {
    return consult.chargeId ? manager.findOneBy(ChargeEntity, { id: consult.chargeId }) : null;
  }

  private async chargesOf(manager: EntityManager, consults: PsychConsultEntity[]): Promise<Map<string, ChargeEntity>> {
    const ids = consults.flatMap((c) => (c.chargeId ? [c.chargeId] : []));
    const charges = ids.length ? await manager.findBy(ChargeEntity, { id: In(ids) }) : [];
    return new Map(charges.map((c) => [c.id, c]));
  }
}
