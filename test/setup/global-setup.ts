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
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
    process.env.TEST_DATABASE_ROLES = JSON.stringify(await testRoles(client));
  } finally {
    await client.end();
  }
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
}

/**
 * The tests serve the app as the least-privileged role, as in production: an owner role runs
 * the migrations and the app's role gets only its grants. A server where the tests' user may
 * not create roles (an external DATABASE_URL) runs everything as that one user instead.
 */
async function testRoles(client: pg.Client): Promise<{ owner: Credentials; app: Credentials } | null> {
  const { ensureLoginRole, OWNER_ROLE, APP_ROLE } = await import('../../src/database/roles.js');
  const { randomBytes } = await import('node:crypto');
  const owner = { user: OWNER_ROLE, password: randomBytes(18).toString('base64url') };
  const app = { user: APP_ROLE, password: randomBytes(18).toString('base64url') };
  try {
    await ensureLoginRole(client, owner.user, owner.password, 'owner');
    await ensureLoginRole(client, app.user, app.password, 'app');
    return { owner, app };
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error; // insufficient_privilege
    return null;
  }
}

interface Credentials {
  user: string;
  password: string;
}
