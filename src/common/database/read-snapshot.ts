import type { DataSource } from 'typeorm';

/** One statement of a read: the rows as the driver gives them. */
export type ReadQuery = <Row = Record<string, unknown>>(sql: string, parameters?: unknown[]) => Promise<Row[]>;

/**
 * Runs `read` in one REPEATABLE READ, READ ONLY transaction, so that every statement sees the
 * same committed state and none can write. Opened with one statement where TypeORM's
 * transaction() sends two: a hot read of many tables saves a round trip.
 */
export async function readSnapshot<T>(dataSource: DataSource, read: (query: ReadQuery) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await read((sql, parameters) => runner.query(sql, parameters));
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
