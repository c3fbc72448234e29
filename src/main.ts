import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { loadConfig } from './config/app-config.js';
import { openDatabaseServer } from './database/database-server.js';
import { prepareSchema } from './database/migrate.js';

/** Starts the database (embedded unless DATABASE_URL), migrates, serves, and stops in order. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  for (const warning of config.startWarnings) process.stderr.write(`Warning: ${warning}\n`);
  const database = await openDatabaseServer(config);
  try {
    await prepareSchema(database);
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database.url), createHttpAdapter(config), {
      bufferLogs: true,
    });
    await configureApp(app);
    await app.listen({ port: config.port, host: config.host });
    process.stdout.write(`Clinic API on http://${config.host}:${config.port}/api/v1 (${config.apiDocs ? 'docs: /api/docs' : 'API docs off'})\n`);
    onShutdownSignal(async () => {
      await app.close();
      await database.stop();
    });
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/** Ctrl-C or SIGTERM: finish in-flight requests, close the pool, then stop the database. */
function onShutdownSignal(shutdown: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
