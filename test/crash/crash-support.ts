import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { assessmentBody } from '../support/intake.js';

/** What the crash tests share: the write load, and the checks of what survived it. */
export interface Acknowledged {
  enquiries: Set<string>;
  assessments: Set<string>;
}

/** Every status the load saw, by code. */
export type Statuses = Map<number, number>;

/**
 * Enquiry, then its assessment, again and again; only answers that came back count as
 * acknowledged. `statuses` tallies every answer; without it, the loop ends when the app is gone.
 */
export async function writeUntil(base: string, token: string, stop: number | (() => boolean), acknowledged: Acknowledged, statuses?: Statuses): Promise<void> {
  const done = typeof stop === 'number' ? () => Date.now() >= stop : stop;
  const tally = (status: number) => statuses?.set(status, (statuses.get(status) ?? 0) + 1);
  while (!done()) {
    try {
      const enquiry = await post(base, token, '/enquiries', { contactName: 'Load Test', relationship: 'SELF' });
      tally(enquiry.status);
      if (enquiry.status !== 201) continue;
      acknowledged.enquiries.add(enquiry.body.id);
      const assessed = await post(base, token, `/enquiries/${enquiry.body.id}/assessment`, assessmentBody());
      tally(assessed.status);
      if (assessed.status === 201) acknowledged.assessments.add(assessed.body.id);
    } catch {
      if (!statuses) return; // the app is gone
      tally(0);
    }
  }
}

export async function missingRows(sql: pg.Pool, acknowledged: { enquiries: Set<string>; assessments: Set<string> }): Promise<string[]> {
  const enquiries = await sql.query('SELECT id FROM enquiries WHERE id = ANY($1)', [[...acknowledged.enquiries]]);
  const assessments = await sql.query('SELECT id FROM assessments WHERE id = ANY($1)', [[...acknowledged.assessments]]);
  const found = new Set([...enquiries.rows, ...assessments.rows].map((row: { id: string }) => row.id));
  return [...acknowledged.enquiries, ...acknowledged.assessments].filter((id) => !found.has(id));
}

/** Each write is one transaction: its rows and its audit row exist together or not at all. */
export async function halfWrittenRecords(sql: pg.Pool): Promise<string[]> {
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

export async function post(base: string, token: string, route: string, body: unknown): Promise<{ status: number; body: { id: string } }> {
  const response = await fetch(`${base}${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { id: string } };
}

export async function signIn(base: string, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

export async function createUser(base: string, adminToken: string, role: string): Promise<string> {
  const account = { email: `${role}.${randomBytes(3).toString('hex')}@clinic.test`, password: 'load-test-password' };
  const created = await post(base, adminToken, '/users', { ...account, displayName: `Load ${role}`, roles: [role] });
  if (created.status !== 201) throw new Error(`could not create the ${role} account (${created.status})`);
  return signIn(base, account);
}

