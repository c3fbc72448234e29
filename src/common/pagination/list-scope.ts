import { createHash } from 'node:crypto';
import { ValidationFailed } from '../errors/common.errors.js';

/**
 * Which list a cursor belongs to: the list (its route handler) and its parent (the path
 * parameters, e.g. the admission of GET /admissions/:id/charges). Keys of different lists can have
 * the same shape ([service date, id] and [day, position] alike), so without this a cursor of one
 * list would be read by another and silently page from a position that means nothing there.
 */
export interface ListScope {
  list: string;
  params: Readonly<Record<string, string>>;
}

const NOT_OURS = 'is not a cursor returned by this list';

/** A short digest of the scope: enough to tell lists apart, and it keeps cursors short. */
function digest(scope: ListScope): string {
  const params = Object.keys(scope.params)
    .sort()
    .map((name) => [name, scope.params[name]!.toLowerCase()]);
  return createHash('sha256').update(JSON.stringify([scope.list, params])).digest('base64url').slice(0, 16);
}

/** The list's own cursor (see encodeCursor), marked with the list it came from. */
export function sealCursor(cursor: string, scope: ListScope): string {
  return `${digest(scope)}.${cursor}`;
}

/** The list's own cursor back, or a 400 on `cursor` when it was given out by another list (or by none). */
export function openCursor(cursor: string, scope: ListScope): string {
  const dot = cursor.indexOf('.');
  if (dot < 0 || cursor.slice(0, dot) !== digest(scope)) throw new ValidationFailed([{ field: 'cursor', reason: NOT_OURS }]);
  return cursor.slice(dot + 1);
}
