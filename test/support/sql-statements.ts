import { DataSource } from 'typeorm';
import { SEAL_STATEMENT } from '../../src/common/audit/audit-sealer.js';
import type { TestApp } from './test-app.js';

/**
 * Runs `action` and returns, with its result, every SQL statement the app sent through TypeORM
 * meanwhile (transaction control included). It wraps the data source's query logger, which
 * TypeORM calls for each statement whatever the log level. Run nothing else against the app
 * at the same time: its statements would be counted too. The audit sealer's timer is the one
 * thing that runs by itself, so its statement is left out.
 */
export async function recordStatements<T>(t: TestApp, action: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const logger = t.app.get(DataSource).logger;
  const original = logger.logQuery;
  const statements: string[] = [];
  logger.logQuery = function logQuery(this: typeof logger, query: string, ...rest: unknown[]) {
    if (query !== SEAL_STATEMENT) statements.push(query);
    return (original as (...args: unknown[]) => void).call(this, query, ...rest);
  } as typeof logger.logQuery;
  try {
    return { result: await action(), statements };
  } finally {
    logger.logQuery = original;
  }
}
