import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { buildApiDocument } from '../../src/common/http/api-docs.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { Clock } from '../../src/common/clock.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { FakeClock } from './fake-clock.js';
import { responseMismatches, type OpenApiDocument, type OpenApiPaths, type RecordedResponse } from './openapi-conformance.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ADMIN = { email: 'first.admin@clinic.test', password: 'first-admin-password' };

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  clock: FakeClock;
  /** A superuser connection to this test's database, for checks behind the app's back. */
  admin: pg.Pool;
  /** The test database's connection strings (the app's role, the owner's, the superuser's). */
  database: TestDatabase;
  /** Shuts the app down as a signal would (once; close() then skips it). */
  closeApp(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra controllers, e.g. one that throws, to test the error handling. */
  controllers?: Type<unknown>[];
  /** Where the JSON logs go (with env LOG_LEVEL set to see them). */
  logDestination?: DestinationStream;
  /** Another app's database, shared (a second instance); its owner drops it, not this app. */
  database?: TestDatabase;
  /** The URL the app connects to instead of its database's own (through a proxy, say). */
  appUrl?: (database: TestDatabase) => string;
  /**
   * false: do not check the app's JSON answers against the OpenAPI document at close(). By
   * default every answer of a documented route is checked, and close() fails on a mismatch.
   */
  checkResponses?: boolean;
}

/** The real app, with its real global filter, pipe and guard, on a fresh migrated database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...options.env,
  });
  const clock = new FakeClock();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, options.appUrl?.(database) ?? database.url, options.logDestination)],
    controllers: options.controllers ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { bufferLogs: true });
  const answers = options.checkResponses === false ? null : recordAnswers(app);
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // No idle timeout: its connections close only when close() ends the pool, which waits for them.
  const admin = new pg.Pool({ connectionString: database.adminUrl, max: 2, idleTimeoutMillis: 0 });
  let closing: Promise<void> | null = null;
  const closeApp = () => (closing ??= app.close());
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    clock,
    admin,
    database,
    closeApp,
    close: async () => {
      const mismatches = answers?.length ? responseMismatches(buildApiDocument(app) as unknown as OpenApiDocument & OpenApiPaths, answers) : [];
      await closeApp();
      await endPool(admin);
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
      if (mismatches.length > 0) throw new Error(`Answers that disagree with the OpenAPI document:\n${mismatches.join('\n')}`);
    },
  };
}

/** Every JSON answer the app sends, kept to be checked against the OpenAPI document at close(). */
function recordAnswers(app: NestFastifyApplication): RecordedResponse[] {
  const answers: RecordedResponse[] = [];
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply, payload) => {
    const contentType = String(reply.getHeader('content-type') ?? '');
    const route = request.routeOptions.url;
    if (route && typeof payload === 'string' && /^application\/([a-z+]+\+)?json/.test(contentType)) {
      answers.push({ method: request.method, route, status: reply.statusCode, contentType, body: payload });
    }
    return payload;
  });
  return answers;
}

/**
 * Ends a pool once its connections are really closed. pg-pool's end() resolves as soon as it has
 * asked its idle clients to end, and the database is then dropped WITH (FORCE): on a busy machine
 * that could terminate a connection still closing, and the pool, which has no 'error' listener,
 * re-raised it as an uncaught "terminating connection due to administrator command". Jest blames
 * such an error on the test in which the connection was opened, so a passing test failed.
 */
async function endPool(pool: pg.Pool): Promise<void> {
  const open = pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (++removed === open) resolve();
    });
  });
  await pool.end();
  await closed;
}
