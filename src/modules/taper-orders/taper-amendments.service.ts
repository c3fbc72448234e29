import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { checkAmendmentAgainstGiven } from '../../clinical/amendment-given.js';
import { checkReplacedNotLeftStopped, checkReplacedStopKept, checkRotationStartsByReplacedStop, type ReplacedOrder } from '../../clinical/taper-discontinue.js';
import { productName } from '../../clinical/product.js';
import { dosesTakenAway, replacedOn, rotationReplacing } from '../../clinical/taper-stop-dose.js';
import { amendOpioidTaper, sameProduct, type AmendedOpioidTaper } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { AppConfig } from '../../config/app-config.js';
import type { AmendTaperOrderRequest, DiscontinueTaperOrderRequest } from './dto/taper-order.requests.js';
import { toTaperOrderResponse, type TaperOrderResponse } from './dto/taper-order.responses.js';
import type { RecordedPause, TaperOrderEntity } from './taper-order.entity.js';
import { TaperOrdersRepository, type ActiveVersion } from './taper-orders.repository.js';
import { paramsOf, rotationOfOrder } from './taper-params.js';
import { TaperRegimenChecks, type PatientRegimen } from './taper-regimen-checks.js';
import { taperRulesOf } from './taper-rules.js';
import { ORDER_WARNINGS, successor, TAPER_ORDER_RESOURCE, TaperVersions, toClinicalStep, withoutRepeats } from './taper-versions.js';

/** Amendments: a signed version never changes; a new version supersedes it from a date. */
@Injectable()
export class TaperAmendmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: TaperOrdersRepository,
    private readonly versions: TaperVersions,
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
      const { current, admission } = await this.versions.lockActive(manager, id, 'amended');
      const regimen = await this.regimen.regimenOf(manager, admission);
      const steps = await this.orders.stepsOf(manager, id);
      const amendment = { ...request, endPause: request.endPause ?? null, reason: request.reason };
      const version = { params: paramsOf(current), steps: steps.map(toClinicalStep), pauses: current.pauses };
      const amended = applyClinicalRules(() => amendOpioidTaper(version, amendment, today, taperRulesOf(this.config), { intakeOpioids: regimen.intakeOpioids }));
      const replaced = replacedOrderOf(current, regimen.active);
      const pauseField = request.pauseDays !== undefined ? 'pauseDays' : 'effectiveFrom';
      applyClinicalRules(() => checkRotationStartsByReplacedStop({ firstDoseOn: amended.steps[0].startsOn, name: productName(current) }, replaced, pauseField));
      const rotation = rotationReplacing(regimen.active, current, request.effectiveFrom);
      if (rotation?.steps[0]) {
        const replacing = { name: productName(rotation), firstDoseOn: rotation.steps[0].startsOn };
        applyClinicalRules(() => checkReplacedStopKept(productName(current), replacing, { before: steps, after: amended.steps }, pauseField));
      }
      // The admission is locked: no dose can be recorded between this read and the commit.
      const taken = await this.versions.takenFrom(manager, current, request.effectiveFrom);
      applyClinicalRules(() => checkAmendmentAgainstGiven(amended, { effectiveFrom: request.effectiveFrom, unit: current.unit }, taken));
      const totals = this.regimen.checkAmendment(regimen, current.orderId, amended.steps, request.effectiveFrom, request.overrideReason ?? null, pauseField);
      const fields = nextVersion(current, amended, request, context.actor.id, this.clock.now());
      const { next, steps: nextSteps } = await this.versions.supersede(manager, current, { ...fields, warnings: withoutRepeats([...(fields.warnings ?? []), ...totals]) }, amended.steps);
      const detail = { supersedes: current.id, version: next.version, effectiveFrom: request.effectiveFrom, endPause: request.endPause === true };
      await this.audit.record(context, { action: 'UPDATE', resource: TAPER_ORDER_RESOURCE, resourceId: next.id, patientId: next.patientId, detail }, manager);
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
      const { current, admission } = await this.versions.lockActive(manager, id, 'discontinued');
      const regimen = await this.regimen.regimenOf(manager, admission);
      const active = regimen.active;
      // A rotation withdrawn before its first dose gives the order it stopped its schedule back.
      const restored = await this.restoreReplaced(manager, current, request, regimen, context);
      const replaced = restored ? null : leftWithoutReplacement(replacedOrderOf(current, active), current, active);
      applyClinicalRules(() => checkReplacedNotLeftStopped(request, { startDate: current.startDate, name: productName(current) }, replaced));
      // Only a rotation giving a dose above 0 that day stands in for the product (not one stopped before its first dose).
      const replacedFrom = replacedOn(active, current, request.effectiveFrom, current.id) ? request.effectiveFrom : null;
      const order = { ...current, replaces: rotationOfOrder(current).replaces, steps: active.find((v) => v.id === current.id)?.steps ?? [] };
      const takenAway = dosesTakenAway(order, request.effectiveFrom, { products: regimen.intake.products, lines: regimen.intakeOpioids }, active);
      const { next, steps } = await this.versions.stop(manager, current, { ...request, replacedFrom, today, takenAway, field: 'effectiveFrom' }, context);
      return toTaperOrderResponse(next, steps);
    });
  }

  /**
   * A rotation (not a cross-taper) stopped on or before its first day, while the order it replaced
   * still stands stopped for it: that order gets its schedule back (TaperVersions.giveBack), checked
   * as any amendment against the patient (the intake as corrected since, every order in force).
   * Only one rotation (not a cross-taper) of a product gives doses at a time (REPLACED_BY_ROTATION).
   */
  private async restoreReplaced(manager: EntityManager, current: TaperOrderEntity, request: DiscontinueTaperOrderRequest, regimen: PatientRegimen, context: SignedInContext): Promise<boolean> {
    const rotation = rotationOfOrder(current);
    if (!rotation.replaces || rotation.crossTaper || request.effectiveFrom > current.startDate) return false;
    const replaced = regimen.active.find((v) => sameProduct(v, rotation.replaces!));
    if (!replaced) return false;
    const locked = await this.orders.lockVersion(manager, replaced.id);
    if (locked.status !== 'ACTIVE') return false;
    const earlier = await this.versions.beforeRotationStop(manager, locked, current.startDate);
    if (!earlier) return false;
    // Checked without the rotation being withdrawn: from its first day it gives nothing.
    const withdrawn = { ...regimen, active: regimen.active.filter((v) => v.id !== current.id) };
    this.regimen.checkAmendment(withdrawn, locked.orderId, earlier.steps, current.startDate, null, 'effectiveFrom');
    await this.versions.giveBack(manager, locked, earlier, { startDate: current.startDate, name: productName(current), reason: request.reason }, context);
    return true;
  }
}

/**
 * The replaced order, when withdrawing `rotation` would leave it stopped with nothing in its place:
 * not when another rotation of the product gives a dose from the day it stops (its stop is that
 * rotation's, and the patient is not left without).
 */
function leftWithoutReplacement(replaced: ReplacedOrder | null, rotation: TaperOrderEntity, active: readonly ActiveVersion[]): ReplacedOrder | null {
  const stopsOn = replaced?.steps.at(-1)?.dailyDose === 0 ? replaced.steps.at(-1)!.startsOn : null;
  const product = rotationOfOrder(rotation).replaces;
  return stopsOn && product && replacedOn(active, product, stopsOn, rotation.id) ? null : replaced;
}

/**
 * For a rotation (a cross-taper too: the replaced order's stop may rely on it): the active order
 * of the product it replaces.
 */
function replacedOrderOf(current: TaperOrderEntity, active: readonly ActiveVersion[]): ReplacedOrder | null {
  const rotation = rotationOfOrder(current);
  if (!rotation.replaces) return null;
  const replaced = active.find((v) => sameProduct(v, rotation.replaces!));
  return replaced ? { name: productName(replaced), unitStrengths: replaced.unitStrengths, steps: replaced.steps } : null;
}

function checkRequest(request: AmendTaperOrderRequest, today: string): void {
  if (request.effectiveFrom < today) throw new ValidationFailed([{ field: 'effectiveFrom', reason: `must be today or later (today is ${today})` }]);
  if (request.pauseDays === undefined && request.reductionPercent === undefined && request.intervalDays === undefined && request.endPause !== true) {
    throw new ValidationFailed([{ field: '(body)', reason: 'give pauseDays, reductionPercent, intervalDays or endPause' }]);
  }
}

function changesRate(request: AmendTaperOrderRequest): boolean {
  return request.reductionPercent !== undefined || request.intervalDays !== undefined;
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
