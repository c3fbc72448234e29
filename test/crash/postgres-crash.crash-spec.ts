import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/common/net/free-port.js';
import { postgresUrl } from '../../src/database/database-server.js';
import { createUser, halfWrittenRecords, missingRows, signIn, writeUntil, type Acknowledged, type Statuses } from './crash-support.js';

/**
 * The app as deployed (dist/), on its own embedded PostgreSQL, takes a write load; the test
 * SIGKILLs the postmaster mid-flight. The launcher must notice, clear away the orphaned
 * backends and start PostgreSQL again (crash recovery from the WAL); the app, never restarted,
 * answers 503 meanwhile (never 401 or 500) and 2xx again within 15 s. Every write it
 * acknowledged must survive, nothing half-written, the audit chain intact.
 */
const ADMIN = { email: 'pgcrash.admin@clinic.test', password: 'pgcrash-admin-password' };
const WRITERS = 8;
const LOAD_BEFORE_KILL_MS = 1_500;
const RECOVERY_LIMIT_MS = 15_000;

describe('SIGKILL of the embedded PostgreSQL during writes', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-pgcrash-'));
  let app: ChildProcess | null = null;
  afterAll(async () => {
    if (app && app.exitCode === null) {
      const gone = new Promise((resolve) => app!.once('exit', resolve));
      app.kill('SIGTERM');
      await gone;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts PostgreSQL, answers 503 meanwhile and 2xx again within 15 s, and loses no acknowledged write', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    app = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
      env: { ...process.env, NODE_ENV: 'production', EMBEDDED_DATABASE: 'true', DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), JWT_SECRET: randomBytes(32).toString('hex'), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'silent', NODE_OPTIONS: '', CLINIC_NAME: 'Crash Test Clinic', CLINIC_PHONE: '+66 53 000 000' },
      stdio: ['ignore', process.env.CRASH_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
    });
    await waitForHealth(base, app, 60_000);
    const clerk = await createUser(base, await signIn(base, ADMIN), 'admissions');

    const acknowledged: Acknowledged = { enquiries: new Set(), assessments: new Set() };
    const statuses: Statuses = new Map();
    let stopped = false;
    const writers = Array.from({ length: WRITERS }, () => writeUntil(base, clerk, () => stopped, acknowledged, statuses));
    // Mid-load: at least LOAD_BEFORE_KILL_MS and some acknowledged writes (a busy machine is slower).
    const loadStart = Date.now();
    while (Date.now() - loadStart < 20_000 && (Date.now() - loadStart < LOAD_BEFORE_KILL_MS || acknowledged.enquiries.size <= 10)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const before = acknowledged.enquiries.size;
    const killedAt = Date.now();
    process.kill(postmasterPid(dataDir), 'SIGKILL');

    // The writers keep going; recovered means a new write was acknowledged after the kill.
    while (acknowledged.enquiries.size <= before + WRITERS && Date.now() - killedAt < RECOVERY_LIMIT_MS + 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const recoveredAfterMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    stopped = true;
    await Promise.all(writers);
    const health = await fetch(`${base}/health`);
    console.log(`postgres crash: answers ${JSON.stringify(Object.fromEntries(statuses))}; serving again ${recoveredAfterMs} ms after the kill`);
    expect(app.exitCode).toBeNull();
    expect(recoveredAfterMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(health.status).toBe(200);

    const sql = new pg.Pool({ connectionString: superuserUrl(dataDir), max: 2 });
    try {
      const missing = await missingRows(sql, acknowledged);
      const halfWritten = await halfWrittenRecords(sql);
      const verify = (await fetch(`${base}/audit-events/verify`, { headers: { authorization: `Bearer ${await signIn(base, ADMIN)}` } }).then((r) => r.json())) as { intact: boolean; pendingEvents: number };
      console.log(
        `postgres crash: ${before} enquiries acknowledged before the SIGKILL, ${acknowledged.enquiries.size} in all; answers ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `serving again ${recoveredAfterMs} ms after the kill; ${missing.length} missing; ${halfWritten.length} half-written; audit chain ${verify.intact ? 'intact' : 'BROKEN'}`,
      );
      expect(before).toBeGreaterThan(10);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((status) => status !== 201 && status !== 503)).toEqual([]);
      expect(missing).toEqual([]);
      expect(halfWritten).toEqual([]);
      expect(verify).toMatchObject({ intact: true, pendingEvents: 0 });
    } finally {
      await sql.end();
    }
  });
});

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The embedded server's superuser on the clinic database, on its current port. */
function superuserUrl(dataDir: string): string {
  const port = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  return postgresUrl({ host: '127.0.0.1', port, user: 'postgres', password }, 'clinic');
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return;
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the app did not become healthy');
}
