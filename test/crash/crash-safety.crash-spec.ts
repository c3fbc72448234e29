import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { assessmentBody } from '../support/intake.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
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
    const stop = Date.now() + LOAD_MS;
    const writers = Array.from({ length: WRITERS }, () => writeUntil(app!.base, clerk, stop, acknowledged));
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS - 300));
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
    expect(acknowledged.enquiries.size).toBeGreaterThan(20);
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

/** Enquiry, then its assessment, again and again; only answers that came back count as acknowledged. */
async function writeUntil(base: string, token: string, stop: number, acknowledged: { enquiries: Set<string>; assessments: Set<string> }): Promise<void> {
  while (Date.now() < stop) {
    try {
      const enquiry = await post(base, token, '/enquiries', { contactName: 'Load Test', relationship: 'SELF' });
      if (enquiry.status !== 201) continue;
      acknowledged.enquiries.add(enquiry.body.id);
      const assessed = await post(base, token, `/enquiries/${enquiry.body.id}/assessment`, assessmentBody());
      if (assessed.status === 201) acknowledged.assessments.add(assessed.body.id);
    } catch {
      return; // the app is gone
    }
  }
}

async function missingRows(sql: pg.Pool, acknowledged: { enquiries: Set<string>; assessments: Set<string> }): Promise<string[]> {
  const enquiries = await sql.query('SELECT id FROM enquiries WHERE id = ANY($1)', [[...acknowledged.enquiries]]);
  const assessments = await sql.query('SELECT id FROM assessments WHERE id = ANY($1)', [[...acknowledged.assessments]]);
  const found = new Set([...enquiries.rows, ...assessments.rows].map((row: { id: string }) => row.id));
  return [...acknowledged.enquiries, ...acknowledged.assessments].filter((id) => !found.has(id));
}

/** Each write is one transaction: its rows and its audit row exist together or not at all. */
async function halfWrittenRecords(sql: pg.Pool): Promise<string[]> {
  const checks = [
    `SELECT 'enquiry without CREATE audit ' || e.id AS problem FROM enquiries e
       WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.resource = 'enquiry' AND a.action = 'CREATE' AND a.resource_id = e.id::text)`,
    `SELECT 'assessed enquiry without patient or assessment ' || e.id FROM enquiries e
       WHERE e.status = 'ASSESSED' AND (e.patient_id IS NULL OR NOT EXISTS (SELECT 1 FROM assessments s WHERE s.enquiry_id = e.id))`,
    `SELECT 'assessment without CREATE audit ' || s.id FROM assessments s
       WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.resource = 'assessment' AND a.action = 'CREATE' AND a.resource_id = s.id::text)`,
    `SELECT 'assessment of an enquiry that is not ASSESSED ' || s.id FROM assessments s JOIN enquiries e ON e.id = s.enquiry_id WHERE e.status = 'NEW'`,
  ];
  const results = await Promise.all(checks.map((check) => sql.query(check)));
  return results.flatMap((result) => result.rows.map((row: { problem: string }) => row.problem));
}

async function post(base: string, token: string, route: string, body: unknown): Promise<{ status: number; body: { id: string } }> {
  const response = await fetch(`${base}${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { id: string } };
}

async function signIn(base: string, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function createUser(base: string, adminToken: string, role: string): Promise<string> {
  const account = { email: `${role}.${randomBytes(3).toString('hex')}@clinic.test`, password: 'load-test-password' };
  const created = await post(base, adminToken, '/users', { ...account, displayName: `Load ${role}`, roles: [role] });
  if (created.status !== 201) throw new Error(`could not create the ${role} account (${created.status})`);
  return signIn(base, account);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}
