import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { NotFound } from '../errors/common.errors.js';

/** The row with this id; 404 naming `what` when there is none. */
export async function findOrNotFound<T extends ObjectLiteral & { id: string }>(manager: EntityManager, entity: EntityTarget<T>, id: string, what: string): Promise<T> {
  const row = await manager.findOneBy(entity, { id } as FindOptionsWhere<T>);
  if (!row) throw new NotFound(what);
  return row;
}

/** The row with this id, locked for the rest of the caller's transaction; 404 naming `what` when there is none. */
export async function lockOrNotFound<T extends ObjectLiteral & { id: string }>(manager: EntityManager, entity: EntityTarget<T>, id: string, what: string): Promise<T> {
  const row = await manager.findOne(entity, { where: { id } as FindOptionsWhere<T>, lock: { mode: 'pessimistic_write' } });
  if (!row) throw new NotFound(what);
  return row;
}

/** The row by id under a share lock (FOR SHARE) for the rest of the transaction, or 404. */
export async function shareOrNotFound<T extends ObjectLiteral & { id: string }>(manager: EntityManager, entity: EntityTarget<T>, id: string, what: string): Promise<T> {
  const row = await manager.findOne(entity, { where: { id } as FindOptionsWhere<T>, lock: { mode: 'pessimistic_read' } });
  if (!row) throw new NotFound(what);
  return row;
}
