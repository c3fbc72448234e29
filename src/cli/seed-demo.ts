import { loadConfig, readProcessEnvironment } from '../config/app-config.js';
import { prepareSchema } from '../database/migrate.js';
import { runCli, withDatabaseServer } from './cli-support.js';
import { formatAccountTable, refuseInProduction, seedDemo } from './demo-accounts.js';

/** `npm run seed:demo`: one staff account per role with printed passwords, for development only. */
runCli('seed:demo', async () => {
  // Before the config is checked (production would first complain about JWT_SECRET) and before any server starts.
  refuseInProduction(readProcessEnvironment().NODE_ENV);
  const config = loadConfig();
  const seeded = await withDatabaseServer(config, async (database) => {
    await prepareSchema(database);
    return seedDemo(config, database.url);
  });
  const created = seeded.filter((a) => a.created).length;
  process.stdout.write(`Demo accounts (development passwords): ${created} created, ${seeded.length - created} already existed.\n\n`);
  process.stdout.write(formatAccountTable(seeded));
});
