import type { EntityManager, EntityTarget, FindOptionsSelect, FindOptionsWhere } from 'typeorm';
import { NotFound } from '../../common/errors/common.errors.js';
import type { AdmissionsRepository } from '../admissions/index.js';
import type { PainPlanOrderColumns } from './pain-plan-order.columns.js';
import { PAIN_PLAN_ERRORS } from './pain-plan.errors.js';

/**
 * ACTIVE → DISCONTINUED, once, for a pain-plan medication or an as-needed order: the admission
 * is locked first, then the order (the lock order of ordering), so of two simultaneous
 * discontinues one wins and the other gets 409 ALREADY_DISCONTINUED.
 */
export async function discontinueOrder<T extends PainPlanOrderColumns>(
  manager: EntityManager,
  admissions: AdmissionsRepository,
  entity: EntityTarget<T>,
  id: string,
  describe: { notFound: string; order: (order: T) => string },
  stop: { at: Date; by: string; reason: string },
): Promise<T> {
  const where = { id } as FindOptionsWhere<T>;
  const found = await manager.findOne(entity, { select: { id: true, admissionId: true } as FindOptionsSelect<T>, where });
  if (!found) throw new NotFound(describe.notFound);
  await admissions.lockActive(manager, found.admissionId);
  const order = await manager.findOneOrFail(entity, { where, lock: { mode: 'pessimistic_write' } });
  if (order.status !== 'ACTIVE') throw PAIN_PLAN_ERRORS.ALREADY_DISCONTINUED(`${describe.order(order)} was already discontinued.`);
  Object.assign(order, { status: 'DISCONTINUED', discontinuedAt: stop.at, discontinuedBy: stop.by, discontinueReason: stop.reason });
  return manager.save(entity, order);
}
