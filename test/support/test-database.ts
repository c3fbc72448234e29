import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { prepareSchema } from '../../src/database/migrate.js';

const TEMPLATE_DATABASE = 'clinic_test_template';
const TEMPLATE_LOCK_KEY = 727_003;

export interface TestDatabase {
  /** What the app connects as: the least-privileged role when the server allows separate roles. */
  url: string;
  /** The schema's owner on this database (runs migrations). */
  ownerUrl: string;
  /** The server's administrative connection string, on this database. */
  adminUrl: string;
  /** True when the app's role is not the owner (see test/setup/global-setup.ts). */
  leastPrivilege: boolean;
  drop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/** A fresh database for one test file: a copy of the migrated template (built once per run). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_ADMIN_URL is not set: run the tests with "npm test".');
  const roles = JSON.parse(process.env.TEST_DATABASE_ROLES ?? 'null') as { owner: Credentials; app: Credentials } | null;
  const as = (credentials: Credentials | undefined, database: string) => (credentials ? withCredentials(withDatabase(serverUrl, database), credentials) : withDatabase(serverUrl, database));
  const ownedBy = roles ? ` OWNER ${pg.escapeIdentifier(roles.owner.user)}` : '';
  const name = `clinic_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DATABASE]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}${ownedBy}`);
      await prepareSchema({ url: as(roles?.app, TEMPLATE_DATABASE), migrationUrl: as(roles?.owner, TEMPLATE_DATABASE) });
    }
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}${ownedBy}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await admin.end();
  }
  return {
    url: as(roles?.app, name),
    ownerUrl: as(roles?.owner, name),
    adminUrl: withDatabase(serverUrl, name),
    leastPrivilege: roles !== null,
    drop: () => dropDatabase(serverUrl, name),
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withCredentials(url: string, credentials: Credentials): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(credentials.user);
  parsed.password = encodeURIComponent(credentials.password);
  return parsed.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
