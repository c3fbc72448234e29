import type { AppConfig } from '../config/app-config.js';
import { openDatabaseServer, type DatabaseServer } from '../database/database-server.js';

/**
 * Runs `work` against the service's database (embedded unless DATABASE_URL) and always stops a
 * server it started, also when `work` fails, so a script never leaves PostgreSQL behind.
 */
export async function withDatabaseServer<T>(config: Pick<AppConfig, 'databaseUrl' | 'migrationDatabaseUrl' | 'dataDir'>, work: (database: DatabaseServer) => Promise<T>): Promise<T> {
  const database = await openDatabaseServer(config);
  try {
    return await work(database);
  } finally {
    await database.stop();
  }
}

/**
 * The entry point of a script: a failure is one clear line on stderr and exit code 1. The exit
 * is explicit because Nest, pino or argon2 may keep handles open after the work is done.
 */
export function runCli(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
