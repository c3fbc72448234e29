import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor } from './cursor.js';

/**
 * A row's `created_at` as whole microseconds since the epoch, for keyset pages ordered by
 * creation: exact, where a JS Date (milliseconds) would skip or repeat rows at a page boundary.
 */
export function createdMicros(alias: string): string {
  return `(extract(epoch from ${alias}.created_at) * 1000000)::bigint`;
}

/** The order of a list of records: by a date column, then when they were recorded, then id. */
export interface DayThenCreation<T> {
  alias: string;
  /** The date column, e.g. `dispensed_on`. */
  dayColumn: string;
  dayOf: (row: T) => string;
  /** ASC: oldest first; DESC: newest first. */
  direction: 'ASC' | 'DESC';
}

/**
 * Reads the `limit + 1` rows (see toPage) after `cursor` in that order, and gives the cursor key
 * of each row read: [day, created micros, id].
 */
export async function readDayThenCreationPage<T extends ObjectLiteral & { id: string }>(
  builder: SelectQueryBuilder<T>,
  order: DayThenCreation<T>,
  page: { cursor?: string; limit: number },
): Promise<{ rows: T[]; keyOf: (row: T) => [string, number, string] }> {
  const { alias, direction } = order;
  const day = `${alias}.${order.dayColumn}`;
  const micros = createdMicros(alias);
  builder.addSelect(micros, 'created_micros').orderBy(day, direction).addOrderBy(micros, direction).addOrderBy(`${alias}.id`, direction).limit(page.limit + 1);
  if (page.cursor) {
    const [afterDay, afterMicros, afterId] = decodeCursor(page.cursor, ['string', 'integer', 'uuid']);
    // Parameters not named after the casts (":date::date"): TypeORM would read the cast as the parameter again.
    const after = direction === 'ASC' ? '>' : '<';
    builder.andWhere(`(${day}, ${micros}, ${alias}.id) ${after} (:afterDay::date, :afterMicros::bigint, :afterId::uuid)`, { afterDay, afterMicros, afterId });
  }
  const { entities, raw } = await builder.getRawAndEntities<{ created_micros: string }>();
  const microsOf = new Map(entities.map((row, i) => [row.id, Number(raw[i]!.created_micros)]));
  return { rows: entities, keyOf: (row) => [order.dayOf(row), microsOf.get(row.id)!, row.id] };
}
