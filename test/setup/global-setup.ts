/**
 * Starts one throw-away PostgreSQL for the whole test run (unless DATABASE_URL names a server)
 * and tells the workers where it is. Each test file then gets its own database, copied from a
 * migrated template (see test/support/test-database.ts).
 *
 * Jest loads this file as CommonJS outside its module mapping, so our `.js` import specifiers
 * are mapped to the `.ts` sources here by hand.
 */
import Module from 'node:module';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function resolveTs(this: unknown, request: string, ...rest: unknown[]): string {
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    if (request.startsWith('.') && request.endsWith('.js')) return resolve.call(this, `${request.slice(0, -3)}.ts`, ...rest);
    throw error;
  }
};

const TEMPLATE_DATABASE = 'clinic_test_template';

export default async function globalSetup(): Promise<void> {
  const { postgresUrl } = await import('../../src/database/database-server.js');
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { EmbeddedPostgres } = await import('../../src/database/embedded-postgres.js');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-test-'));
    const server = new EmbeddedPostgres({ dataDir, projectDir: process.cwd(), unsafeFastWrites: true });
    const address = await server.start();
    Object.assign(globalThis, { __clinicTestPostgres: { server, dataDir } });
    adminUrl = postgresUrl(address, 'postgres');
  }
  // A template left by an earlier run against the same server may predate a migration.
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
  await client.end();
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
}
