import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { amendTaper, DEFAULT_TAPER_RULES, generateTaper, type AmendedTaper, type TaperParams, type TaperRules, type TaperStep } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { NotFound, ValidationFailed } from '../../common/errors/common.errors.js';
import { createdMicros } from '../../common/pagination/creation-order.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository } from '../admissions/index.js';
import type { AmendTaperOrderRequest, CreateTaperOrderRequest, ListTaperOrdersQuery } from './dto/taper-order.requests.js';
import { toTaperOrderResponse, toVersionSummary, type TaperOrderResponse, type TaperOrderWithVersions } from './dto/taper-order.responses.js';
import { TaperOrderEntity } from './taper-order.entity.js';
import { TaperOrdersRepository } from './taper-orders.repository.js';
import { TaperStepEntity } from './taper-step.entity.js';
import { TAPER_ORDER_ERRORS } from './taper-orders.errors.js';

const RESOURCE = 'taper_order';

/** The list's exact sort key (see createdMicros). */
const CREATED_MICROS = createdMicros('o');

/** Taper orders: drafts, signing, amendments as new versions, and their history. */
@Injectable()
export class TaperOrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: TaperOrdersRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async createDraft(admissionId: string, request: CreateTaperOrderRequest, context: SignedInContext): Promise<TaperOrderResponse> {
    const params = toParams(request);
    const schedule = applyClinicalRules(() => generateTaper(params, this.rules()));
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lockActive(manager, admissionId);
      const order = manager.create(TaperOrderEntity, {
        ...params,
        overrideReason: request.overrideReason ?? null,
        lifeThreateningReason: request.lifeThreateningReason ?? null,
        version: 1,
        admissionId,
        patientId: admission.patientId,
        status: 'DRAFT',
        endsOn: schedule.endsOn,
        warnings: schedule.warnings,
        pauses: [],
        supersedesId: null,
        effectiveFrom: null,
        amendmentReason: null,
        supersededFrom: null,
        createdBy: context.actor.id,
        signedBy: null,
        signedAt: null,
      });
      order.id = randomUUID();
      order.orderId = order.id;
      await manager.insert(TaperOrderEntity, order);
      const steps = await this.orders.insertSteps(manager, order.id, schedule.steps);
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: order.id, patientId: order.patientId, detail: { drug: order.drug, version: 1 } }, manager);
      return toTaperOrderResponse(order, steps);
    });
  }

  /** DRAFT → ACTIVE. A signed order never changes; only one may be active per opioid and admission. */
  async sign(id: string, context: SignedInContext): Promise<TaperOrderResponse> {
    return this.dataSource.transaction(async (manager) => {
      const order = await this.orders.lockVersion(manager, id);
      if (order.status !== 'DRAFT') throw TAPER_ORDER_ERRORS.ALREADY_SIGNED(`This order is ${order.status}; only a draft can be signed.`);
      await this.admissions.lockActive(manager, order.admissionId);
      const active = await manager.existsBy(TaperOrderEntity, { admissionId: order.admissionId, drug: order.drug, status: 'ACTIVE' });
      if (active) throw TAPER_ORDER_ERRORS.ACTIVE_ORDER_EXISTS(`An active ${order.drug} taper already exists for this admission; amend it instead.`);
      Object.assign(order, { status: 'ACTIVE', signedBy: context.actor.id, signedAt: this.clock.now() });
      await manager.save(TaperOrderEntity, order);
      await this.audit.record(context, { action: 'SIGN', resource: RESOURCE, resourceId: id, patientId: order.patientId, detail: { drug: order.drug } }, manager);
      return toTaperOrderResponse(order, await this.orders.stepsOf(manager, id));
    });
  }

  /**
   * A new version from `effectiveFrom`, keeping the steps already started. The version amended
   * must be the active one: amending a superseded version (or losing a race with another
   * amendment of the same version) is a 409.
   */
  async amend(id: string, request: AmendTaperOrderRequest, context: SignedInContext): Promise<TaperOrderResponse> {
    const today = this.clock.today(this.config.clinicTimeZone);
    if (request.effectiveFrom < today) throw new ValidationFailed([{ field: 'effectiveFrom', reason: `must be today or later (today is ${today})` }]);
    if (request.pauseDays === undefined && request.reductionPercent === undefined && request.intervalDays === undefined) {
      throw new ValidationFailed([{ field: '(body)', reason: 'give pauseDays, reductionPercent or intervalDays' }]);
    }
    return this.dataSource.transaction(async (manager) => {
      const current = await this.orders.lockVersion(manager, id);
      if (current.status !== 'ACTIVE') throw (current.status === 'DRAFT' ? TAPER_ORDER_ERRORS.NOT_SIGNED : TAPER_ORDER_ERRORS.SUPERSEDED)(`Only the active version can be amended; this one is ${current.status}.`);
      await this.admissions.lockActive(manager, current.admissionId);
      const steps = await this.orders.stepsOf(manager, id);
      const amended = applyClinicalRules(() =>
        amendTaper({ params: paramsOf(current), steps: steps.map(toClinicalStep), pauses: current.pauses }, request, today, this.rules()),
      );
      Object.assign(current, { status: 'SUPERSEDED', supersededFrom: request.effectiveFrom });
      await manager.save(TaperOrderEntity, current);
      const next = manager.create(TaperOrderEntity, nextVersion(current, amended, request, context.actor.id, this.clock.now()));
      await manager.insert(TaperOrderEntity, next);
      const nextSteps = await this.orders.insertSteps(manager, next.id, amended.steps);
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: RESOURCE, resourceId: next.id, patientId: next.patientId, detail: { supersedes: current.id, version: next.version, effectiveFrom: request.effectiveFrom } },
        manager,
      );
      return toTaperOrderResponse(next, nextSteps);
    });
  }

  async get(id: string, context: RequestContext): Promise<TaperOrderWithVersions> {
    const manager = this.dataSource.manager;
    const order = await manager.findOneBy(TaperOrderEntity, { id });
    if (!order) throw new NotFound('Taper order');
    const versions = await manager.find(TaperOrderEntity, { where: { orderId: order.orderId }, order: { version: 'ASC' } });
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id, patientId: order.patientId });
    return { ...toTaperOrderResponse(order, await this.orders.stepsOf(manager, id)), versions: versions.map(toVersionSummary) };
  }

  /**
   * The latest version of every order of an admission (drafts included, superseded versions not),
   * in the order those versions were created, a page at a time.
   */
  async listForAdmission(admissionId: string, query: ListTaperOrdersQuery, context: RequestContext): Promise<Page<TaperOrderResponse>> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = manager
      .createQueryBuilder(TaperOrderEntity, 'o')
      .addSelect(CREATED_MICROS, 'created_micros')
      .where('o.admission_id = :admissionId', { admissionId })
      .andWhere("o.status <> 'SUPERSEDED'")
      .orderBy(CREATED_MICROS, 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit + 1);
    if (query.cursor) {
      const [afterMicros, afterId] = decodeCursor(query.cursor, ['integer', 'uuid']);
      builder.andWhere(`(${CREATED_MICROS}, o.id) > (:afterMicros::bigint, :afterId::uuid)`, { afterMicros, afterId });
    }
    const { entities: orders, raw } = await builder.getRawAndEntities<{ created_micros: string }>();
    const microsOf = new Map(orders.map((order, i) => [order.id, Number(raw[i]!.created_micros)]));
    const shown = orders.slice(0, limit).map((o) => o.id);
    const steps = shown.length ? await manager.find(TaperStepEntity, { where: { versionId: In(shown) } }) : [];
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, patientId: admission.patientId, detail: { admissionId } });
    return toPage(
      orders,
      limit,
      (order) => [microsOf.get(order.id)!, order.id],
      (order) => toTaperOrderResponse(order, steps.filter((s) => s.versionId === order.id)),
    );
  }

  private rules(): TaperRules {
    return { ...DEFAULT_TAPER_RULES, maxWeeklyReductionPercent: this.config.taperMaxWeeklyReductionPercent };
  }
}

function toParams(request: CreateTaperOrderRequest): TaperParams {
  return {
    drug: request.drug.toLowerCase(),
    formulation: request.formulation,
    unit: request.unit,
    startDailyDose: request.startDailyDose,
    unitStrengths: [...request.unitStrengths],
    allowHalfTablets: request.allowHalfTablets,
    reductionPercent: request.reductionPercent,
    intervalDays: request.intervalDays,
    basis: request.basis,
    startDate: request.startDate,
    targetDailyDose: request.targetDailyDose,
    overrideReason: request.overrideReason ?? null,
    lifeThreateningReason: request.lifeThreateningReason ?? null,
  };
}

function paramsOf(order: TaperOrderEntity): TaperParams {
  const { drug, formulation, unit, startDailyDose, unitStrengths, allowHalfTablets, reductionPercent, intervalDays, basis, startDate, targetDailyDose } = order;
  return {
    drug, formulation, unit, startDailyDose, unitStrengths, allowHalfTablets, reductionPercent, intervalDays, basis, startDate, targetDailyDose,
    overrideReason: order.overrideReason,
    lifeThreateningReason: order.lifeThreateningReason,
  };
}

function changesRate(request: AmendTaperOrderRequest): boolean {
  return request.reductionPercent !== undefined || request.intervalDays !== undefined;
}

/** The clinical amender knows pauses as dates; the reasons are kept beside them here. */
function pausesWithReasons(before: TaperOrderEntity['pauses'], after: { from: string; days: number }[], reason: string): TaperOrderEntity['pauses'] {
  return after.map((pause, i) => before[i] ?? { ...pause, reason });
}

function toClinicalStep(step: TaperStepEntity): TaperStep {
  return { step: step.step, startsOn: step.startsOn, dailyDose: step.dailyDose, dailyMme: step.dailyMme, reductionPercent: step.reductionPercent, percentOfStart: step.percentOfStart };
}

/** The amended version: the old one's order with the new parameters, schedule and pauses, signed by the amender. */
function nextVersion(current: TaperOrderEntity, amended: AmendedTaper, request: AmendTaperOrderRequest, actorId: string, signedAt: Date): Partial<TaperOrderEntity> {
  return {
    ...current,
    id: randomUUID(),
    version: current.version + 1,
    status: 'ACTIVE',
    // A pause before the first step moves the start date with the schedule.
    startDate: amended.params.startDate,
    reductionPercent: amended.params.reductionPercent,
    intervalDays: amended.params.intervalDays,
    overrideReason: amended.params.overrideReason ?? null,
    endsOn: amended.endsOn,
    // The amender returns only the warnings it raised; a pause alone regenerates nothing, so the schedule's own still hold.
    warnings: changesRate(request) ? amended.warnings : current.warnings,
    pauses: pausesWithReasons(current.pauses, amended.pauses, request.reason),
    supersedesId: current.id,
    effectiveFrom: request.effectiveFrom,
    amendmentReason: request.reason,
    supersededFrom: null,
    createdBy: actorId,
    createdAt: undefined,
    signedBy: actorId,
    signedAt,
  };
}
