import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { APP_ROLE, ensureLoginRole, OWNER_ROLE } from './roles.js';

export const EMBEDDED_DATABASE_NAME = 'clinic';

/** The database the service uses, and how to let go of it at shutdown. */
export interface DatabaseServer {
  /** What the application connects as. */
  url: string;
  /** What migrations run as: the schema's owner (the same as `url` when only one role is configured). */
  migrationUrl: string;
  /** The embedded server's superuser, for maintenance outside the service (the benchmark's CHECKPOINT); never used to serve. */
  adminUrl: string | null;
  /** True when this process started the server (and will stop it). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * With DATABASE_URL, that server is used as is and nothing is started (migrations run as
 * MIGRATION_DATABASE_URL when given). Without it, an embedded PostgreSQL is started under
 * DATA_DIR with a `clinic` database owned by `clinic_owner`, served as `clinic_app`.
 */
export async function openDatabaseServer(
  config: Pick<AppConfig, 'databaseUrl' | 'migrationDatabaseUrl' | 'dataDir'>,
  projectDir = process.cwd(),
  options: { unsafeFastWrites?: boolean } = {},
): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, migrationUrl: config.migrationDatabaseUrl ?? config.databaseUrl, adminUrl: null, embedded: false, stop: async () => undefined };
  }
  const server = new EmbeddedPostgres({ dataDir: config.dataDir, projectDir, unsafeFastWrites: options.unsafeFastWrites });
  const address = await server.start();
  const passwords = rolePasswords(config.dataDir);
  const adminUrl = postgresUrl(address, 'postgres');
  await provisionRoles(adminUrl, passwords);
  return {
    url: postgresUrl({ ...address, user: APP_ROLE, password: passwords.app }, EMBEDDED_DATABASE_NAME),
    migrationUrl: postgresUrl({ ...address, user: OWNER_ROLE, password: passwords.owner }, EMBEDDED_DATABASE_NAME),
    adminUrl: postgresUrl(address, EMBEDDED_DATABASE_NAME),
    embedded: true,
    stop: () => server.stop(),
  };
}

/** The owner and application roles and the database, created on first use. */
async function provisionRoles(adminUrl: string, passwords: { owner: string; app: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await ensureLoginRole(admin, OWNER_ROLE, passwords.owner, 'owner');
    await ensureLoginRole(admin, APP_ROLE, passwords.app, 'app');
  } finally {
    await admin.end();
  }
  await ensureDatabase(adminUrl, EMBEDDED_DATABASE_NAME, undefined, OWNER_ROLE);
}

/** Generated once and kept beside the cluster, readable only by this service's user. */
function rolePasswords(dataDir: string): { owner: string; app: string } {
  const file = path.join(dataDir, 'postgres-roles.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { owner: string; app: string };
  const passwords = { owner: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(passwords), { mode: 0o600 });
  chmodSync(file, 0o600);
  return passwords;
}


export function postgresUrl(address: { host: string; port: number; user: string; password: string }, database: string): string {
  const credentials = `${encodeURIComponent(address.user)}:${encodeURIComponent(address.password)}`;
  return `postgresql://${credentials}@${address.host}:${address.port}/${encodeURIComponent(database)}`;
}

/** Creates the database unless it exists; safe when two processes race to do it. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string, owner?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
    const ownedBy = owner ? ` OWNER ${pg.escapeIdentifier(owner)}` : '';
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}${ownedBy}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // duplicate_database: someone else won
  } finally {
    await client.end();
  }
}
