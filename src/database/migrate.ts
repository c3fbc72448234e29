import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { grantApplicationRights, roleOf } from './roles.js';

/** Any constant will do; it only has to be the same for every process of this service. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies pending migrations, each in its own transaction. An advisory lock makes a second
 * process starting at the same moment wait instead of applying the same migration twice.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url, { poolSize: 2, applicationName: 'clinic-migrations' }));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
    await dataSource.destroy();
  }
}

/**
 * Migrates as the schema's owner, then grants the application's role exactly its rights
 * (see roles.ts). With a single role for both, only the migrations run.
 */
export async function prepareSchema(server: { url: string; migrationUrl: string }): Promise<string[]> {
  const applied = await runMigrations(server.migrationUrl);
  const appRole = roleOf(server.url);
  if (appRole !== roleOf(server.migrationUrl)) await grantApplicationRights(server.migrationUrl, appRole);
  return applied;
}
