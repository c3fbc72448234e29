import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createUser, halfWrittenRecords, missingRows, signIn, writeUntil } from './crash-support.js';
import { freePort } from '../../src/common/net/free-port.js';

/**
 * Crash safety: the app as deployed (dist/, built by `npm run test:crash`) takes a write load,
 * is killed with SIGKILL mid-flight, and restarts on the same database. Every write it
 * acknowledged must be there, and nothing may be half-written: an enquiry moves to ASSESSED
 * only together with its patient, its assessment and both audit rows.
 */
const ADMIN = { email: 'crash.admin@clinic.test', password: 'crash-admin-password' };
const LOAD_MS = 1_500;
const WRITERS = 8;
const MIN_ACKNOWLEDGED = 20;

describe('a SIGKILL during writes', () => {
  let database: TestDatabase;
  let sql: pg.Pool;
  let app: RunningApp | null = null;
  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new pg.Pool({ connectionString: database.adminUrl, max: 2 });
  });
  afterAll(async () => {
    app?.process.kill('SIGKILL');
    await sql.end();
    await database.drop();
  });

  it('loses no acknowledged write and leaves no half-written record', async () => {
    const secret = randomBytes(32).toString('hex');
    app = await startApp(database, secret);
    const token = await signIn(app.base, ADMIN);
    const clerk = await createUser(app.base, token, 'admissions');
    const acknowledged = { enquiries: new Set<string>(), assessments: new Set<string>() };
    // The writers run until the app is gone: killed mid-load once enough writes are acknowledged
    // (on a busy machine that takes longer than LOAD_MS), so the check has something to find.
    const writers = Array.from({ length: WRITERS }, () => writeUntil(app!.base, clerk, () => false, acknowledged));
    await waitUntil(() => acknowledged.enquiries.size > MIN_ACKNOWLEDGED, LOAD_MS, 20_000);
    app.process.kill('SIGKILL');
    await Promise.all(writers);
    await exited(app.process);

    app = await startApp(database, secret);
    const missing = await missingRows(sql, acknowledged);
    const halfWritten = await halfWrittenRecords(sql);
    const verify = (await fetch(`${app.base}/audit-events/verify`, { headers: { authorization: `Bearer ${await signIn(app.base, ADMIN)}` } }).then((r) => r.json())) as { intact: boolean; pendingEvents: number };
    console.log(
      `crash: ${acknowledged.enquiries.size} enquiries and ${acknowledged.assessments.size} assessments acknowledged before SIGKILL; ` +
        `${missing.length} missing after restart; ${halfWritten.length} half-written; audit chain ${verify.intact ? 'intact' : 'BROKEN'}`,
    );
    expect(acknowledged.enquiries.size).toBeGreaterThan(MIN_ACKNOWLEDGED);
    expect(missing).toEqual([]);
    expect(halfWritten).toEqual([]);
    expect(verify).toMatchObject({ intact: true, pendingEvents: 0 });
  });
});

interface RunningApp {
  process: ChildProcess;
  base: string;
}

async function startApp(database: TestDatabase, jwtSecret: string): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: database.url, MIGRATION_DATABASE_URL: database.ownerUrl, PORT: String(port), JWT_SECRET: jwtSecret, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', NODE_OPTIONS: '', CLINIC_NAME: 'Crash Test Clinic', CLINIC_PHONE: '+66 53 000 000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) return { process: child, base };
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the app did not become healthy');
}

/** Waits at least `minMs`, then until the condition holds or `maxMs` have passed. */
async function waitUntil(condition: () => boolean, minMs: number, maxMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < maxMs && (Date.now() - start < minMs || !condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}
