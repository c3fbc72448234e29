import type { Product, TaperParams } from '../../clinical/taper.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import type { CreateTaperOrderRequest } from './dto/taper-order.requests.js';
import type { TaperOrderEntity } from './taper-order.entity.js';

/** What the clinical rules read of an order: from a request, or from a stored version. */
export function toParams(request: CreateTaperOrderRequest): TaperParams {
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

/** An opioid rotation as the rules read it; all null (and no cross-taper) for any other order. */
export interface Rotation {
  replaces: Product | null;
  rotationReason: string | null;
  crossTaper: boolean;
}

/** A rotation: the intake product the order replaces, and why; both or neither; a cross-taper only with them. */
export function rotationOf(request: CreateTaperOrderRequest): Rotation {
  if (request.rotationReason && !request.replaces) throw new ValidationFailed([{ field: 'replaces', reason: 'is required with rotationReason (the intake product this order replaces)' }]);
  if (request.crossTaper && !request.replaces) throw new ValidationFailed([{ field: 'crossTaper', reason: 'applies to a rotation only (with replaces)' }]);
  const replaces = request.replaces ? { drug: request.replaces.drug.toLowerCase(), formulation: request.replaces.formulation } : null;
  return { replaces, rotationReason: request.rotationReason ?? null, crossTaper: request.crossTaper === true };
}

export function rotationOfOrder(order: TaperOrderEntity): Rotation {
  const replaces = order.replacesDrug && order.replacesFormulation ? { drug: order.replacesDrug, formulation: order.replacesFormulation } : null;
  return { replaces, rotationReason: order.rotationReason, crossTaper: order.crossTaper };
}

export function paramsOf(order: TaperOrderEntity): TaperParams {
  const { drug, formulation, unit, startDailyDose, unitStrengths, allowHalfTablets, reductionPercent, intervalDays, basis, startDate, targetDailyDose } = order;
  return {
    drug, formulation, unit, startDailyDose, unitStrengths, allowHalfTablets, reductionPercent, intervalDays, basis, startDate, targetDailyDose,
    overrideReason: order.overrideReason,
    lifeThreateningReason: order.lifeThreateningReason,
  };
}
