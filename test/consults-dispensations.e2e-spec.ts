import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient } from './support/intake.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody } from './support/taper-example.js';
import { bearer, createStaff, type Staff, staffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const EXTRA_CONSULT_MINOR = 450_000; // ฿4,500.00
const OXYCODONE_5_MINOR = 3_500; // ฿35.00 a tablet

type Json = Record<string, unknown>;

/** Admitted 2027-01-04: day 30 is 2027-02-02, day 31 is 2027-02-03. */
const DAY = (n: number) => new Date(Date.UTC(2027, 0, 3 + n)).toISOString().slice(0, 10);

describe('psychiatric consults and dispensations', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let billing: Staff;
  let aftercare: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare } = await staffForEveryRole(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const admit = () => admitPatient(t, clerk);

  /**
   * A patient whose orders use every product dispensed below (domain.md §10): the example
   * oxycodone IR taper (60 mg a day, 55 from 2027-01-11), a fentanyl 50 mcg/h patch taper, and
   * paracetamol 1 g three times a day and a lidocaine patch a day in the pain plan.
   */
  async function admitWithOrders(): Promise<{ admissionId: string; patientId: string }> {
    const fentanyl = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', timesPerDay: 1, monthsOnTherapy: 6, prescribed: true };
    const admitted = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, fentanyl] }));
    const taper = async (changes: Json) => {
      const draft = await t.http.post(`${ADMISSIONS}/${admitted.admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder(changes)).expect(201);
      await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
    };
    await taper({});
    await taper({ drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 50, unitStrengths: [12.5, 25, 50], allowHalfTablets: false });
    const medication = (body: Json) => t.http.post(`${ADMISSIONS}/${admitted.admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send(body).expect(201);
    await medication({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' });
    await medication({ drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL', overrideReason: 'Localised scar pain.' });
    return admitted;
  }

  const consult = (admissionId: string, body: Json, as: Staff = psychiatrist) => t.http.post(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).set(bearer(as)).send(body);
  const consults = (admissionId: string, as: Staff = psychiatrist, query = '') => t.http.get(`${ADMISSIONS}/${admissionId}/psychiatric-consults${query}`).set(bearer(as));
  const dispense = (admissionId: string, body: Json, as: Staff = nurse) => t.http.post(`${ADMISSIONS}/${admissionId}/dispensations`).set(bearer(as)).send(body);
  const dispensations = (admissionId: string, as: Staff = nurse, query = '') => t.http.get(`${ADMISSIONS}/${admissionId}/dispensations${query}`).set(bearer(as));
  const charges = async (admissionId: string): Promise<Json[]> => (await t.http.get(`${ADMISSIONS}/${admissionId}/charges`).set(bearer(billing)).expect(200)).body.items;

  let keys = 0;
  /** A dispensation body: oxycodone 5 mg × 56 on day 8 unless overridden, with a fresh key. */
  const oxycodone = (extra: Json = {}): Json => ({ drug: 'oxycodone', strength: 5, unit: 'mg', quantity: 56, dispensedOn: DAY(8), idempotencyKey: `disp-${++keys}`, ...extra });

  /** Rows behind the app's back: what a refused request must leave untouched. */
  async function stored(admissionId: string): Promise<{ consults: number; dispensations: number; charges: number }> {
    const { rows } = await t.admin.query(
      `SELECT (SELECT count(*)::int FROM psych_consults WHERE admission_id = $1) AS consults,
              (SELECT count(*)::int FROM dispensations WHERE admission_id = $1) AS dispensations,
              (SELECT count(*)::int FROM charges WHERE admission_id = $1) AS charges`,
      [admissionId],
    );
    return rows[0];
  }

  /**
   * Marks the admission discharged behind the app's back. Sets discharged_on too where the
   * schema has it (the discharge work adds it with a CHECK tying it to the status).
   */
  async function discharge(admissionId: string, on = DAY(40)): Promise<void> {
    const { rowCount } = await t.admin.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'admissions' AND column_name = 'discharged_on'`);
    await t.admin.query(
      rowCount ? `UPDATE admissions SET status = 'DISCHARGED', discharged_on = $2 WHERE id = $1` : `UPDATE admissions SET status = 'DISCHARGED' WHERE id = $1 AND $2::date IS NOT NULL`,
      [admissionId, on],
    );
  }

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const { rows } = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows;
  }

  describe('psychiatric consults', () => {
    it('records the intake as included, with the whole consult in the answer, audited with the patient id', async () => {
      const { admissionId, patientId } = await admit();
      const response = await consult(admissionId, { date: DAY(1), kind: 'INTAKE', notes: '  Motivated; sleep poor.  ', idempotencyKey: 'intake-1' }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        date: DAY(1),
        kind: 'INTAKE',
        notes: 'Motivated; sleep poor.',
        billable: false,
        chargeId: null,
        chargeAmountMinor: null,
        currency: null,
        idempotencyKey: 'intake-1',
        createdBy: psychiatrist.id,
        createdAt: expect.any(String),
        voided: false,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(await auditOf(response)).toEqual([
        {
          actor_id: psychiatrist.id, action: 'CREATE', resource: 'psych_consult', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS',
          detail: { kind: 'INTAKE', date: DAY(1), billable: false, chargeId: null },
        },
      ]);
      expect(await stored(admissionId)).toEqual({ consults: 1, dispensations: 0, charges: 0 });
    });

    it('includes 4 routine checks in days 1–30, bills the 5th at ฿4,500.00 as EXTRA_PSYCH_CONSULT, and includes a check on day 31 again', async () => {
      const { admissionId, patientId } = await admit();
      await consult(admissionId, { date: DAY(1), kind: 'INTAKE' }).expect(201);
      for (const day of [2, 9, 16, 23]) {
        expect((await consult(admissionId, { date: DAY(day), kind: 'ROUTINE' }).expect(201)).body).toMatchObject({ billable: false, chargeId: null });
      }
      const fifth = await consult(admissionId, { date: DAY(30), kind: 'ROUTINE', notes: 'Extra check: low mood.' }).expect(201);
      expect(fifth.body).toMatchObject({ date: '2027-02-02', kind: 'ROUTINE', billable: true, chargeId: expect.any(String), chargeAmountMinor: EXTRA_CONSULT_MINOR, currency: 'THB' });
      expect(await auditOf(fifth)).toEqual([
        expect.objectContaining({ action: 'CREATE', resource: 'charge', resource_id: fifth.body.chargeId, patient_id: patientId, detail: { itemCode: 'EXTRA_PSYCH_CONSULT', amountMinor: EXTRA_CONSULT_MINOR } }),
        expect.objectContaining({ action: 'CREATE', resource: 'psych_consult', resource_id: fifth.body.id, patient_id: patientId, detail: { kind: 'ROUTINE', date: '2027-02-02', billable: true, chargeId: fifth.body.chargeId } }),
      ]);

      const day31 = await consult(admissionId, { date: DAY(31), kind: 'ROUTINE' }).expect(201);
      expect(day31.body).toMatchObject({ date: '2027-02-03', billable: false, chargeId: null });

      expect(await charges(admissionId)).toEqual([
        expect.objectContaining({
          id: fifth.body.chargeId,
          itemCode: 'EXTRA_PSYCH_CONSULT',
          description: 'Extra psychiatric consultation (routine check beyond the 4 included in days 1–30)',
          quantity: 1,
          unitPriceMinor: EXTRA_CONSULT_MINOR,
          amountMinor: EXTRA_CONSULT_MINOR,
          currency: 'THB',
          serviceDate: '2027-02-02',
          source: 'CONSULT',
          invoiceId: null,
          createdBy: psychiatrist.id,
        }),
      ]);
    });

    it('always bills an ADDITIONAL consult, and bills a second INTAKE', async () => {
      const { admissionId } = await admit();
      const additional = await consult(admissionId, { date: DAY(1), kind: 'ADDITIONAL' }).expect(201);
      expect(additional.body).toMatchObject({ billable: true, chargeAmountMinor: EXTRA_CONSULT_MINOR });
      await consult(admissionId, { date: DAY(2), kind: 'INTAKE' }).expect(201).expect((r) => expect(r.body.billable).toBe(false));
      const secondIntake = await consult(admissionId, { date: DAY(40), kind: 'INTAKE' }).expect(201);
      expect(secondIntake.body).toMatchObject({ billable: true, chargeAmountMinor: EXTRA_CONSULT_MINOR });
      expect((await charges(admissionId)).map((c) => [c.serviceDate, c.description])).toEqual([
        [DAY(1), 'Extra psychiatric consultation (additional consultation, not one of the included checks)'],
        [DAY(40), 'Extra psychiatric consultation (intake assessment beyond the one included)'],
      ]);
    });

    it('judges a check recorded late against its own 30 days', async () => {
      const { admissionId } = await admit();
      for (const day of [31, 32, 33, 34]) await consult(admissionId, { date: DAY(day), kind: 'ROUTINE' }).expect(201);
      expect((await consult(admissionId, { date: DAY(35), kind: 'ROUTINE' }).expect(201)).body.billable).toBe(true);
      expect((await consult(admissionId, { date: DAY(10), kind: 'ROUTINE' }).expect(201)).body.billable).toBe(false);
    });

    it('lets only 4 of 6 routine checks recorded at once into the included quota', async () => {
      // Three stays at once, so that a missing lock shows reliably.
      const admissionIds = await Promise.all([admit(), admit(), admit()]).then((stays) => stays.map((s) => s.admissionId));
      const bursts = await Promise.all(admissionIds.map((id) => Promise.all([3, 5, 7, 11, 13, 17].map((day) => consult(id, { date: DAY(day), kind: 'ROUTINE' })))));
      for (const [i, responses] of bursts.entries()) {
        expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
        expect(responses.filter((r) => r.body.billable === false)).toHaveLength(4);
        expect(responses.filter((r) => r.body.billable === true)).toHaveLength(2);
        const { rows } = await t.admin.query(`SELECT billable, count(*)::int AS n FROM psych_consults WHERE admission_id = $1 GROUP BY billable ORDER BY billable`, [admissionIds[i]]);
        expect(rows).toEqual([{ billable: false, n: 4 }, { billable: true, n: 2 }]);
        expect(await stored(admissionIds[i]!)).toEqual({ consults: 6, dispensations: 0, charges: 2 });
      }
    });

    it('answers a retry with the same key with the first consult (200) and creates nothing; another body under the key is 409', async () => {
      const { admissionId } = await admit();
      const body = { date: DAY(3), kind: 'ADDITIONAL', notes: 'Crisis review.', idempotencyKey: 'crisis-2027-01-06' };
      const first = await consult(admissionId, body).expect(201);
      const retry = await consult(admissionId, { ...body, notes: ' Crisis review. ' }).expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await auditOf(retry)).toEqual([expect.objectContaining({ action: 'READ', resource: 'psych_consult', resource_id: first.body.id, detail: { idempotentReplay: true } })]);
      expect(await stored(admissionId)).toEqual({ consults: 1, dispensations: 0, charges: 1 });

      for (const changed of [{ date: DAY(4) }, { kind: 'ROUTINE' }, { notes: 'Something else.' }, { notes: undefined }]) {
        const reused = await consult(admissionId, { ...body, ...changed }).expect(409);
        expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await auditOf(reused)).toEqual([]);
      }
      // Without a key every request is a new consult (the key is generated).
      const a = await consult(admissionId, { date: DAY(5), kind: 'ROUTINE' }).expect(201);
      const b = await consult(admissionId, { date: DAY(5), kind: 'ROUTINE' }).expect(201);
      expect(a.body.idempotencyKey).not.toBe(b.body.idempotencyKey);
      expect(await stored(admissionId)).toEqual({ consults: 3, dispensations: 0, charges: 1 });
    });

    it('refuses a consult dated before the admission (422 DATE_OUTSIDE_STAY), writing nothing', async () => {
      const { admissionId } = await admit();
      const response = await consult(admissionId, { date: '2027-01-03', kind: 'ADDITIONAL' }).expect(422);
      expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'date', reason: 'must not be before 2027-01-04' }] });
      expect(await auditOf(response)).toEqual([]);
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 0, charges: 0 });
    });

    it('still records consults (and bills them) after discharge: they are often written up later', async () => {
      const { admissionId } = await admit();
      await discharge(admissionId);
      expect((await consult(admissionId, { date: DAY(20), kind: 'ADDITIONAL' }).expect(201)).body.billable).toBe(true);
    });

    it('lists oldest first with their charges, in pages; notes only for psychiatrists; each read audited', async () => {
      const { admissionId, patientId } = await admit();
      const later = await consult(admissionId, { date: DAY(9), kind: 'ADDITIONAL', notes: 'Review.' }).expect(201);
      const first = await consult(admissionId, { date: DAY(1), kind: 'INTAKE', notes: 'Intake.' }).expect(201);
      const sameDay = await consult(admissionId, { date: DAY(9), kind: 'ROUTINE' }).expect(201);

      const list = await consults(admissionId).expect(200);
      expect(list.body).toEqual({ items: [first.body, later.body, sameDay.body], nextCursor: null });
      expect(await auditOf(list)).toEqual([
        { actor_id: psychiatrist.id, action: 'READ', resource: 'psych_consult', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId, count: 3 } },
      ]);

      const forBilling = await consults(admissionId, billing).expect(200);
      expect(forBilling.body.items).toEqual([first.body, later.body, sameDay.body].map((c) => ({ ...c, notes: null })));
      expect(forBilling.body.items[1]).toMatchObject({ billable: true, chargeId: later.body.chargeId, chargeAmountMinor: EXTRA_CONSULT_MINOR, currency: 'THB' });

      const page1 = await consults(admissionId, psychiatrist, '?limit=2').expect(200);
      expect(page1.body.items.map((c: Json) => c.id)).toEqual([first.body.id, later.body.id]);
      const page2 = await consults(admissionId, psychiatrist, `?limit=2&cursor=${page1.body.nextCursor}`).expect(200);
      expect(page2.body).toEqual({ items: [sameDay.body], nextCursor: null });
      expect((await consults(admissionId, psychiatrist, '?cursor=nonsense').expect(400)).body.details).toEqual([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
    });

    it('validates every field (400 with details)', async () => {
      const { admissionId } = await admit();
      const cases: [Json, string][] = [
        [{ kind: 'ROUTINE' }, 'date'],
        [{ date: '2027-02-30', kind: 'ROUTINE' }, 'date'],
        [{ date: '2027-01-10T09:00:00Z', kind: 'ROUTINE' }, 'date'],
        [{ date: DAY(5) }, 'kind'],
        [{ date: DAY(5), kind: 'routine' }, 'kind'],
        [{ date: DAY(5), kind: 'FOLLOW_UP' }, 'kind'],
        [{ date: DAY(5), kind: 'ROUTINE', notes: 'x'.repeat(2001) }, 'notes'],
        [{ date: DAY(5), kind: 'ROUTINE', notes: 42 }, 'notes'],
        [{ date: DAY(5), kind: 'ROUTINE', idempotencyKey: '' }, 'idempotencyKey'],
        [{ date: DAY(5), kind: 'ROUTINE', idempotencyKey: 'has space' }, 'idempotencyKey'],
        [{ date: DAY(5), kind: 'ROUTINE', idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey'],
        [{ date: DAY(5), kind: 'ROUTINE', billable: false }, 'billable'],
      ];
      for (const [body, field] of cases) {
        const response = await consult(admissionId, body);
        expect([response.status, response.body.code, body]).toEqual([400, 'VALIDATION_FAILED', body]);
        expect(response.body.details.map((d: Json) => d.field)).toEqual([field]);
      }
      await consult(admissionId, { date: DAY(5), kind: 'ROUTINE', notes: 'x'.repeat(2000), idempotencyKey: 'k'.repeat(200) }).expect(201);
      expect(await stored(admissionId)).toEqual({ consults: 1, dispensations: 0, charges: 0 });
      expect((await consult(MISSING_ID, { date: DAY(5), kind: 'ROUTINE' }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await consults(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await consult('nope', { date: DAY(5), kind: 'ROUTINE' }).expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });
  });

  describe('dispensations', () => {
    it('charges oxycodone 5 mg × 56 at the formulary price (฿1,960.00) with the dispensation, audited with the patient id', async () => {
      const { admissionId, patientId } = await admitWithOrders();
      const response = await dispense(admissionId, oxycodone({ idempotencyKey: 'ward-b:2027-01-11:1' })).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        drug: 'oxycodone',
        formulation: 'IR',
        strength: 5,
        unit: 'mg',
        quantity: 56,
        dispensedOn: DAY(8),
        chargeId: expect.any(String),
        description: 'Oxycodone 5 mg tablet',
        unitPriceMinor: OXYCODONE_5_MINOR,
        amountMinor: 196_000,
        currency: 'THB',
        idempotencyKey: 'ward-b:2027-01-11:1',
        overrideReason: null,
        warnings: [],
        dispensedBy: nurse.id,
        createdAt: expect.any(String),
        voided: false,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      expect(await auditOf(response)).toEqual([
        { actor_id: nurse.id, action: 'CREATE', resource: 'charge', resource_id: response.body.chargeId, patient_id: patientId, outcome: 'SUCCESS', detail: { itemCode: 'MEDICATION', amountMinor: 196_000 } },
        { actor_id: nurse.id, action: 'CREATE', resource: 'dispensation', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { dispensedOn: DAY(8), chargeId: response.body.chargeId } },
      ]);
      expect(await charges(admissionId)).toEqual([
        expect.objectContaining({
          id: response.body.chargeId, itemCode: 'MEDICATION', product: 'oxycodone:5:mg', description: 'Oxycodone 5 mg tablet', quantity: 56,
          unitPriceMinor: OXYCODONE_5_MINOR, amountMinor: 196_000, serviceDate: DAY(8), source: 'DISPENSATION', invoiceId: null, createdBy: nurse.id,
        }),
      ]);
      const row = await t.admin.query('SELECT drug, formulation, strength, unit, quantity, dispensed_on::text, charge_id, dispensed_by FROM dispensations WHERE id = $1', [response.body.id]);
      expect(row.rows[0]).toEqual({ drug: 'oxycodone', formulation: 'IR', strength: '5.000', unit: 'mg', quantity: '56.000', dispensed_on: DAY(8), charge_id: response.body.chargeId, dispensed_by: nurse.id });
    });

    it('prices patches and half tablets: lidocaine 5 % patch, fentanyl 25 mcg/h, half a tablet; reads drug codes trimmed in any case', async () => {
      const { admissionId } = await admitWithOrders();
      const lidocaine = await dispense(admissionId, oxycodone({ drug: ' Lidocaine ', strength: 5, unit: '%', quantity: 2 })).expect(201);
      expect(lidocaine.body).toMatchObject({ drug: 'lidocaine', strength: 5, unit: '%', description: 'Lidocaine 5 % patch', unitPriceMinor: 12_000, amountMinor: 24_000 });
      const fentanyl = await dispense(admissionId, oxycodone({ drug: 'FENTANYL', strength: 25, unit: 'mcg/h', quantity: 1 })).expect(201);
      expect(fentanyl.body).toMatchObject({ drug: 'fentanyl', formulation: 'TRANSDERMAL', description: 'Fentanyl 25 mcg/h patch', unitPriceMinor: 55_000, amountMinor: 55_000 });
      expect(lidocaine.body.formulation).toBeNull();
      // The oxycodone order allows half tablets.
      const half = await dispense(admissionId, oxycodone({ quantity: 0.5 })).expect(201);
      expect(half.body).toMatchObject({ quantity: 0.5, amountMinor: 1_750 });
      const paracetamol = await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, quantity: 3 })).expect(201);
      expect(paracetamol.body).toMatchObject({ formulation: null, quantity: 3, unitPriceMinor: 200, amountMinor: 600 });
      expect((await charges(admissionId)).map((c) => c.product)).toEqual(expect.arrayContaining(['lidocaine:5:%', 'fentanyl:25:mcg/h', 'oxycodone:5:mg', 'paracetamol:500:mg']));
    });

    it('dispenses the fentanyl patch labelled 12 as 12.5 mcg/h (what a taper lists), at the price of the 12; the old "12" entry is not a strength the taper uses', async () => {
      const { admissionId } = await admitWithOrders();
      const listed = await dispense(admissionId, oxycodone({ drug: 'fentanyl', strength: 12.5, unit: 'mcg/h', quantity: 1, idempotencyKey: 'patch-12.5' })).expect(201);
      expect(listed.body).toMatchObject({ strength: 12.5, description: 'Fentanyl 12.5 mcg/h patch (labelled "12")', unitPriceMinor: 35_000, amountMinor: 35_000 });
      const legacy = await dispense(admissionId, oxycodone({ drug: 'fentanyl', strength: 12, unit: 'mcg/h', quantity: 1, idempotencyKey: 'patch-12' })).expect(422);
      expect(legacy.body).toMatchObject({ code: 'STRENGTH_NOT_ORDERED', details: [{ field: 'strength' }] });
    });

    it('answers a retry with the same key with the first dispensation (200) and no new charge; another body under the key is 409', async () => {
      const { admissionId } = await admitWithOrders();
      const body = oxycodone();
      const first = await dispense(admissionId, body).expect(201);
      const retry = await dispense(admissionId, { ...body, drug: ' OXYCODONE' }).expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await auditOf(retry)).toEqual([expect.objectContaining({ action: 'READ', resource: 'dispensation', resource_id: first.body.id, detail: { idempotentReplay: true } })]);
      for (const changed of [{ quantity: 28 }, { strength: 10 }, { dispensedOn: DAY(9) }, { drug: 'morphine', strength: 10 }]) {
        const reused = await dispense(admissionId, { ...body, ...changed }).expect(409);
        expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await auditOf(reused)).toEqual([]);
      }
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 1, charges: 1 });
    });

    it('makes one dispensation and one charge from 50 retries arriving at once', async () => {
      const { admissionId } = await admitWithOrders();
      const body = oxycodone();
      const responses = await Promise.all(Array.from({ length: 50 }, () => dispense(admissionId, body)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(49).fill(200), 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(new Set(responses.map((r) => r.body.chargeId)).size).toBe(1);
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 1, charges: 1 });
    });

    it('reconciles with the orders: seven days of the taper (7 × 55 mg = 77 tablets of 5 mg) pass, one tablet more → 422 ABOVE_ORDER_SUPPLY unless a reason, kept with the dispensation', async () => {
      const { admissionId } = await admitWithOrders();
      const over = await dispense(admissionId, oxycodone({ quantity: 78 })).expect(422);
      expect(over.body).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY', details: [{ field: 'quantity' }] });
      expect(over.body.message).toBe('78 × 5 mg is 390 mg, more than the 385 mg the orders need over 7 days from 2027-01-11 (oxycodone IR taper). Dispense less, or give an override reason.');
      expect(await auditOf(over)).toEqual([]);
      expect((await dispense(admissionId, oxycodone({ drug: 'oxycodone', strength: 10, quantity: 100 })).expect(422)).body.code).toBe('ABOVE_ORDER_SUPPLY');
      await dispense(admissionId, oxycodone({ quantity: 77 })).expect(201);
      // The week is on hand (no dose recorded as given yet): the next day's week on top of it is refused too.
      const again = await dispense(admissionId, oxycodone({ quantity: 77, dispensedOn: DAY(9) })).expect(422);
      expect(again.body.message).toBe('77 × 5 mg is 385 mg; with the 385 mg already on hand that makes 770 mg, more than the 380 mg the orders need over 7 days from 2027-01-12 (oxycodone IR taper). Dispense less, or give an override reason.');
      const allowed = await dispense(admissionId, oxycodone({ quantity: 1, overrideReason: 'Weekend leave with the family' })).expect(201);
      expect(allowed.body).toMatchObject({ overrideReason: 'Weekend leave with the family', warnings: [{ code: 'ABOVE_ORDER_SUPPLY', message: expect.stringMatching(/^1 × 5 mg is 5 mg; with the 385 mg already on hand that makes 390 mg, more than the 385 mg .* Allowed with the recorded reason\.$/) }] });
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 2, charges: 2 });
      // The database holds the rule too: a warning kept without its reason is refused.
      await expect(t.admin.query(`UPDATE dispensations SET override_reason = NULL WHERE id = $1`, [allowed.body.id])).rejects.toThrow(/dispensations_override_check/);
    });

    it('dispenses only for an order in force (422 NO_ACTIVE_ORDER naming drug): no morphine order; paracetamol after its order is discontinued; as-needed clonidine up to 7 × its daily most', async () => {
      const { admissionId } = await admitWithOrders();
      const morphine = await dispense(admissionId, oxycodone({ drug: 'morphine', strength: 10, quantity: 1 })).expect(422);
      expect(morphine.body).toMatchObject({ code: 'NO_ACTIVE_ORDER', details: [{ field: 'drug' }] });
      const plan = (await t.http.get(`${ADMISSIONS}/${admissionId}/pain-plan`).set(bearer(psychiatrist)).expect(200)).body as { medications: { id: string; drug: string }[] };
      const paracetamol = plan.medications.find((m) => m.drug === 'paracetamol')!;
      await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, quantity: 42 })).expect(201); // 7 × 3 g = 42 × 500 mg
      const shift = new Date('2027-01-20T10:00:00+07:00').getTime() - t.clock.now().getTime();
      t.clock.advance(shift);
      try {
      await t.http.post(`${API}/pain-plan/medications/${paracetamol.id}/discontinue`).set(bearer(psychiatrist)).send({ reason: 'Pain settled.' }).expect(200);
      // Discontinued today (the clinic's clock on 2027-01-20): from today on no order of paracetamol is in force.
      const today = t.clock.today(t.config.clinicTimeZone);
      expect(today).toBe('2027-01-20');
      expect((await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, quantity: 1, dispensedOn: today })).expect(422)).body.code).toBe('NO_ACTIVE_ORDER');
      await t.http.post(`${ADMISSIONS}/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4, indication: 'Sweating and restlessness', cowsThreshold: 8 }).expect(201);
      await dispense(admissionId, oxycodone({ drug: 'clonidine', strength: 0.1, quantity: 28, dispensedOn: today })).expect(201);
      expect((await dispense(admissionId, oxycodone({ drug: 'clonidine', strength: 0.1, quantity: 29, dispensedOn: today })).expect(422)).body.code).toBe('ABOVE_ORDER_SUPPLY');
      } finally {
        t.clock.advance(-shift);
      }
    });

    it('a fentanyl patch is worn three days: a week of the 50 mcg/h taper is three patch changes, not seven patches', async () => {
      const { admissionId } = await admitWithOrders();
      const patches = (quantity: number) => oxycodone({ drug: 'fentanyl', strength: 50, unit: 'mcg/h', quantity });
      expect((await dispense(admissionId, patches(7)).expect(422)).body.code).toBe('ABOVE_ORDER_SUPPLY');
      expect((await dispense(admissionId, patches(4)).expect(422)).body.code).toBe('ABOVE_ORDER_SUPPLY');
      await dispense(admissionId, patches(2)).expect(201);
    });

    it('answers a dispensation dated on the calendar’s last days (never a 500): the week has only the days left', async () => {
      const { admissionId } = await admitWithOrders();
      // The taper ended long before: no order of oxycodone is in force then.
      expect((await dispense(admissionId, oxycodone({ dispensedOn: '9999-12-30', quantity: 1 })).expect(422)).body.code).toBe('NO_ACTIVE_ORDER');
      // Paracetamol 3 g a day: two days left in the calendar, 12 tablets of 500 mg, not 13.
      expect((await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, dispensedOn: '9999-12-30', quantity: 13 })).expect(422)).body.code).toBe('ABOVE_ORDER_SUPPLY');
      await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, dispensedOn: '9999-12-30', quantity: 12 })).expect(201);
    });

    it('refuses a product not in the formulary (422 NOT_IN_FORMULARY), writing nothing', async () => {
      const { admissionId } = await admitWithOrders();
      for (const product of [{ strength: 7 }, { drug: 'heroin' }, { unit: 'mcg/h' }, { drug: 'lidocaine', strength: 4, unit: '%' }]) {
        const response = await dispense(admissionId, oxycodone(product)).expect(422);
        expect(response.body.code).toBe('NOT_IN_FORMULARY');
        expect(await auditOf(response)).toEqual([]);
      }
      expect((await dispense(admissionId, oxycodone({ strength: 7 }))).body.message).toBe('oxycodone 7 mg is not in the formulary.');
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 0, charges: 0 });
    });

    it('refuses a dispensation dated before the admission (422 DATE_OUTSIDE_STAY)', async () => {
      const { admissionId } = await admitWithOrders();
      const response = await dispense(admissionId, oxycodone({ dispensedOn: '2027-01-03' })).expect(422);
      expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'dispensedOn', reason: 'must not be before 2027-01-04' }] });
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 0, charges: 0 });
    });

    it('refuses dispensing after discharge (409 ADMISSION_NOT_ACTIVE), writing nothing, but still answers a retry of an earlier one', async () => {
      const { admissionId } = await admitWithOrders();
      const earlier = oxycodone();
      const first = await dispense(admissionId, earlier).expect(201);
      await discharge(admissionId);
      const refused = await dispense(admissionId, oxycodone()).expect(409);
      expect(refused.body.code).toBe('ADMISSION_NOT_ACTIVE');
      expect(await auditOf(refused)).toEqual([]);
      expect((await dispense(admissionId, earlier).expect(200)).body).toEqual(first.body);
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 1, charges: 1 });
      expect((await dispensations(admissionId).expect(200)).body.items).toEqual([first.body]);
    });

    it('validates every field (400 with details)', async () => {
      const { admissionId } = await admitWithOrders();
      const cases: [Json, string][] = [
        [oxycodone({ drug: undefined }), 'drug'],
        [oxycodone({ drug: '   ' }), 'drug'],
        [oxycodone({ drug: 'oxy:5' }), 'drug'],
        [oxycodone({ drug: 5 }), 'drug'],
        [oxycodone({ strength: 0 }), 'strength'],
        [oxycodone({ strength: -5 }), 'strength'],
        [oxycodone({ strength: 5.0001 }), 'strength'],
        [oxycodone({ strength: '5' }), 'strength'],
        [oxycodone({ unit: 'g' }), 'unit'],
        [oxycodone({ unit: 'patch' }), 'unit'],
        [oxycodone({ quantity: 0 }), 'quantity'],
        [oxycodone({ quantity: -1 }), 'quantity'],
        [oxycodone({ quantity: 1.0005 }), 'quantity'],
        [oxycodone({ quantity: null }), 'quantity'],
        [oxycodone({ dispensedOn: '2027-13-01' }), 'dispensedOn'],
        [oxycodone({ dispensedOn: '11/01/2027' }), 'dispensedOn'],
        [oxycodone({ idempotencyKey: undefined }), 'idempotencyKey'],
        [oxycodone({ idempotencyKey: 'two words' }), 'idempotencyKey'],
        [oxycodone({ idempotencyKey: 'k'.repeat(201) }), 'idempotencyKey'],
        [oxycodone({ idempotencyKey: 'tab\there' }), 'idempotencyKey'],
        [oxycodone({ unitPriceMinor: 1 }), 'unitPriceMinor'],
      ];
      for (const [body, field] of cases) {
        const response = await dispense(admissionId, body);
        expect([response.status, response.body.code, body]).toEqual([400, 'VALIDATION_FAILED', body]);
        expect(response.body.details.map((d: Json) => d.field)).toEqual([field]);
      }
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 0, charges: 0 });
      expect((await dispense(MISSING_ID, oxycodone()).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await dispensations(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
    });

    it('lists newest first with the charge of each, in pages; each read audited', async () => {
      const { admissionId, patientId } = await admitWithOrders();
      const older = await dispense(admissionId, oxycodone({ dispensedOn: DAY(2) })).expect(201);
      const newest = await dispense(admissionId, oxycodone({ dispensedOn: DAY(9), quantity: 4 })).expect(201);
      const sameDayLater = await dispense(admissionId, oxycodone({ dispensedOn: DAY(2), quantity: 2 })).expect(201);

      for (const who of [nurse, psychiatrist, billing]) {
        const list = await dispensations(admissionId, who).expect(200);
        expect(list.body).toEqual({ items: [newest.body, sameDayLater.body, older.body], nextCursor: null });
        expect(await auditOf(list)).toEqual([
          { actor_id: who.id, action: 'READ', resource: 'dispensation', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId, count: 3 } },
        ]);
      }
      const page1 = await dispensations(admissionId, nurse, '?limit=2').expect(200);
      expect(page1.body.items).toEqual([newest.body, sameDayLater.body]);
      const page2 = await dispensations(admissionId, nurse, `?limit=2&cursor=${page1.body.nextCursor}`).expect(200);
      expect(page2.body).toEqual({ items: [older.body], nextCursor: null });
    });
  });

  describe('on invoices', () => {
    it('the consult and medication charges land on the invoice draft of their period as CHARGE lines', async () => {
      const { admissionId } = await admitWithOrders();
      const extra = await consult(admissionId, { date: DAY(6), kind: 'ADDITIONAL' }).expect(201);
      const dispensed = await dispense(admissionId, oxycodone({ dispensedOn: DAY(5) })).expect(201);
      const later = await dispense(admissionId, oxycodone({ drug: 'paracetamol', strength: 500, dispensedOn: DAY(31), quantity: 1 })).expect(201);
      const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: DAY(1), periodEnd: DAY(30) }).expect(201);
      const lines = draft.body.lines.filter((l: Json) => l.kind === 'CHARGE');
      expect(lines).toEqual([
        expect.objectContaining({ kind: 'CHARGE', chargeId: dispensed.body.chargeId, description: 'Oxycodone 5 mg tablet', quantity: 56, amountMinor: 196_000 }),
        expect.objectContaining({ kind: 'CHARGE', chargeId: extra.body.chargeId, description: 'Extra psychiatric consultation (additional consultation, not one of the included checks)', quantity: 1, amountMinor: EXTRA_CONSULT_MINOR }),
      ]);
      expect(draft.body.totalMinor).toBe(28_000_000 + 196_000 + EXTRA_CONSULT_MINOR);
      const uninvoiced = (await t.http.get(`${ADMISSIONS}/${admissionId}/charges?uninvoiced=true`).set(bearer(billing)).expect(200)).body.items;
      expect(uninvoiced.map((c: Json) => c.id)).toEqual([later.body.chargeId]);
    });
  });

  describe('voiding their charges', () => {
    it('a charge made by a dispensation (409 CHARGED_BY_DISPENSATION) or a consult (409 CHARGED_BY_PSYCH_CONSULT) is not voided on its own', async () => {
      const { admissionId } = await admitWithOrders();
      const extra = await consult(admissionId, { date: DAY(6), kind: 'ADDITIONAL' }).expect(201);
      const dispensed = await dispense(admissionId, oxycodone({ dispensedOn: DAY(5) })).expect(201);
      const before = await stored(admissionId);
      const voidCharge = (id: unknown) => t.http.post(`${API}/charges/${String(id)}/void`).set(bearer(billing)).send({ reason: 'Trying.' });
      const byDispensation = await voidCharge(dispensed.body.chargeId).expect(409);
      expect(byDispensation.body).toMatchObject({ code: 'CHARGED_BY_DISPENSATION', message: expect.stringContaining('corrected through the dispensation') });
      const byConsult = await voidCharge(extra.body.chargeId).expect(409);
      expect(byConsult.body).toMatchObject({ code: 'CHARGED_BY_PSYCH_CONSULT', message: expect.stringContaining('corrected through the consult') });
      expect(await stored(admissionId)).toEqual(before);
      expect((await charges(admissionId)).every((c) => c.voidedAt === null)).toBe(true);
    });
  });

  describe('roles', () => {
    it('psychiatrists record consults, nurses dispense; others are refused (403, audited as denied, nothing written); no token is 401', async () => {
      const { admissionId } = await admit();
      for (const who of [nurse, billing, clerk, aftercare, admin]) {
        const denied = await consult(admissionId, { date: DAY(2), kind: 'ADDITIONAL' }, who).expect(403);
        expect(denied.body.code).toBe('FORBIDDEN');
        expect(await auditOf(denied)).toEqual([expect.objectContaining({ actor_id: who.id, action: 'CREATE', outcome: 'DENIED', resource_id: admissionId })]);
      }
      for (const who of [psychiatrist, billing, clerk, aftercare, admin]) {
        const denied = await dispense(admissionId, oxycodone(), who).expect(403);
        expect(await auditOf(denied)).toEqual([expect.objectContaining({ actor_id: who.id, action: 'CREATE', outcome: 'DENIED', resource_id: admissionId })]);
      }
      for (const who of [psychiatrist, billing]) await consults(admissionId, who).expect(200);
      for (const who of [nurse, clerk, aftercare, admin]) await consults(admissionId, who).expect(403);
      for (const who of [nurse, psychiatrist, billing]) await dispensations(admissionId, who).expect(200);
      for (const who of [clerk, aftercare, admin]) await dispensations(admissionId, who).expect(403);

      await t.http.post(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).send({ date: DAY(2), kind: 'ADDITIONAL' }).expect(401);
      await t.http.get(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).expect(401);
      await t.http.post(`${ADMISSIONS}/${admissionId}/dispensations`).send(oxycodone()).expect(401);
      await t.http.get(`${ADMISSIONS}/${admissionId}/dispensations`).expect(401);
      expect(await stored(admissionId)).toEqual({ consults: 0, dispensations: 0, charges: 0 });
    });
  });

  // Last: the new price stays in this file's database for every later dispensation.
  describe('a formulary price change', () => {
    it('applies to dispensations on and after its date only; earlier charges keep their price', async () => {
      const { admissionId } = await admitWithOrders();
      const before = await dispense(admissionId, oxycodone({ dispensedOn: '2027-01-31', quantity: 2 })).expect(201);
      await t.http
        .post(`${API}/billing/prices`)
        .set(bearer(billing))
        .send({ itemCode: 'MEDICATION', product: 'oxycodone:5:mg', unitPriceMinor: 4_000, validFrom: '2027-02-01' })
        .expect(201);
      const eve = await dispense(admissionId, oxycodone({ dispensedOn: '2027-01-31', quantity: 2 })).expect(201);
      const onTheDay = await dispense(admissionId, oxycodone({ dispensedOn: '2027-02-01', quantity: 2 })).expect(201);
      const after = await dispense(admissionId, oxycodone({ dispensedOn: '2027-03-15', quantity: 2 })).expect(201);
      expect([before, eve, onTheDay, after].map((r) => [r.body.unitPriceMinor, r.body.amountMinor])).toEqual([
        [3_500, 7_000],
        [3_500, 7_000],
        [4_000, 8_000],
        [4_000, 8_000],
      ]);
      expect(onTheDay.body.description).toBe('Oxycodone 5 mg tablet');
      const stillFirst = (await charges(admissionId)).find((c) => c.id === before.body.chargeId);
      expect(stillFirst).toMatchObject({ unitPriceMinor: 3_500, amountMinor: 7_000 });
    });
  });
});

describe('psychiatric consult quota from the setting', () => {
  let t: TestApp;
  let psychiatrist: Staff;
  let clerk: Staff;
  beforeAll(async () => {
    t = await startTestApp({ env: { PSYCH_ROUTINE_CHECKS_PER_30_DAYS: '2' } });
    [clerk, psychiatrist] = await Promise.all((['admissions', 'psychiatrist'] as const).map((role) => createStaff(t, [role])));
  });
  afterAll(async () => {
    await t.close();
  });

  it('includes PSYCH_ROUTINE_CHECKS_PER_30_DAYS routine checks per 30 days and bills the next', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    const billable: boolean[] = [];
    for (const day of [2, 3, 4, 31]) {
      const response = await t.http.post(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send({ date: DAY(day), kind: 'ROUTINE' }).expect(201);
      billable.push(response.body.billable);
    }
    expect(billable).toEqual([false, false, true, false]);
  });
});
