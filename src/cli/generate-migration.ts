import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '../../migrations/index.js';
import { loadConfig } from '../config/app-config.js';
import { prepareSchema } from '../database/migrate.js';
import { runCli, withDatabaseServer } from './cli-support.js';

const USAGE = 'usage: npm run migration:generate -- <Name>   (letters, digits, "-" or "_"; e.g. AddPatients)';
const NO_CHANGES = 'No changes in database schema were found';

/**
 * `npm run migration:generate -- <Name>`: opens the database (embedded unless DATABASE_URL),
 * applies pending migrations, and lets TypeORM write `migrations/<timestamp>-<Name>.ts` with the
 * SQL that brings that schema to the entities. The server is ours, so we stop it afterwards.
 */
runCli('migration:generate', async () => {
  const name = process.argv[2];
  if (!name) throw new Error(`a migration name is required\n${USAGE}`);
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new Error(`"${name}" is not a valid migration name\n${USAGE}`);
  const config = loadConfig();
  return withDatabaseServer(config, async (database) => {
    await prepareSchema(database);
    return generateMigration(name);
  });
});

/** Runs the TypeORM CLI on our compiled data source; it attaches to the server opened above. */
async function generateMigration(name: string): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('typeorm/cli.js');
  const dataSource = fileURLToPath(new URL('./data-source.js', import.meta.url));
  const target = path.resolve('migrations', name);
  const args = [cli, 'migration:generate', '-d', dataSource, '--pretty', '-t', String(nextTimestamp()), target];
  const { code, output } = await run(process.execPath, args);
  if (code !== 0 && output.includes(NO_CHANGES)) {
    process.stdout.write('No changes: the entities match the schema the migrations build. No migration written.\n');
    return 0;
  }
  process.stdout.write(output);
  if (code === 0) process.stdout.write('Review the SQL, then add the new class to MIGRATIONS in migrations/index.ts.\n');
  return code;
}

/** Now, unless the clock is behind the newest migration: a new one must sort after it. */
function nextTimestamp(): number {
  const latest = Math.max(0, ...MIGRATIONS.map((m) => Number(/(\d{13})$/.exec(m.name)?.[1] ?? 0)));
  return Math.max(Date.now(), latest + 1);
}

/** Runs a child with stderr passed through and stdout kept, to tell "no changes" from the rest. */
function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}
