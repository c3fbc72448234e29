import { ValidationFailed } from '../errors/common.errors.js';
import { isUuid } from '../http/uuid-param.pipe.js';

/** The kinds of value a sort key can hold; each is checked before it reaches SQL. */
/** `int4`: an integer column (a search's tier, a name's length); `integer`: a position or epoch milliseconds. */
export type CursorPart = 'string' | 'uuid' | 'integer' | 'int4';

const PART_CHECKS: Record<CursorPart, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string' && value.length <= 500,
  uuid: isUuid,
  integer: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  int4: (value) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647,
};

/** An opaque position in a keyset-paginated list: the sort key of the last item returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Reads a cursor back; anything that is not one of ours is a 400 on `cursor`, never a database error. */
export function decodeCursor(cursor: string, shape: readonly CursorPart[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const valid = Array.isArray(key) && key.length === shape.length && key.every((part, i) => PART_CHECKS[shape[i]!](part));
  if (!valid) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
  return key as (string | number)[];
}

/** A page of a list as the API returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells whether a next
 * page exists.
 */
export function toPage<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => (string | number)[], map: (row: Row) => Item): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/** The key of a row in a list ordered by an instant, then its insertion position. */
export function instantPositionKey(at: Date, position: string | number): [number, number] {
  return [at.getTime(), Number(position)];
}

/** [instant epoch ms, position] of the last item of the previous page; the instant must be a real one. */
export function decodeInstantPositionCursor(cursor: string): { afterAt: Date; afterPosition: string } {
  const [ms, position] = decodeCursor(cursor, ['integer', 'integer']) as [number, number];
  const afterAt = new Date(ms);
  if (Number.isNaN(afterAt.getTime())) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
  return { afterAt, afterPosition: String(position) };
}
