import { loadConfig } from '../config/app-config.js';
import { prepareSchema } from '../database/migrate.js';
import { runCli, withDatabaseServer } from './cli-support.js';

/** `npm run migration:run`: applies pending migrations and names each one applied. */
runCli('migration:run', async () => {
  const config = loadConfig();
  const applied = await withDatabaseServer(config, (database) => prepareSchema(database));
  if (applied.length === 0) {
    process.stdout.write('No pending migrations: the schema is up to date.\n');
    return;
  }
  process.stdout.write(`Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}`);
});
