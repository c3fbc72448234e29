import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * The one TypeORM configuration, used by the app, the migration CLI and the tests. The schema
 * comes only from the reviewed migrations: `synchronize` is off everywhere.
 */
export interface DataSourceSettings {
  poolSize?: number;
  applicationName?: string;
  /** The service's entities (src/entities.ts); migrations alone need none. */
  entities?: DataSourceOptions['entities'];
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
    extra: { connectionTimeoutMillis: 10_000 },
  };
}
