import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export const EMBEDDED_DATABASE_NAME = 'clinic';

/** The database the service uses, and how to let go of it at shutdown. */
export interface DatabaseServer {
  url: string;
  /** True when this process started the server (and will stop it). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * With DATABASE_URL, that server is used as is and nothing is started. Without it, an
 * embedded PostgreSQL is started under DATA_DIR and its `clinic` database created if missing.
 */
export async function openDatabaseServer(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>, projectDir = process.cwd()): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const server = new EmbeddedPostgres({ dataDir: config.dataDir, projectDir });
  const address = await server.start();
  const adminUrl = postgresUrl(address, 'postgres');
  await ensureDatabase(adminUrl, EMBEDDED_DATABASE_NAME);
  return { url: postgresUrl(address, EMBEDDED_DATABASE_NAME), embedded: true, stop: () => server.stop() };
}

export function postgresUrl(address: { host: string; port: number; user: string; password: string }, database: string): string {
  const credentials = `${encodeURIComponent(address.user)}:${encodeURIComponent(address.password)}`;
  return `postgresql://${credentials}@${address.host}:${address.port}/${encodeURIComponent(database)}`;
}

/** Creates the database unless it exists; safe when two processes race to do it. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // duplicate_database: someone else won
  } finally {
    await client.end();
  }
}
