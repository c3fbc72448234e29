import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { addDays as plusDays } from '../src/clinical/calendar-dates.js';
import { admitPatient, assessmentBody, createEnquiry } from './support/intake.js';
import { burst, dbRows, RaceLog, statusTally } from './support/races.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
/** The clinic's "today" for the whole file: after the stays began, before the tapers' amendments. */
const TODAY = '2027-01-20';

type Json = Record<string, unknown>;
type Line = { kind: string; chargeId?: string; amountMinor: number };

const oxycodone = (overrides: Json = {}): Json => apiExampleOrder({ startDate: ADMITTED_ON, ...overrides });

/**
 * The races that matter in this clinic, each run round after round on fresh data with many
 * requests in flight at once, the invariant checked afterwards in the database and through the
 * API. No round relies on timing: whichever request wins, the invariant must hold.
 */
describe('concurrency', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let billing: Staff;
  let psychiatrist: Staff;
  const log = new RaceLog();

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.advance(Date.parse(`${TODAY}T10:00:00+07:00`) - t.clock.now().getTime());
    admin = await signInFirstAdmin(t);
    [clerk, billing, psychiatrist] = await Promise.all((['admissions', 'billing', 'psychiatrist'] as const).map((role) => createStaff(t, [role])));
  });
  afterAll(async () => {
    if (log.races.length > 0) console.log(log.total());
    await t?.close();
  });

  const post = (path: string, as: { accessToken: string }, body?: Json) => {
    const request = t.http.post(`${API}${path}`).set(bearer(as));
    return body ? request.send(body) : request;
  };
  const get = (path: string, as: { accessToken: string }) => t.http.get(`${API}${path}`).set(bearer(as));
  const admit = async () => (await admitPatient(t, clerk, exampleIntakeBody())).admissionId;

  /** Audit rows of one record, counted by action: `{ CREATE: 1, READ: 11 }`. */
  async function auditedActions(resource: string, resourceId: string): Promise<Record<string, number>> {
    const rows = await dbRows<{ action: string; n: number }>(t, 'SELECT action, count(*)::int AS n FROM audit_events WHERE resource = $1 AND resource_id = $2 GROUP BY action', [resource, resourceId]);
    return Object.fromEntries(rows.map((row) => [row.action, row.n]));
  }

  /** The losers of a race (every answer but the winning status): each a 409 with one of these codes. */
  function expectLosersConflict(responses: Response[], winning: number, codes: string[]): void {
    const unexpected = responses.filter((r) => r.status !== winning && (r.status !== 409 || !codes.includes(r.body.code)));
    expect(unexpected.map((r) => [r.status, r.body.code])).toEqual([]);
  }

  it('1. charge retries: one idempotency key sent many times at once is one charge, answered alike, billed once', async () => {
    await log.run('charge retries', { rounds: 20, parallel: 12 }, async (_, sent) => {
      const admissionId = await admit();
      const body = { itemCode: 'SPA_MASSAGE', quantity: 2, serviceDate: '2027-01-10', idempotencyKey: `retry-${randomUUID()}` };
      const responses = sent(await burst(12, () => post(`/admissions/${admissionId}/charges`, billing, body)));

      expect(statusTally(responses)).toEqual({ 200: 11, 201: 1 });
      const charge = responses[0]!.body;
      for (const response of responses) expect(response.body).toEqual(charge);
      expect(await dbRows(t, 'SELECT id, amount_minor FROM charges WHERE admission_id = $1', [admissionId])).toEqual([{ id: charge.id, amount_minor: '360000' }]);
      // Every answer is on the trail: the creation once, and each retry as a read of the charge.
      expect(await auditedActions('charge', charge.id)).toEqual({ CREATE: 1, READ: 11 });
      // Billed once: the stay's first invoice carries it on one line.
      const invoice = (await post(`/admissions/${admissionId}/invoices`, billing, { periodStart: ADMITTED_ON, periodEnd: '2027-01-17' }).expect(201)).body;
      expect(invoice.lines.filter((line: Line) => line.kind === 'CHARGE')).toEqual([expect.objectContaining({ chargeId: charge.id, amountMinor: 360_000 })]);
    });
  });

  /** No day and no charge on two live invoices of a stay; every live invoice covers its whole period and adds up. */
  async function expectBilledOnce(admissionId: string): Promise<void> {
    expect(await dbRows(t, 'SELECT day FROM invoiced_days WHERE admission_id = $1 AND live GROUP BY day HAVING count(*) > 1', [admissionId])).toEqual([]);
    expect(await dbRows(t, 'SELECT l.charge_id FROM invoice_lines l JOIN charges c ON c.id = l.charge_id WHERE c.admission_id = $1 AND l.live GROUP BY l.charge_id HAVING count(*) > 1', [admissionId])).toEqual([]);
    expect(
      await dbRows(
        t,
        `SELECT i.id FROM invoices i WHERE i.admission_id = $1 AND i.status <> 'VOID' AND (
           i.total_minor <> (SELECT sum(amount_minor) FROM invoice_lines l WHERE l.invoice_id = i.id)
           OR (SELECT count(*) FROM invoiced_days d WHERE d.invoice_id = i.id AND d.live) <> i.period_end - i.period_start + 1)`,
        [admissionId],
      ),
    ).toEqual([]);
  }

  it('2a. drafts of overlapping periods of one stay at once: one wins, the rest 409; no charge or day on two invoices', async () => {
    // Every pair of these periods overlaps, so exactly one draft can win.
    const periods = [[ADMITTED_ON, '2027-01-10'], ['2027-01-07', '2027-01-13'], [ADMITTED_ON, '2027-01-13']] as const;
    const serviceDates = ['2027-01-05', '2027-01-08', '2027-01-12'];
    await log.run('invoice drafts', { rounds: 15, parallel: 10 }, async (_, sent) => {
      const admissionId = await admit();
      const charges = await Promise.all(serviceDates.map((serviceDate) => post(`/admissions/${admissionId}/charges`, billing, { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate, idempotencyKey: randomUUID() }).expect(201)));
      const responses = sent(
        await burst(10, (i) => {
          const [periodStart, periodEnd] = periods[i % periods.length]!;
          return post(`/admissions/${admissionId}/invoices`, billing, { periodStart, periodEnd });
        }),
      );

      expect(statusTally(responses)).toEqual({ 201: 1, 409: 9 });
      expectLosersConflict(responses, 201, ['PERIOD_ALREADY_INVOICED']);
      const won = responses.find((r) => r.status === 201)!.body;
      const inPeriod = charges.map((c) => c.body).filter((c) => c.serviceDate >= won.periodStart && c.serviceDate <= won.periodEnd);
      expect(won.lines.filter((line: Line) => line.kind === 'CHARGE').map((line: Line) => line.chargeId)).toEqual(inPeriod.map((c) => c.id));
      const listed = (await get(`/admissions/${admissionId}/invoices`, billing).expect(200)).body.items;
      expect(listed.map((invoice: Json) => invoice.id)).toEqual([won.id]);
      expect(await auditedActions('invoice', won.id)).toEqual({ CREATE: 1 });
      await expectBilledOnce(admissionId);
    });
  });

  it('2b. drafts of several stays issued at once (and some issued twice): numbers unique, consecutive, gap-free', async () => {
    const year = Number(TODAY.slice(0, 4));
    const number = (sequence: number) => `INV-${year}-${String(sequence).padStart(6, '0')}`;
    const stays = await Promise.all(Array.from({ length: 6 }, () => admit()));
    await log.run('invoice numbers', { rounds: 15, parallel: 14 }, async (round, sent) => {
      const [counter] = await dbRows<{ last_sequence: number }>(t, 'SELECT last_sequence FROM invoice_counters WHERE year = $1', [year]);
      const before = counter?.last_sequence ?? 0;
      // Two fresh one-day drafts per stay: twelve drafts of six stays.
      const drafts = await Promise.all(
        stays.flatMap((admissionId) =>
          [0, 1].map(async (j) => {
            const day = plusDays(ADMITTED_ON, round * 2 + j);
            return (await post(`/admissions/${admissionId}/invoices`, billing, { periodStart: day, periodEnd: day }).expect(201)).body.id as string;
          }),
        ),
      );
      // Each draft issued once, and the first two a second time as well (a double click).
      const targets = [...drafts, drafts[0]!, drafts[1]!];
      const responses = sent(await burst(targets.length, (i) => post(`/invoices/${targets[i]}/issue`, billing)));

      expect(statusTally(responses)).toEqual({ 200: 12, 409: 2 });
      expectLosersConflict(responses, 200, ['ALREADY_ISSUED']);
      // This round took the next twelve numbers; the year's numbers are 1..n with no gap or repeat.
      const numbers = responses.filter((r) => r.status === 200).map((r) => r.body.number as string).sort();
      expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => number(before + i + 1)));
      const issued = await dbRows<{ sequence: number; number: string }>(t, 'SELECT sequence, number FROM invoices WHERE year = $1 ORDER BY sequence', [year]);
      expect(issued).toEqual(Array.from({ length: before + 12 }, (_, i) => ({ sequence: i + 1, number: number(i + 1) })));
      expect(await dbRows(t, 'SELECT last_sequence FROM invoice_counters WHERE year = $1', [year])).toEqual([{ last_sequence: before + 12 }]);
      for (const id of drafts) expect(await auditedActions('invoice', id)).toEqual({ CREATE: 1, ISSUE: 1 });
    });
  });

  it('3. taper orders: one signature of two drafts signed many times at once; one amendment of many at once, the rest 409', async () => {
    const amendFrom = '2027-02-01';
    await log.run('taper sign + amend', { rounds: 15, parallel: 18 }, async (_, sent) => {
      const admissionId = await admit();
      const drafts = await Promise.all([oxycodone(), oxycodone({ basis: 'CURRENT' })].map(async (body) => (await post(`/admissions/${admissionId}/taper-orders`, psychiatrist, body).expect(201)).body));

      // Ten signatures at once, five on each of two drafts of the same opioid: only one may become ACTIVE.
      const signatures = sent(await burst(10, (i) => post(`/taper-orders/${drafts[i % 2]!.id}/sign`, psychiatrist)));
      expect(statusTally(signatures)).toEqual({ 200: 1, 409: 9 });
      expectLosersConflict(signatures, 200, ['ALREADY_SIGNED', 'ACTIVE_ORDER_EXISTS']);
      const v1 = signatures.find((r) => r.status === 200)!.body;
      const loser = drafts.find((d) => d.id !== v1.id)!;
      expect(await dbRows(t, 'SELECT id, status, signed_by FROM taper_orders WHERE admission_id = $1 ORDER BY status', [admissionId])).toEqual([
        { id: v1.id, status: 'ACTIVE', signed_by: psychiatrist.id },
        { id: loser.id, status: 'DRAFT', signed_by: null },
      ]);
      expect(await auditedActions('taper_order', v1.id)).toEqual({ CREATE: 1, SIGN: 1 });
      expect(await auditedActions('taper_order', loser.id)).toEqual({ CREATE: 1 });

      // Eight amendments of that version at once (a pause, or a slower rate): one new version, the rest 409.
      const amendments = sent(
        await burst(8, (i) => post(`/taper-orders/${v1.id}/amendments`, psychiatrist, { effectiveFrom: amendFrom, reason: `Amendment ${i}`, ...(i % 2 ? { reductionPercent: 5 } : { pauseDays: 7 }) })),
      );
      expect(statusTally(amendments)).toEqual({ 201: 1, 409: 7 });
      expectLosersConflict(amendments, 201, ['SUPERSEDED']);
      const v2 = amendments.find((r) => r.status === 201)!.body;
      // v2 is one amendment whole, not a mix: a pause (even) or a slower rate (odd), as its reason says.
      const winner = Number(/^Amendment (\d)$/.exec(v2.amendmentReason)![1]);
      expect([v2.reductionPercent, v2.pauses.length]).toEqual(winner % 2 ? [5, 0] : [10, 1]);
      const versions = await dbRows(t, 'SELECT id, version, status, supersedes_id FROM taper_orders WHERE order_id = $1 ORDER BY version', [v1.id]);
      expect(versions).toEqual([
        { id: v1.id, version: 1, status: 'SUPERSEDED', supersedes_id: null },
        { id: v2.id, version: 2, status: 'ACTIVE', supersedes_id: v1.id },
      ]);
      expect(await auditedActions('taper_order', v2.id)).toEqual({ UPDATE: 1 });
      // The schedule read back is the winner's, and the steps already started are v1's.
      const read = (await get(`/taper-orders/${v2.id}`, psychiatrist).expect(200)).body;
      expect(read.steps).toEqual(v2.steps);
      const started = (steps: { startsOn: string }[]) => steps.filter((s) => s.startsOn < amendFrom);
      expect(started(read.steps)).toEqual(started(v1.steps));
      const ward = (await get(`/taper-doses?date=${plusDays(amendFrom, 14)}`, psychiatrist).expect(200)).body.items.filter((item: Json) => item.admissionId === admissionId);
      expect(ward).toEqual([expect.objectContaining({ versionId: v2.id, version: 2 })]);
    });
  });

  it('4. admitting one enquiry many times at once: one admission, the rest 409, the enquiry ADMITTED', async () => {
    await log.run('admit one enquiry', { rounds: 20, parallel: 10 }, async (_, sent) => {
      const enquiry = await createEnquiry(t, clerk);
      await post(`/enquiries/${enquiry.id}/assessment`, clerk, assessmentBody({ assessedOn: ADMITTED_ON })).expect(201);
      await post(`/enquiries/${enquiry.id}/triage`, clerk).expect(201);
      const responses = sent(await burst(10, () => post(`/enquiries/${enquiry.id}/admissions`, clerk, { admittedOn: ADMITTED_ON })));

      expect(statusTally(responses)).toEqual({ 201: 1, 409: 9 });
      expectLosersConflict(responses, 201, ['INVALID_TRANSITION']);
      const admission = responses.find((r) => r.status === 201)!.body;
      expect(await dbRows(t, 'SELECT id, status FROM admissions WHERE enquiry_id = $1', [enquiry.id])).toEqual([{ id: admission.id, status: 'ACTIVE' }]);
      expect(await dbRows(t, `SELECT count(*)::int AS n FROM admissions WHERE patient_id = $1 AND status = 'ACTIVE'`, [admission.patientId])).toEqual([{ n: 1 }]);
      expect((await get(`/enquiries/${enquiry.id}`, clerk).expect(200)).body.status).toBe('ADMITTED');
      expect(await auditedActions('admission', admission.id)).toEqual({ CREATE: 1 });
    });
  });

  describe('5. deactivating a nurse mid-stream', () => {
    const WRITERS = 10;
    type Sent = { response: Response; after: boolean };

    /**
     * Ten writers (a ward tablet's parallel saves) and a background token refresh run until they
     * see the deactivation answered, then each sends once more; the deactivation is sent once the
     * stream is under way, together with a sign-in on another device. `after` marks the requests
     * sent once the admin had the answer.
     */
    async function streamUntilDeactivated(nurse: Staff, admissionId: string) {
      const recordedAt = new Date(t.clock.now().getTime() - 3_600_000).toISOString();
      let answered = false;
      const writes: Sent[] = [];
      const refreshes: Sent[] = [];
      const tokens = { access: [nurse.accessToken], refresh: [nurse.refreshToken] };
      let underWay: () => void;
      const streamUnderWay = new Promise<void>((resolve) => (underWay = resolve));

      const write = async () => {
        const after = answered;
        const response = await post(`/admissions/${admissionId}/observations`, nurse, { type: 'PAIN', recordedAt, score: 4 });
        if (writes.push({ response, after }) === WRITERS) underWay();
      };
      const writer = async () => {
        do await write();
        while (!answered);
        await write();
      };
      const keep = (response: Response) => {
        tokens.access.push(response.body.accessToken);
        tokens.refresh.push(response.body.refreshToken);
      };
      const refresher = async () => {
        let after: boolean;
        do {
          after = answered;
          const response = await t.http.post(`${API}/auth/refresh`).send({ refreshToken: tokens.refresh.at(-1) });
          refreshes.push({ response, after });
          if (response.status === 200) keep(response);
        } while (!after);
      };

      const stream = Promise.all([...Array.from({ length: WRITERS }, writer), refresher()]);
      await streamUnderWay;
      const [login, deactivation] = await Promise.all([
        t.http.post(`${API}/auth/login`).send({ email: nurse.email, password: nurse.password }),
        t.http.patch(`${API}/users/${nurse.id}`).set(bearer(admin)).send({ active: false }),
      ]);
      answered = true;
      await stream;
      if (login.status === 200) keep(login);
      return { writes, refreshes, login, deactivation, tokens };
    }

    /** Each 201 is one whole observation under the nurse with its CREATE audit in the same request; nothing else of hers is stored. */
    async function expectStoredExactly(nurse: Staff, admissionId: string, writes: Sent[]): Promise<void> {
      const stored = writes.filter((w) => w.response.status === 201).map((w) => w.response);
      const rows = await dbRows(t, 'SELECT id, admission_id, type, score FROM observations WHERE recorded_by = $1 ORDER BY id', [nurse.id]);
      expect(rows).toEqual(stored.map((r) => ({ id: r.body.id, admission_id: admissionId, type: 'PAIN', score: 4 })).sort((a, b) => a.id.localeCompare(b.id)));
      const audited = await dbRows<{ entry: string }>(
        t,
        `SELECT resource_id || ' ' || correlation_id AS entry FROM audit_events WHERE actor_id = $1 AND resource = 'observation' AND action = 'CREATE' AND outcome = 'SUCCESS'`,
        [nurse.id],
      );
      expect(audited.map((a) => a.entry).sort()).toEqual(stored.map((r) => `${r.body.id} ${r.headers['x-correlation-id']}`).sort());
    }

    it('every 2xx stored and audited, nothing half-written, nothing 5xx; her tokens and sessions dead once the admin is answered', async () => {
      // Admitted a week ago: the observations, recorded an hour ago, fall within the stay.
      const admissionId = (await admitPatient(t, clerk, assessmentBody(), plusDays(t.clock.today('Asia/Bangkok'), -7))).admissionId;
      // At most one refused sign-in per round: well under the throttle's 20 failures per address.
      await log.run('deactivation mid-stream', { rounds: 15, parallel: WRITERS + 3 }, async (_, sent) => {
        const nurse = await createStaff(t, ['nurse']);
        const { writes, refreshes, login, deactivation, tokens } = await streamUntilDeactivated(nurse, admissionId);
        const all = sent([...writes, ...refreshes].map((s) => s.response).concat(login, deactivation));

        expect(all.filter((r) => r.status >= 500).map((r) => [r.status, r.body.code])).toEqual([]);
        expect(deactivation.status).toBe(200);
        expect(await auditedActions('user', nurse.id)).toEqual({ CREATE: 1, UPDATE: 1 });
        // In flight, a write is stored (201) or refused (401); a refresh or a sign-in succeeds (200) or is refused (401).
        const inFlight = (list: Sent[]) => list.filter((s) => !s.after).map((s) => s.response.status);
        expect(inFlight(writes).filter((status) => status !== 201 && status !== 401)).toEqual([]);
        expect([...inFlight(refreshes), login.status].filter((status) => status !== 200 && status !== 401)).toEqual([]);
        // Sent after the admin was answered: refused, and so is every token she ever held.
        expect(statusTally([...writes, ...refreshes].filter((w) => w.after).map((w) => w.response))).toEqual({ 401: WRITERS + 1 });
        for (const accessToken of tokens.access) await get('/auth/me', { accessToken }).expect(401);
        for (const refreshToken of tokens.refresh) await t.http.post(`${API}/auth/refresh`).send({ refreshToken }).expect(401);
        // No session outlives the deactivation (not even one opened while it ran): no refresh token is left live.
        expect(await dbRows(t, 'SELECT id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL', [nurse.id])).toEqual([]);
        await expectStoredExactly(nurse, admissionId, writes);
        return {
          'written before the answer': writes.filter((w) => !w.after && w.response.status === 201).length,
          'refused before it': writes.filter((w) => !w.after && w.response.status === 401).length,
          'racing sign-ins refused': login.status === 401 ? 1 : 0,
        };
      });
    }, 90_000); // 15 rounds of 13 racing requests and a sign-in: about 20 s alone, longer on a busy machine
  });
});
