import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { openDatabaseServer } from '../database/database-server.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { prepareSchema } from '../database/migrate.js';
import { ENTITIES } from '../entities.js';

/**
 * The data source the TypeORM CLI loads (`typeorm <command> -d dist/src/cli/data-source.js`).
 * The CLI wants a ready DataSource export, so the database is opened and migrated while this
 * module loads: TypeORM then compares the entities with the schema the migrations built.
 *
 * Started from `npm run migration:generate`, the embedded server is already running and owned
 * by that script: this module attaches to it and leaves it alone. Loaded on its own, it starts
 * the server, which is stopped when the CLI exits (by the launcher's exit hook, or its watchdog).
 * Nothing started here holds the event loop, so the CLI never hangs on it.
 */
const database = await openDatabaseServer(loadConfig());
try {
  await prepareSchema(database);
} catch (error) {
  await database.stop();
  throw error;
}

// The owner's view of the schema: what generated migrations are compared against.
export default new DataSource(dataSourceOptions(database.migrationUrl, { poolSize: 2, applicationName: 'clinic-typeorm-cli', entities: ENTITIES }));
