import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { DatabaseTimeouts } from '../config/app-config.js';
import { ClosingClient } from './closing-client.js';

/**
 * How much longer than statement_timeout the client waits for an answer: a server that is up
 * cancels the statement itself (a clean error, the connection kept); only a server that does
 * not answer at all (hung, frozen, cut off by the network) leaves it to the client.
 */
const CLIENT_GRACE_MS = 1_000;

/**
 * The one TypeORM configuration, used by the app, the migration CLI and the tests. The schema
 * comes only from the reviewed migrations: `synchronize` is off everywhere.
 */
export interface DataSourceSettings {
  poolSize?: number;
  applicationName?: string;
  /** The service's entities (src/entities.ts); migrations alone need none. */
  entities?: DataSourceOptions['entities'];
  /** Serving requests: no statement runs or waits on a lock for ever. Unset (migrations): no limit. */
  timeouts?: DatabaseTimeouts;
}

export function dataSourceOptions(url: string, options: DataSourceSettings = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; nothing to install, no extension privileges needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'clinic-api',
    extra: connectionSettings(options.timeouts),
  };
}

/** node-postgres settings of every pooled connection (TypeORM passes `extra` to pg.Pool). */
function connectionSettings(timeouts: DatabaseTimeouts | undefined): Record<string, unknown> {
  if (!timeouts) return { connectionTimeoutMillis: 10_000 };
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    query_timeout: timeouts.statementMs + CLIENT_GRACE_MS,
    Client: ClosingClient,
  };
}
