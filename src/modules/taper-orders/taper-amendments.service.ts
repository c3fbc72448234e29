import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { patchWearHours } from '../../clinical/administration.js';
import { patchDaysWorn, type TaperDoseEntry } from '../../clinical/administration-history.js';
import { checkAmendmentAgainstGiven } from '../../clinical/amendment-given.js';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { discontinueTaper } from '../../clinical/taper-discontinue.js';
import { amendOpioidTaper, sameProduct, type AmendedOpioidTaper, type OpioidTaperStep } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { calendarDate, Clock } from '../../common/clock.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, type AdmissionEntity } from '../admissions/index.js';
import type { AmendTaperOrderRequest, DiscontinueTaperOrderRequest } from './dto/taper-order.requests.js';
import { toTaperOrderResponse, type TaperOrderResponse } from './dto/taper-order.responses.js';
import { TaperOrderEntity, type RecordedPause } from './taper-order.entity.js';
import { TAPER_ORDER_ERRORS } from './taper-orders.errors.js';
import { TaperOrdersRepository } from './taper-orders.repository.js';
import { paramsOf } from './taper-params.js';
import { TaperRegimenChecks } from './taper-regimen-checks.js';
import { taperRulesOf } from './taper-rules.js';
import type { TaperStepEntity } from './taper-step.entity.js';

const RESOURCE = 'taper_order';

/** Warnings about the order as a whole, not its schedule: an amendment keeps them. */
const ORDER_WARNINGS = new Set(['ROTATION_CROSS_TOLERANCE', 'ROTATION_MME_NOT_COMPARABLE', 'ABOVE_INTAKE_DOSE']);

/** The first warning of each code (an amendment may raise one the version already had). */
function withoutRepeats(warnings: ClinicalWarning[]): ClinicalWarning[] {
  return warnings.filter((w, i) => warnings.findIndex((other) => other.code === w.code) === i);
}

/** Amendments: a signed version never changes; a new version supersedes it from a date. */
@Injectable()
export class TaperAmendmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: TaperOrdersRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly regimen: TaperRegimenChecks,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * A new version from `effectiveFrom`, keeping the steps already started and any pause in force
   * (unless it is ended on purpose). The version amended must be the active one: amending a
   * superseded version (or losing a race with another amendment of the same version) is a 409.
   * The new version is checked against the patient's other orders every day from `effectiveFrom`:
   * a pause holds a dose longer, which during a cross-taper can raise the total MME in force.
   */
  async amend(id: string, request: AmendTaperOrderRequest, context: SignedInContext): Promise<TaperOrderResponse> {
    const today = this.clock.today(this.config.clinicTimeZone);
    checkRequest(request, today);
    return this.dataSource.transaction(async (manager) => {
      const { current, admission } = await this.lockActiveVersion(manager, id, 'amended');
      const regimen = await this.regimen.regimenOf(manager, admission);
      const steps = await this.orders.stepsOf(manager, id);
      const amendment = { ...request, endPause: request.endPause ?? null, reason: request.reason };
      const version = { params: paramsOf(current), steps: steps.map(toClinicalStep), pauses: current.pauses };
      const amended = applyClinicalRules(() => amendOpioidTaper(version, amendment, today, taperRulesOf(this.config), { intakeOpioids: regimen.intakeOpioids }));
      // The admission is locked: no dose can be recorded between this read and the commit.
      const taken = await this.takenFrom(manager, current, request.effectiveFrom);
      applyClinicalRules(() => checkAmendmentAgainstGiven(amended, { effectiveFrom: request.effectiveFrom, unit: current.unit }, taken));
      const field = request.pauseDays !== undefined ? 'pauseDays' : 'effectiveFrom';
      const totals = this.regimen.checkAmendment(regimen, current.orderId, amended.steps, request.effectiveFrom, request.overrideReason ?? null, field);
      const fields = nextVersion(current, amended, request, context.actor.id, this.clock.now());
      const next = await this.supersede(manager, current, { ...fields, warnings: withoutRepeats([...(fields.warnings ?? []), ...totals]) });
      const nextSteps = await this.orders.insertSteps(manager, next.id, amended.steps);
      const detail = { supersedes: current.id, version: next.version, effectiveFrom: request.effectiveFrom, endPause: request.endPause === true };
      await this.audit.record(context, { action: 'UPDATE', resource: RESOURCE, resourceId: next.id, patientId: next.patientId, detail }, manager);
      return toTaperOrderResponse(next, nextSteps);
    });
  }

  /**
   * Stops the order from `effectiveFrom` (domain.md §7): a new version keeping the steps already
   * started, with a final step of 0 that day. Abrupt unless from the smallest strength, a signed
   * rotation of this product in force by then, or a life-threatening reason.
   */
  async discontinue(id: string, request: DiscontinueTaperOrderRequest, context: SignedInContext): Promise<TaperOrderResponse> {
    const today = this.clock.today(this.config.clinicTimeZone);
    if (request.effectiveFrom < today) throw new ValidationFailed([{ field: 'effectiveFrom', reason: `must be today or later (today is ${today})` }]);
    return this.dataSource.transaction(async (manager) => {
      const { current } = await this.lockActiveVersion(manager, id, 'discontinued');
      const steps = (await this.orders.stepsOf(manager, id)).map(toClinicalStep);
      const replacedFrom = (await this.orders.activeVersions(manager, current.admissionId))
        .filter((v) => v.replaces && sameProduct(v.replaces, current))
        .map((v) => v.steps[0]?.startsOn)
        .filter((day): day is string => day !== undefined)
        .sort()[0];
      const stopped = applyClinicalRules(() => discontinueTaper({ unitStrengths: current.unitStrengths, steps, pauses: current.pauses }, { ...request, replacedFrom }));
      const taken = await this.takenFrom(manager, current, request.effectiveFrom);
      applyClinicalRules(() => checkAmendmentAgainstGiven(stopped, { effectiveFrom: request.effectiveFrom, unit: current.unit }, taken));
      const next = await this.supersede(manager, current, {
        ...successor(current, context.actor.id, this.clock.now()),
        startDate: stopped.steps[0]!.startsOn,
        targetDailyDose: 0,
        endsOn: request.effectiveFrom,
        pauses: stopped.pauses,
        lifeThreateningReason: request.lifeThreateningReason ?? current.lifeThreateningReason,
        warnings: withoutRepeats([...current.warnings, ...stopped.warnings]),
        effectiveFrom: request.effectiveFrom,
        amendmentReason: request.reason,
      });
      const nextSteps = await this.orders.insertSteps(manager, next.id, stopped.steps);
      const detail = { supersedes: current.id, version: next.version, effectiveFrom: request.effectiveFrom, discontinued: true };
      await this.audit.record(context, { action: 'UPDATE', resource: RESOURCE, resourceId: next.id, patientId: next.patientId, detail }, manager);
      return toTaperOrderResponse(next, nextSteps);
    });
  }

  /** The version to change, locked, with its admission: only the active version of an active stay. */
  private async lockActiveVersion(manager: EntityManager, id: string, change: string): Promise<{ current: TaperOrderEntity; admission: AdmissionEntity }> {
    const current = await this.orders.lockVersion(manager, id);
    if (current.status !== 'ACTIVE') throw (current.status === 'DRAFT' ? TAPER_ORDER_ERRORS.NOT_SIGNED : TAPER_ORDER_ERRORS.SUPERSEDED)(`Only the active version can be ${change}; this one is ${current.status}.`);
    return { current, admission: await this.admissions.lockActive(manager, current.admissionId) };
  }

  /** The current version superseded from the new one's effective date, and the new one stored. */
  private async supersede(manager: EntityManager, current: TaperOrderEntity, next: Partial<TaperOrderEntity>): Promise<TaperOrderEntity> {
    Object.assign(current, { status: 'SUPERSEDED', supersededFrom: next.effectiveFrom });
    await manager.save(TaperOrderEntity, current);
    const row = manager.create(TaperOrderEntity, next);
    await manager.insert(TaperOrderEntity, row);
    return row;
  }

  /**
   * What the record holds of this order from `effectiveFrom` on: the doses given that day or later
   * and, for a patch, every day a patch already applied is still on.
   */
  private async takenFrom(manager: EntityManager, order: TaperOrderEntity, effectiveFrom: string): Promise<TaperDoseEntry[]> {
    const wearHours = patchWearHours(order);
    const appliedAfter = wearHours ? new Date(this.clock.now().getTime() - wearHours * 3_600_000) : null;
    const taken = await this.orders.takenSince(manager, order.orderId, effectiveFrom, appliedAfter);
    return wearHours ? patchDaysWorn(taken, wearHours, (instant) => calendarDate(instant, this.config.clinicTimeZone)) : taken;
  }
}

function checkRequest(request: AmendTaperOrderRequest, today: string): void {
  if (request.effectiveFrom < today) throw new ValidationFailed([{ field: 'effectiveFrom', reason: `must be today or later (today is ${today})` }]);
  if (request.pauseDays === undefined && request.reductionPercent === undefined && request.intervalDays === undefined && request.endPause !== true) {
    throw new ValidationFailed([{ field: '(body)', reason: 'give pauseDays, reductionPercent, intervalDays or endPause' }]);
  }
}

function toClinicalStep(step: TaperStepEntity): OpioidTaperStep {
  return { step: step.step, startsOn: step.startsOn, dailyDose: step.dailyDose, dailyMme: step.dailyMme, reductionPercent: step.reductionPercent, percentOfStart: step.percentOfStart };
}

function changesRate(request: AmendTaperOrderRequest): boolean {
  return request.reductionPercent !== undefined || request.intervalDays !== undefined;
}

/** The next version of an order, signed by whoever changes it; the caller sets what changes. */
function successor(current: TaperOrderEntity, actorId: string, signedAt: Date): Partial<TaperOrderEntity> {
  return { ...current, id: randomUUID(), version: current.version + 1, status: 'ACTIVE', supersedesId: current.id, supersededFrom: null, createdBy: actorId, createdAt: undefined, signedBy: actorId, signedAt };
}

/** The amended version: the old one's order with the new parameters, schedule and pauses, signed by the amender. */
function nextVersion(current: TaperOrderEntity, amended: AmendedOpioidTaper, request: AmendTaperOrderRequest, actorId: string, signedAt: Date): Partial<TaperOrderEntity> {
  return {
    ...successor(current, actorId, signedAt),
    // A pause before the first step moves the start date with the schedule.
    startDate: amended.params.startDate,
    reductionPercent: amended.params.reductionPercent,
    intervalDays: amended.params.intervalDays,
    overrideReason: amended.params.overrideReason ?? null,
    endsOn: amended.endsOn,
    // The amender returns only the warnings it raised; a pause alone regenerates nothing, so the schedule's own still hold.
    // What was said of the order itself (a rotation, a start above the intake) holds for every version.
    warnings: changesRate(request) ? [...current.warnings.filter((w) => ORDER_WARNINGS.has(w.code)), ...amended.warnings] : current.warnings,
    // Pauses kept from the old version carry their own reasons through the amender; a new one gets this amendment's.
    pauses: amended.pauses.map((pause) => ({ reason: request.reason, ...pause }) as RecordedPause),
    effectiveFrom: request.effectiveFrom,
    amendmentReason: request.reason,
  };
}
