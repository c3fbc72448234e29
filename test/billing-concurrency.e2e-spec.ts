import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient } from './support/intake.js';
import { burst, statusTally } from './support/races.js';
import { bearer, createStaff, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const INVOICES = `${API}/invoices`;
const FEE = 28_000_000;

type Json = Record<string, unknown>;

const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

/**
 * Billing races against real PostgreSQL: two clerks clicking at once. This file has a database of its own, so
 * the invoice numbers of the year start at 1 here.
 */
describe('billing under concurrency', () => {
  let t: TestApp;
  let clerk: Staff;
  let billing: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    [clerk, billing] = await Promise.all((['admissions', 'billing'] as const).map((role) => createStaff(t, [role])));
  });
  afterAll(async () => {
    await t.close();
  });

  const today = () => t.clock.today(t.config.clinicTimeZone);
  const admit = async () => (await admitPatient(t, clerk)).admissionId;
  const chargeBody = (extra: Json = {}): Json => ({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-10', idempotencyKey: `charge-${randomUUID()}`, ...extra });
  const charge = (admissionId: string, body: Json) => t.http.post(`${ADMISSIONS}/${admissionId}/charges`).set(bearer(billing)).send(body);
  const draft = (admissionId: string, periodStart: string, periodEnd: string) =>
    t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart, periodEnd });
  const issue = (id: string) => t.http.post(`${INVOICES}/${id}/issue`).set(bearer(billing));
  const pay = (id: string, amountMinor: number) => t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send({ amountMinor, method: 'TRANSFER', receivedOn: today() });
  const voidInvoice = (id: string) => t.http.post(`${INVOICES}/${id}/void`).set(bearer(billing)).send({ reason: 'Raced on purpose.' });
  const sql = async (text: string, params: unknown[] = []): Promise<Json[]> => (await t.admin.query(text, params)).rows;

  /**
   * The invariants the database must hold for a stay, checked in SQL: no day and no charge on two
   * live invoices, every charge line dated in its invoice's period, and totals equal to the lines.
   */
  async function expectConsistent(admissionId: string): Promise<void> {
    expect(await sql(`SELECT day FROM invoiced_days WHERE admission_id = $1 AND live GROUP BY day HAVING count(*) > 1`, [admissionId])).toEqual([]);
    expect(
      await sql(
        `SELECT l.charge_id FROM invoice_lines l JOIN charges c ON c.id = l.charge_id
         WHERE c.admission_id = $1 AND l.live GROUP BY l.charge_id HAVING count(*) > 1`,
        [admissionId],
      ),
    ).toEqual([]);
    expect(
      await sql(
        `SELECT i.id FROM invoices i WHERE i.admission_id = $1 AND (
           i.total_minor <> (SELECT sum(amount_minor) FROM invoice_lines l WHERE l.invoice_id = i.id)
           OR (i.status <> 'VOID') <> EXISTS (SELECT 1 FROM invoiced_days d WHERE d.invoice_id = i.id AND d.live)
           OR (i.status <> 'VOID' AND (SELECT count(*) FROM invoiced_days d WHERE d.invoice_id = i.id AND d.live) <> i.period_end - i.period_start + 1))`,
        [admissionId],
      ),
    ).toEqual([]);
  }

  describe('idempotent charges', () => {
    it('50 parallel retries of one charge make one charge, one audit CREATE; one 201, the rest 200 with the same charge', async () => {
      const admissionId = await admit();
      const body = chargeBody({ quantity: 2 });
      const responses = await Promise.all(Array.from({ length: 50 }, () => charge(admissionId, body)));

      expect(responses.map((r) => r.status).sort()).toEqual([...Array<number>(49).fill(200), 201]);
      const first = responses.find((r) => r.status === 201)!.body;
      for (const response of responses) expect(response.body).toEqual(first);
      expect(await sql('SELECT id, amount_minor FROM charges WHERE admission_id = $1', [admissionId])).toEqual([{ id: first.id, amount_minor: '360000' }]);
      expect(await sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'CREATE' AND resource = 'charge' AND resource_id = $1`, [first.id])).toEqual([{ n: 1 }]);
    });

    it('50 parallel requests under one key with two different bodies: one charge; its body gets it back, the other body 409', async () => {
      const admissionId = await admit();
      const key = `shared-${randomUUID()}`;
      const bodies = [chargeBody({ idempotencyKey: key }), chargeBody({ idempotencyKey: key, quantity: 3 })];
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => charge(admissionId, bodies[i % 2]!)));

      const rows = await sql('SELECT id, quantity FROM charges WHERE admission_id = $1', [admissionId]);
      expect(rows).toHaveLength(1);
      const winner = rows[0]!.quantity === '1.000' ? 0 : 1;
      responses.forEach((response, i) => {
        if (i % 2 === winner) {
          expect([200, 201]).toContain(response.status);
          expect(response.body.id).toBe(rows[0]!.id);
        } else {
          expect(response.status).toBe(409);
          expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        }
      });
      expect(count(responses, 201)).toBe(1);
    });

    it('50 parallel charges with different keys are 50 charges', async () => {
      const admissionId = await admit();
      const responses = await Promise.all(Array.from({ length: 50 }, () => charge(admissionId, chargeBody())));
      expect(count(responses, 201)).toBe(50);
      expect(await sql('SELECT count(*)::int AS n FROM charges WHERE admission_id = $1', [admissionId])).toEqual([{ n: 50 }]);
    });
  });

  describe('parallel drafts of one stay', () => {
    it('10 parallel drafts of the same period: one invoice, nine 409 PERIOD_ALREADY_INVOICED, no charge twice', async () => {
      const admissionId = await admit();
      const charges = [];
      for (const serviceDate of ['2027-01-04', '2027-01-15', '2027-02-02', '2027-02-03']) charges.push((await charge(admissionId, chargeBody({ serviceDate })).expect(201)).body);

      const responses = await Promise.all(Array.from({ length: 10 }, () => draft(admissionId, '2027-01-04', '2027-02-02')));
      expect(count(responses, 201)).toBe(1);
      for (const response of responses.filter((r) => r.status !== 201)) expect([response.status, response.body.code]).toEqual([409, 'PERIOD_ALREADY_INVOICED']);
      const created = responses.find((r) => r.status === 201)!.body;
      expect(created.lines.filter((line: Json) => line.kind === 'CHARGE').map((line: Json) => line.chargeId)).toEqual(charges.slice(0, 3).map((c) => c.id));
      expect(await sql('SELECT count(*)::int AS n FROM invoices WHERE admission_id = $1', [admissionId])).toEqual([{ n: 1 }]);
      await expectConsistent(admissionId);
    });

    it('10 parallel drafts of different, overlapping periods: the winners do not overlap, no day or charge on two live invoices', async () => {
      const admissionId = await admit();
      for (let day = 0; day < 40; day += 3) {
        const serviceDate = new Date(Date.UTC(2027, 0, 4 + day)).toISOString().slice(0, 10);
        await charge(admissionId, chargeBody({ serviceDate })).expect(201);
      }
      const periods: [string, string][] = [
        ['2027-01-04', '2027-01-13'], ['2027-01-10', '2027-01-20'], ['2027-01-14', '2027-01-25'], ['2027-01-21', '2027-02-02'], ['2027-01-04', '2027-02-02'],
        ['2027-01-26', '2027-02-02'], ['2027-01-04', '2027-01-04'], ['2027-02-01', '2027-02-05'], ['2027-01-18', '2027-01-18'], ['2027-01-30', '2027-02-10'],
      ];
      const responses = await Promise.all(periods.map(([start, end]) => draft(admissionId, start, end)));
      const won = responses.filter((r) => r.status === 201).map((r) => r.body as Json);
      expect(won.length).toBeGreaterThan(0);
      for (const response of responses.filter((r) => r.status !== 201)) expect([response.status, response.body.code]).toEqual([409, 'PERIOD_ALREADY_INVOICED']);
      for (const a of won) {
        for (const b of won) {
          if (a !== b) expect(String(a.periodEnd) < String(b.periodStart) || String(b.periodEnd) < String(a.periodStart)).toBe(true);
        }
      }
      // Every charge on an invoice is dated in its period (none was billed before, so none is late).
      expect(
        await sql(
          `SELECT l.charge_id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN charges c ON c.id = l.charge_id
           WHERE i.admission_id = $1 AND l.live AND c.service_date NOT BETWEEN i.period_start AND i.period_end`,
          [admissionId],
        ),
      ).toEqual([]);
      await expectConsistent(admissionId);
    });

    it('drafts racing a void of the invoice holding their days: never two live invoices on a day', async () => {
      const admissionId = await admit();
      await charge(admissionId, chargeBody({ serviceDate: '2027-01-20' })).expect(201);
      const first = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
      const responses = await Promise.all([voidInvoice(first.id), ...Array.from({ length: 6 }, () => draft(admissionId, '2027-01-04', '2027-02-02'))]);
      expect(responses[0]!.status).toBe(200);
      expect(count(responses.slice(1), 201)).toBeLessThanOrEqual(1);
      await expectConsistent(admissionId);
      // Whether or not a draft won the race, the days and the charge can be billed exactly once again.
      if (count(responses.slice(1), 201) === 0) await draft(admissionId, '2027-01-04', '2027-02-02').expect(201);
      expect(await sql(`SELECT count(*)::int AS n FROM invoices WHERE admission_id = $1 AND status <> 'VOID'`, [admissionId])).toEqual([{ n: 1 }]);
      expect(await sql(`SELECT count(*)::int AS n FROM invoice_lines l JOIN charges c ON c.id = l.charge_id WHERE c.admission_id = $1 AND l.live`, [admissionId])).toEqual([{ n: 1 }]);
      await expectConsistent(admissionId);
    });

    it('20 parallel charges while a draft is made: each ends on the invoice or uninvoiced, none twice, none lost', async () => {
      const admissionId = await admit();
      const responses = await Promise.all([
        draft(admissionId, '2027-01-04', '2027-02-02'),
        ...Array.from({ length: 20 }, (_, i) => charge(admissionId, chargeBody({ serviceDate: `2027-01-${String(5 + i).padStart(2, '0')}` }))),
      ]);
      expect(responses.map((r) => r.status)).toEqual([201, ...Array<number>(20).fill(201)]);
      const onInvoice = responses[0]!.body.lines.filter((line: Json) => line.kind === 'CHARGE').length;
      const uninvoiced = (await t.http.get(`${ADMISSIONS}/${admissionId}/charges?uninvoiced=true`).set(bearer(billing)).expect(200)).body.items.length;
      expect(onInvoice + uninvoiced).toBe(20);
      await expectConsistent(admissionId);
      // The stragglers are picked up by the next draft, dated in an invoiced period or not.
      const next = (await draft(admissionId, '2027-02-03', '2027-02-03').expect(201)).body;
      expect(next.lines.filter((line: Json) => line.kind === 'CHARGE')).toHaveLength(uninvoiced);
      await expectConsistent(admissionId);
    });
  });

  describe('invoice numbers', () => {
    it('20 parallel issues across 20 stays: INV-<year>-000001 to 000020, gapless and unique; a racing re-issue takes no number', async () => {
      const year = today().slice(0, 4);
      const drafts: string[] = [];
      for (let i = 0; i < 21; i++) {
        const admissionId = await admit();
        drafts.push((await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body.id);
      }
      const responses = await Promise.all(drafts.slice(0, 20).map((id) => issue(id)));
      expect(responses.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
      const numbers = responses.map((r) => r.body.number as string).sort();
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`));
      expect(await sql(`SELECT count(DISTINCT number)::int AS n, min(sequence) AS min, max(sequence) AS max FROM invoices WHERE year = $1`, [Number(year)])).toEqual([{ n: 20, min: 1, max: 20 }]);
      expect(await sql('SELECT last_sequence FROM invoice_counters WHERE year = $1', [Number(year)])).toEqual([{ last_sequence: 20 }]);

      // Ten parallel issues of one draft: one number, nine 409s that take none.
      const again = await Promise.all(Array.from({ length: 10 }, () => issue(drafts[20]!)));
      expect(count(again, 200)).toBe(1);
      for (const response of again.filter((r) => r.status !== 200)) expect([response.status, response.body.code]).toEqual([409, 'ALREADY_ISSUED']);
      expect(again.find((r) => r.status === 200)!.body.number).toBe(`INV-${year}-000021`);
      expect(await sql('SELECT last_sequence FROM invoice_counters WHERE year = $1', [Number(year)])).toEqual([{ last_sequence: 21 }]);
    });
  });

  describe('payments', () => {
    it('parallel payments that together would overpay: only those that fit succeed, paid never above the total', async () => {
      const admissionId = await admit();
      const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
      await issue(id).expect(200);

      const big = await Promise.all(Array.from({ length: 10 }, () => pay(id, 8_000_000)));
      expect(count(big, 201)).toBe(3);
      for (const response of big.filter((r) => r.status !== 201)) expect([response.status, response.body.code]).toEqual([422, 'OVERPAYMENT']);
      expect(await sql('SELECT status, paid_minor FROM invoices WHERE id = $1', [id])).toEqual([{ status: 'ISSUED', paid_minor: '24000000' }]);

      const small = await Promise.all(Array.from({ length: 10 }, () => pay(id, 1_000_000)));
      expect(count(small, 201)).toBe(4);
      for (const response of small.filter((r) => r.status !== 201)) expect([response.status, response.body.code]).toEqual([409, 'ALREADY_PAID']);
      expect(await sql('SELECT status, paid_minor FROM invoices WHERE id = $1', [id])).toEqual([{ status: 'PAID', paid_minor: String(FEE) }]);
      expect(await sql('SELECT count(*)::int AS n, sum(amount_minor)::bigint AS sum FROM payments WHERE invoice_id = $1', [id])).toEqual([{ n: 7, sum: String(FEE) }]);
      expect(await sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'CREATE' AND resource = 'payment' AND detail->>'invoiceId' = $1`, [id])).toEqual([{ n: 7 }]);
    });

    it('15 parallel retries of one payment with an idempotency key: one payment, one 201, fourteen 200s with the same invoice', async () => {
      for (let round = 0; round < 3; round++) {
        const admissionId = await admit();
        const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
        await issue(id).expect(200);
        const body = { amountMinor: 1_000_000, method: 'TRANSFER', receivedOn: today(), reference: 'same-ref', idempotencyKey: `retry-${round}` };
        const responses = await burst(15, () => t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send(body));
        expect(statusTally(responses)).toEqual({ 200: 14, 201: 1 });
        const first = responses.find((r) => r.status === 201)!.body;
        for (const response of responses) expect(response.body).toEqual(first);
        expect(await sql('SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1', [id])).toEqual([{ n: 1 }]);
        expect(await sql('SELECT status, paid_minor FROM invoices WHERE id = $1', [id])).toEqual([{ status: 'ISSUED', paid_minor: '1000000' }]);
        expect(await sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'CREATE' AND resource = 'payment' AND detail->>'invoiceId' = $1`, [id])).toEqual([{ n: 1 }]);
      }
    });

    it('the unique index holds the key even behind the service: a second payment with it is refused by the database', async () => {
      const admissionId = await admit();
      const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
      await issue(id).expect(200);
      await t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send({ amountMinor: 100, method: 'CASH', receivedOn: today(), idempotencyKey: 'k-1' }).expect(201);
      const [{ recorded_by: by }] = await sql('SELECT recorded_by FROM payments WHERE invoice_id = $1', [id]);
      await expect(
        t.admin.query(`INSERT INTO payments (invoice_id, amount_minor, method, received_on, recorded_by, idempotency_key, request_hash) VALUES ($1, 100, 'CASH', '2027-01-10', $2, 'k-1', 'x')`, [id, by]),
      ).rejects.toThrow(/payments_invoice_idempotency_key/);
    });

    it('15 parallel voids of one payment: one 200, fourteen 409 ALREADY_VOID, paid lowered once', async () => {
      const admissionId = await admit();
      const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
      await issue(id).expect(200);
      await pay(id, 1_000_000).expect(201);
      const paid = await pay(id, FEE - 1_000_000).expect(201);
      const paymentId = paid.body.payments[0].id;
      const responses = await burst(15, () => t.http.post(`${API}/payments/${paymentId}/void`).set(bearer(billing)).send({ reason: 'Duplicate.' }));
      expect(statusTally(responses)).toEqual({ 200: 1, 409: 14 });
      for (const response of responses.filter((r) => r.status === 409)) expect(response.body.code).toBe('ALREADY_VOID');
      expect(await sql('SELECT status, paid_minor FROM invoices WHERE id = $1', [id])).toEqual([{ status: 'ISSUED', paid_minor: String(FEE - 1_000_000) }]);
    });

    it('a payment racing a void: never both', async () => {
      for (let round = 0; round < 5; round++) {
        const admissionId = await admit();
        const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
        await issue(id).expect(200);
        const [voided, paid] = await Promise.all([voidInvoice(id), pay(id, 1_000_000)]);
        expect([voided.status, paid.status].sort()).toEqual(voided.status === 200 ? [200, 409] : [201, 409]);
        if (voided.status === 200) expect(paid.body.code).toBe('INVOICE_VOID');
        else expect(voided.body.code).toBe('HAS_PAYMENTS');
        const [row] = await sql('SELECT status, paid_minor FROM invoices WHERE id = $1', [id]);
        expect(row).toEqual(voided.status === 200 ? { status: 'VOID', paid_minor: '0' } : { status: 'ISSUED', paid_minor: '1000000' });
      }
    });
  });

  describe('the clinic’s year', () => {
    it('numbers by the year in the clinic’s time zone: just after midnight in Bangkok on 1 January, UTC still in December', async () => {
      const now = t.clock.now();
      let year = now.getUTCFullYear();
      let target = Date.UTC(year, 11, 31, 17, 30); // 00:30 on 1 January in Bangkok (UTC+7)
      if (target <= now.getTime()) target = Date.UTC(++year, 11, 31, 17, 30);
      t.clock.advance(target - now.getTime());
      expect(t.clock.now().getUTCFullYear()).toBe(year);
      expect(today()).toBe(`${year + 1}-01-01`);

      const admissionId = await admit();
      const { id } = (await draft(admissionId, '2027-01-04', '2027-02-02').expect(201)).body;
      const issued = await issue(id).expect(200);
      expect(issued.body.number).toBe(`INV-${year + 1}-000001`);
    });
  });
});
