import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { patchWearHours } from '../../clinical/administration.js';
import { patchDaysWorn, type TaperDoseEntry } from '../../clinical/administration-history.js';
import { checkAmendmentAgainstGiven } from '../../clinical/amendment-given.js';
import { ClinicalRuleError, type ClinicalWarning } from '../../clinical/clinical-error.js';
import { discontinueTaper, type Discontinuation } from '../../clinical/taper-discontinue.js';
import type { OpioidTaperStep } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { calendarDate, Clock } from '../../common/clock.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, type AdmissionEntity } from '../admissions/index.js';
import { TaperOrderEntity } from './taper-order.entity.js';
import { TAPER_ORDER_ERRORS } from './taper-orders.errors.js';
import { TaperOrdersRepository } from './taper-orders.repository.js';
import type { TaperStepEntity } from './taper-step.entity.js';

export const TAPER_ORDER_RESOURCE = 'taper_order';

/** Warnings about the order as a whole, not its schedule: a new schedule (a new rate, a stop) keeps them. */
export const ORDER_WARNINGS = new Set(['ROTATION_CROSS_TOLERANCE', 'ROTATION_MME_NOT_COMPARABLE', 'ABOVE_INTAKE_DOSE']);

/** The first warning of each code (a new version may raise one the old version already had). */
export function withoutRepeats(warnings: ClinicalWarning[]): ClinicalWarning[] {
  return warnings.filter((w, i) => warnings.findIndex((other) => other.code === w.code) === i);
}

export function toClinicalStep(step: TaperStepEntity): OpioidTaperStep {
  return { step: step.step, startsOn: step.startsOn, dailyDose: step.dailyDose, dailyMme: step.dailyMme, reductionPercent: step.reductionPercent, percentOfStart: step.percentOfStart };
}

/** The next version of an order, signed by whoever changes it; the caller sets what changes. */
export function successor(current: TaperOrderEntity, actorId: string, signedAt: Date): Partial<TaperOrderEntity> {
  return { ...current, id: randomUUID(), version: current.version + 1, status: 'ACTIVE', supersedesId: current.id, supersededFrom: null, discontinued: false, createdBy: actorId, createdAt: undefined, signedBy: actorId, signedAt };
}

/** A stop to make: the clinical rule's input, why, and which request field a refusal names. */
export interface Stop extends Discontinuation {
  reason: string;
  field: string;
}

/**
 * How a signed order changes (domain.md §7): never in place; a new version supersedes the active
 * one from a date, checked against what the administration record already holds.
 */
@Injectable()
export class TaperVersions {
  constructor(
    private readonly orders: TaperOrdersRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The version to change, locked, with its admission: only the active version of an active stay. */
  async lockActive(manager: EntityManager, id: string, change: string): Promise<{ current: TaperOrderEntity; admission: AdmissionEntity }> {
    const current = await this.orders.lockVersion(manager, id);
    if (current.status !== 'ACTIVE') throw (current.status === 'DRAFT' ? TAPER_ORDER_ERRORS.NOT_SIGNED : TAPER_ORDER_ERRORS.SUPERSEDED)(`Only the active version can be ${change}; this one is ${current.status}.`);
    return { current, admission: await this.admissions.lockActive(manager, current.admissionId) };
  }

  /** The current version superseded from the new one's effective date, and the new one stored with its steps. */
  async supersede(manager: EntityManager, current: TaperOrderEntity, next: Partial<TaperOrderEntity>, steps: readonly OpioidTaperStep[]): Promise<{ next: TaperOrderEntity; steps: TaperStepEntity[] }> {
    Object.assign(current, { status: 'SUPERSEDED', supersededFrom: next.effectiveFrom });
    await manager.save(TaperOrderEntity, current);
    const row = manager.create(TaperOrderEntity, next);
    await manager.insert(TaperOrderEntity, row);
    return { next: row, steps: await this.orders.insertSteps(manager, row.id, steps) };
  }

  /**
   * What the record holds of this order from `effectiveFrom` on: the doses given that day or later
   * and, for a patch, every day a patch already applied is still on.
   */
  async takenFrom(manager: EntityManager, order: TaperOrderEntity, effectiveFrom: string): Promise<TaperDoseEntry[]> {
    const wearHours = patchWearHours(order);
    const appliedAfter = wearHours ? new Date(this.clock.now().getTime() - wearHours * 3_600_000) : null;
    const taken = await this.orders.takenSince(manager, order.orderId, effectiveFrom, appliedAfter);
    return wearHours ? patchDaysWorn(taken, wearHours, (instant) => calendarDate(instant, this.config.clinicTimeZone)) : taken;
  }

  /**
   * Stops the locked active version `current` from `stop.effectiveFrom`: a new version keeping the
   * steps started before it and ending with 0 that day (clinical/taper-discontinue.ts), refused
   * when the record already holds a dose of it that day or later. Audited under the patient.
   */
  async stop(manager: EntityManager, current: TaperOrderEntity, stop: Stop, context: SignedInContext): Promise<{ next: TaperOrderEntity; steps: TaperStepEntity[] }> {
    const steps = (await this.orders.stepsOf(manager, current.id)).map(toClinicalStep);
    const stopped = applyClinicalRules(() => naming(stop.field, () => discontinueTaper({ unitStrengths: current.unitStrengths, steps, pauses: current.pauses }, stop)));
    const taken = await this.takenFrom(manager, current, stop.effectiveFrom);
    applyClinicalRules(() => naming(stop.field, () => checkAmendmentAgainstGiven(stopped, { effectiveFrom: stop.effectiveFrom, unit: current.unit }, taken)));
    const result = await this.supersede(manager, current, {
      ...successor(current, context.actor.id, this.clock.now()),
      startDate: stopped.steps[0]!.startsOn,
      targetDailyDose: 0,
      discontinued: true,
      endsOn: stop.effectiveFrom,
      pauses: stopped.pauses,
      lifeThreateningReason: stop.lifeThreateningReason ?? current.lifeThreateningReason,
      warnings: withoutRepeats([...current.warnings.filter((w) => ORDER_WARNINGS.has(w.code)), ...stopped.warnings]),
      effectiveFrom: stop.effectiveFrom,
      amendmentReason: stop.reason,
    }, stopped.steps);
    const detail = { supersedes: current.id, version: result.next.version, effectiveFrom: stop.effectiveFrom, discontinued: true };
    await this.audit.record(context, { action: 'UPDATE', resource: TAPER_ORDER_RESOURCE, resourceId: result.next.id, patientId: result.next.patientId, detail }, manager);
    return result;
  }

  /**
   * The version an order had before a rotation stopped it for its first day, with its steps, when
   * `current` (locked) is that stop; null when the order changed since (or was stopped otherwise).
   */
  async beforeRotationStop(manager: EntityManager, current: TaperOrderEntity, rotationStart: string): Promise<{ before: TaperOrderEntity; steps: OpioidTaperStep[] } | null> {
    const steps = await this.orders.stepsOf(manager, current.id);
    const last = steps.at(-1);
    const madeForRotation = current.discontinued && current.effectiveFrom === rotationStart && last?.startsOn === rotationStart && Number(last.dailyDose) === 0;
    if (!madeForRotation || !current.supersedesId) return null;
    const before = await this.orders.lockVersion(manager, current.supersedesId);
    return { before, steps: (await this.orders.stepsOf(manager, before.id)).map(toClinicalStep) };
  }

  /**
   * Gives an order stopped for a rotation its schedule back when that rotation is withdrawn before
   * its first dose: a new version from the rotation's first day with the earlier version's steps
   * and pauses. Nothing of it was given since: the order stood stopped. Audited under the patient.
   */
  async giveBack(
    manager: EntityManager,
    current: TaperOrderEntity,
    earlier: { before: TaperOrderEntity; steps: readonly OpioidTaperStep[] },
    rotation: { startDate: string; name: string; reason: string },
    context: SignedInContext,
  ): Promise<TaperOrderEntity> {
    const { before } = earlier;
    const { next } = await this.supersede(manager, current, {
      ...successor(current, context.actor.id, this.clock.now()),
      startDate: before.startDate,
      targetDailyDose: before.targetDailyDose,
      endsOn: before.endsOn,
      pauses: before.pauses,
      warnings: before.warnings,
      lifeThreateningReason: before.lifeThreateningReason,
      effectiveFrom: rotation.startDate,
      amendmentReason: `${rotation.name} withdrawn before its first dose; the order goes on as before: ${rotation.reason}`,
    }, earlier.steps);
    const detail = { supersedes: current.id, version: next.version, effectiveFrom: rotation.startDate, restoredFrom: before.id };
    await this.audit.record(context, { action: 'UPDATE', resource: TAPER_ORDER_RESOURCE, resourceId: next.id, patientId: next.patientId, detail }, manager);
    return next;
  }
}

/** A clinical refusal reported on the request field the caller knows it by. */
function naming<T>(field: string, rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof ClinicalRuleError && error.field !== field) throw new ClinicalRuleError(error.code, error.message, field);
    throw error;
  }
}
