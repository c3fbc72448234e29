import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { addDays } from '../src/clinical/calendar-dates.js';
import { admitPatient, assessmentBody } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { bearer, type Staff, staffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { readingBytes } from './support/responses.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const INVOICES = `${API}/invoices`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** The seeded prices (migration 1795813118817-billing), in satang. */
const FEE = 28_000_000;
const CONSULT = 450_000;
const TRANSPORT = 250_000;
const SPA = 180_000;

/** api.md §Billing: the codes clients rely on. */
const BILLABLE = ['MEDICATION', 'EXTRA_PSYCH_CONSULT', 'HOSPITAL_VISIT', 'HOSPITAL_TRANSPORT', 'FLIGHT', 'VISA_FEE', 'PERSONAL_ITEMS', 'SPA_MASSAGE'];
const INCLUDED = ['ACCOMMODATION', 'MEALS', 'HOUSEKEEPING', 'GROUP_THERAPY', 'INDIVIDUAL_THERAPY', 'PSYCH_INTAKE', 'PSYCH_ROUTINE_CHECK', 'YOGA', 'FITNESS', 'POOL', 'EXCURSION', 'AFTERCARE'];

type Json = Record<string, unknown>;
type Line = { kind: string; description: string; serviceDate: string | null; quantity: number; unitPriceMinor: number | null; amountMinor: number; chargeId?: string };

/** 28000000 → "THB 280,000.00", written out here independently of the PDF code. */
const thb = (minor: number) => `THB ${Math.floor(minor / 100).toLocaleString('en-US')}.${String(minor % 100).padStart(2, '0')}`;


describe('billing', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let billing: Staff;
  let aftercare: Staff;
  /** Name of every INCLUDED catalogue item, in catalogue order. */
  let includedNames: string[];

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare } = await staffForEveryRole(t));
    const catalogue = await t.http.get(`${API}/billing/catalog`).set(bearer(billing)).expect(200);
    includedNames = (catalogue.body as Json[]).filter((item) => item.coverage === 'INCLUDED').map((item) => item.name as string);
  });
  afterAll(async () => {
    await t.close();
  });

  const today = () => t.clock.today(t.config.clinicTimeZone);
  const admit = (patient: Json = {}) => admitPatient(t, clerk, assessmentBody({ patient }));

  const chargeBody = (itemCode: string, extra: Json = {}): Json => ({ itemCode, quantity: 1, serviceDate: '2027-01-10', idempotencyKey: `charge-${randomUUID()}`, ...extra });
  const charge = (admissionId: string, body: Json, as: Staff = billing) => t.http.post(`${ADMISSIONS}/${admissionId}/charges`).set(bearer(as)).send(body);
  const charges = (admissionId: string, query = '', as: Staff = billing) => t.http.get(`${ADMISSIONS}/${admissionId}/charges${query}`).set(bearer(as));
  const draft = (admissionId: string, periodStart: string, periodEnd: string, as: Staff = billing) =>
    t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(as)).send({ periodStart, periodEnd });
  const invoicesOf = (admissionId: string, as: Staff = billing) => t.http.get(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(as));
  const invoice = (id: string, as: Staff = billing) => t.http.get(`${INVOICES}/${id}`).set(bearer(as));
  /** The invoice as a PDF, its body collected as a Buffer. */
  const pdf = (id: string, as: Staff = billing) =>
    readingBytes(t.http.get(`${INVOICES}/${id}`).set(bearer(as)).set('accept', 'application/pdf'));
  const issue = (id: string, as: Staff = billing) => t.http.post(`${INVOICES}/${id}/issue`).set(bearer(as));
  const pay = (id: string, amountMinor: number, extra: Json = {}, as: Staff = billing) =>
    t.http.post(`${INVOICES}/${id}/payments`).set(bearer(as)).send({ amountMinor, method: 'TRANSFER', receivedOn: today(), ...extra });
  const voidInvoice = (id: string, reason: unknown = 'Wrong period; redrafted.', as: Staff = billing) => t.http.post(`${INVOICES}/${id}/void`).set(bearer(as)).send({ reason });
  const setPrice = (body: Json, as: Staff = billing) => t.http.post(`${API}/billing/prices`).set(bearer(as)).send(body);

  /** A charge recorded through the API (201), its response body. */
  async function charged(admissionId: string, itemCode: string, extra: Json = {}): Promise<Json & { id: string; amountMinor: number }> {
    return (await charge(admissionId, chargeBody(itemCode, extra)).expect(201)).body;
  }

  /** A draft made through the API (201), its response body. */
  async function drafted(admissionId: string, periodStart = '2027-01-04', periodEnd = '2027-02-02'): Promise<Json & { id: string; totalMinor: number; lines: Line[] }> {
    return (await draft(admissionId, periodStart, periodEnd).expect(201)).body;
  }

  /** An issued invoice for a fresh admission: 30 days of fee (and a spa session when asked). */
  async function issuedInvoice(withSpa = false): Promise<{ admissionId: string; patientId: string; id: string; totalMinor: number; number: string }> {
    const { admissionId, patientId } = await admit();
    if (withSpa) await charged(admissionId, 'SPA_MASSAGE');
    const { id } = await drafted(admissionId);
    const issued = await issue(id).expect(200);
    return { admissionId, patientId, id, totalMinor: issued.body.totalMinor, number: issued.body.number };
  }

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  /** Every billing table, row by row: whether anything at all changed. */
  async function billingState(): Promise<Json> {
    const tables = ['charges', 'invoices', 'invoice_lines', 'invoiced_days', 'payments', 'prices', 'invoice_counters'];
    const parts = tables.map((table) => `(SELECT count(*)::int || ':' || coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM ${table} r) AS ${table}`);
    return (await t.admin.query(`SELECT ${parts.join(', ')}`)).rows[0];
  }

  /** A refusal that changed nothing in billing and wrote no audit row. */
  async function expectRefused(response: Response, status: number, code: string, before: Json): Promise<void> {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { statusCode: status, code } });
    expect(await auditOf(response)).toEqual([]);
    expect(await billingState()).toEqual(before);
  }

  const chargeRows = async (admissionId: string): Promise<Json[]> =>
    (await t.admin.query('SELECT id, item_code, quantity, unit_price_minor, amount_minor, service_date::text, source, created_by FROM charges WHERE admission_id = $1 ORDER BY service_date, created_at', [admissionId])).rows;

  // -------------------------------------------------------------------------------------------

  describe('catalogue', () => {
    it('lists every code of api.md with its coverage, today’s FIXED and FEE prices, and THB', async () => {
      const response = await t.http.get(`${API}/billing/catalog`).set(bearer(billing)).expect(200);
      const items = response.body as Json[];
      const byCode = new Map(items.map((item) => [item.code as string, item]));
      for (const code of BILLABLE) expect(byCode.get(code)).toMatchObject({ code, coverage: 'BILLABLE', currency: 'THB' });
      for (const code of INCLUDED) expect(byCode.get(code)).toMatchObject({ code, coverage: 'INCLUDED', pricing: 'INCLUDED', unitPriceMinor: null, currency: 'THB' });
      expect(byCode.get('RESIDENTIAL_FEE')).toMatchObject({ coverage: 'BILLABLE', pricing: 'FEE', unitPriceMinor: FEE });
      expect(byCode.get('EXTRA_PSYCH_CONSULT')).toMatchObject({ pricing: 'FIXED', unitPriceMinor: CONSULT });
      expect(byCode.get('HOSPITAL_TRANSPORT')).toMatchObject({ pricing: 'FIXED', unitPriceMinor: TRANSPORT });
      expect(byCode.get('SPA_MASSAGE')).toMatchObject({ pricing: 'FIXED', unitPriceMinor: SPA });
      for (const code of ['HOSPITAL_VISIT', 'FLIGHT', 'VISA_FEE', 'PERSONAL_ITEMS']) expect(byCode.get(code)).toMatchObject({ pricing: 'VARIABLE', unitPriceMinor: null });
      expect(byCode.get('MEDICATION')).toMatchObject({ pricing: 'FORMULARY', unitPriceMinor: null });
      for (const item of items) {
        expect(item).toEqual({ code: expect.any(String), name: expect.any(String), coverage: expect.any(String), pricing: expect.any(String), unitPriceMinor: item.unitPriceMinor === null ? null : expect.any(Number), currency: 'THB' });
      }
      expect(includedNames).toHaveLength(items.filter((item) => item.coverage === 'INCLUDED').length);
    });

    it('is readable by every signed-in role, and by no one without a token', async () => {
      for (const staff of [admin, clerk, psychiatrist, nurse, billing, aftercare]) {
        await t.http.get(`${API}/billing/catalog`).set(bearer(staff)).expect(200);
      }
      const anonymous = await t.http.get(`${API}/billing/catalog`).expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    });
  });

  describe('prices', () => {
    it('lists the prices in force on a day, the formulary included, for billing and admin only', async () => {
      for (const staff of [billing, admin]) {
        const response = await t.http.get(`${API}/billing/prices?date=2027-01-10`).set(bearer(staff)).expect(200);
        expect(response.body.date).toBe('2027-01-10');
        const items = response.body.items as Json[];
        expect(items).toContainEqual({ itemCode: 'RESIDENTIAL_FEE', product: null, label: expect.any(String), unitPriceMinor: FEE, currency: 'THB', validFrom: '2020-01-01' });
        expect(items).toContainEqual({ itemCode: 'SPA_MASSAGE', product: null, label: expect.any(String), unitPriceMinor: SPA, currency: 'THB', validFrom: '2020-01-01' });
        expect(items).toContainEqual({ itemCode: 'MEDICATION', product: 'oxycodone:5:mg', label: 'Oxycodone 5 mg tablet', unitPriceMinor: 3500, currency: 'THB', validFrom: '2020-01-01' });
        expect(items.filter((item) => item.itemCode === 'MEDICATION').length).toBeGreaterThan(20);
      }
      const byDefault = await t.http.get(`${API}/billing/prices`).set(bearer(billing)).expect(200);
      expect(byDefault.body.date).toBe(today());
      const beforeAnyPrice = await t.http.get(`${API}/billing/prices?date=2019-12-31`).set(bearer(billing)).expect(200);
      expect(beforeAnyPrice.body).toEqual({ date: '2019-12-31', items: [] });
      const bad = await t.http.get(`${API}/billing/prices?date=2027-02-30`).set(bearer(billing)).expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'date', reason: expect.any(String) }] });
      for (const staff of [clerk, psychiatrist, nurse, aftercare]) await t.http.get(`${API}/billing/prices`).set(bearer(staff)).expect(403);
      await t.http.get(`${API}/billing/prices`).expect(401);
    });

    it('a new price applies to charges dated on or after its date only; earlier charges keep theirs', async () => {
      const { admissionId } = await admit();
      const before = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-05-31' });

      const response = await setPrice({ itemCode: 'HOSPITAL_TRANSPORT', unitPriceMinor: 300_000, validFrom: '2027-06-01' }).expect(201);
      expect(response.body).toEqual({ itemCode: 'HOSPITAL_TRANSPORT', product: null, label: 'Hospital transport, per trip', unitPriceMinor: 300_000, currency: 'THB', validFrom: '2027-06-01' });
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'CREATE', resource: 'price', resource_id: expect.any(String), patient_id: null, outcome: 'SUCCESS', detail: { itemCode: 'HOSPITAL_TRANSPORT', product: '', validFrom: '2027-06-01' } },
      ]);

      const dayBefore = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-05-31' });
      const onTheDay = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-06-01' });
      const after = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-07-15', quantity: 2 });
      expect([before, dayBefore, onTheDay, after].map((c) => [c.unitPriceMinor, c.amountMinor])).toEqual([
        [TRANSPORT, TRANSPORT],
        [TRANSPORT, TRANSPORT],
        [300_000, 300_000],
        [300_000, 600_000],
      ]);
      // The charge made before the change is untouched in the database.
      expect((await chargeRows(admissionId))[0]).toMatchObject({ id: before.id, unit_price_minor: String(TRANSPORT) });
      // Today's catalogue still shows today's price; the price list on the day shows the new one.
      const catalogue = await t.http.get(`${API}/billing/catalog`).set(bearer(nurse)).expect(200);
      expect((catalogue.body as Json[]).find((item) => item.code === 'HOSPITAL_TRANSPORT')).toMatchObject({ unitPriceMinor: TRANSPORT });
      const onDay = await t.http.get(`${API}/billing/prices?date=2027-06-01`).set(bearer(billing)).expect(200);
      expect((onDay.body.items as Json[]).find((item) => item.itemCode === 'HOSPITAL_TRANSPORT')).toMatchObject({ unitPriceMinor: 300_000, validFrom: '2027-06-01' });
    });

    it('prices a formulary product with a label, and refuses what cannot be priced', async () => {
      const formulary = await setPrice({ itemCode: 'MEDICATION', product: 'paracetamol:500:mg', unitPriceMinor: 250, validFrom: '2028-01-01' }).expect(201);
      expect(formulary.body).toMatchObject({ product: 'paracetamol:500:mg', label: 'Paracetamol 500 mg tablet', unitPriceMinor: 250 });

      const before = await billingState();
      await expectRefused(await setPrice({ itemCode: 'FLIGHT', unitPriceMinor: 100, validFrom: '2028-01-01' }), 422, 'ITEM_NOT_PRICED', before);
      await expectRefused(await setPrice({ itemCode: 'YOGA', unitPriceMinor: 100, validFrom: '2028-01-01' }), 422, 'ITEM_NOT_PRICED', before);
      await expectRefused(await setPrice({ itemCode: 'MEDICATION', unitPriceMinor: 100, validFrom: '2028-01-01' }), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await setPrice({ itemCode: 'SPA_MASSAGE', product: 'oxycodone:5:mg', unitPriceMinor: 100, validFrom: '2028-01-01' }), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await setPrice({ itemCode: 'CAVIAR', unitPriceMinor: 100, validFrom: '2028-01-01' }), 422, 'UNKNOWN_ITEM', before);
      const duplicate = await setPrice({ itemCode: 'MEDICATION', product: 'paracetamol:500:mg', unitPriceMinor: 260, validFrom: '2028-01-01' });
      await expectRefused(duplicate, 409, 'DUPLICATE', before);
      expect(duplicate.body).toMatchObject({
        message: 'MEDICATION paracetamol:500:mg already has a price from 2028-01-01; set the new price from another date.',
        details: [{ field: 'validFrom', reason: 'MEDICATION paracetamol:500:mg already has a price from 2028-01-01' }],
      });
      for (const body of [
        { itemCode: 'SPA_MASSAGE', unitPriceMinor: -1, validFrom: '2028-01-01' },
        { itemCode: 'SPA_MASSAGE', unitPriceMinor: 1.5, validFrom: '2028-01-01' },
        { itemCode: 'SPA_MASSAGE', unitPriceMinor: 100, validFrom: '2028-02-30' },
        { itemCode: 'SPA_MASSAGE', unitPriceMinor: 100 },
        { itemCode: 'SPA_MASSAGE', unitPriceMinor: 100, validFrom: '2028-01-01', currency: 'USD' },
      ]) {
        await expectRefused(await setPrice(body), 400, 'VALIDATION_FAILED', before);
      }
      // An item without products: the date alone collides; the next day is fine.
      await setPrice({ itemCode: 'SPA_MASSAGE', unitPriceMinor: 190_000, validFrom: '2035-06-01' }).expect(201);
      const again = await setPrice({ itemCode: 'SPA_MASSAGE', unitPriceMinor: 195_000, validFrom: '2035-06-01' }).expect(409);
      expect(again.body.details).toEqual([{ field: 'validFrom', reason: 'SPA_MASSAGE already has a price from 2035-06-01' }]);
      await setPrice({ itemCode: 'SPA_MASSAGE', unitPriceMinor: 195_000, validFrom: '2035-06-02' }).expect(201);
    });

    it('a formulary product added without a label is named after the product, not the item; a later price keeps that name; a label given is kept', async () => {
      const morphine = await setPrice({ itemCode: 'MEDICATION', product: 'morphine:15:mg', unitPriceMinor: 2_500, validFrom: '2026-01-01' }).expect(201);
      expect(morphine.body).toMatchObject({ product: 'morphine:15:mg', label: 'Morphine 15 mg', unitPriceMinor: 2_500 });
      const patch = await setPrice({ itemCode: 'MEDICATION', product: 'fentanyl:37.5:mcg/h', unitPriceMinor: 70_000, validFrom: '2026-01-01' }).expect(201);
      expect(patch.body.label).toBe('Fentanyl 37.5 mcg/h');
      const gel = await setPrice({ itemCode: 'MEDICATION', product: 'diclofenac:1:%', unitPriceMinor: 9_000, validFrom: '2026-01-01' }).expect(201);
      expect(gel.body.label).toBe('Diclofenac 1%');
      const later = await setPrice({ itemCode: 'MEDICATION', product: 'morphine:15:mg', unitPriceMinor: 2_600, validFrom: '2026-06-01' }).expect(201);
      expect(later.body.label).toBe('Morphine 15 mg');
      const named = await setPrice({ itemCode: 'MEDICATION', product: 'morphine:60:mg', label: 'Morphine 60 mg ER tablet', unitPriceMinor: 9_000, validFrom: '2026-01-01' }).expect(201);
      expect(named.body.label).toBe('Morphine 60 mg ER tablet');
      const list = await t.http.get(`${API}/billing/prices?date=2026-07-01`).set(bearer(billing)).expect(200);
      expect(list.body.items.find((p: Json) => p.product === 'morphine:15:mg')).toMatchObject({ label: 'Morphine 15 mg', unitPriceMinor: 2_600 });
    });

    it('only billing sets prices (admin and clinical roles 403, no token 401)', async () => {
      const body = { itemCode: 'SPA_MASSAGE', unitPriceMinor: 1, validFrom: '2029-01-01' };
      const before = await billingState();
      for (const staff of [admin, clerk, psychiatrist, nurse, aftercare]) {
        const response = await setPrice(body, staff).expect(403);
        expect(await auditOf(response)).toEqual([expect.objectContaining({ actor_id: staff.id, action: 'CREATE', outcome: 'DENIED' })]);
      }
      await t.http.post(`${API}/billing/prices`).send(body).expect(401);
      expect(await billingState()).toEqual(before);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('charges', () => {
    it('a FIXED item takes the catalogue price; answered whole, stored, and audited with the patient id', async () => {
      const { admissionId, patientId } = await admit();
      const body = chargeBody('SPA_MASSAGE', { quantity: 2, serviceDate: '2027-01-12' });
      const response = await charge(admissionId, body).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        itemCode: 'SPA_MASSAGE',
        product: null,
        description: 'Additional spa or massage session',
        quantity: 2,
        unitPriceMinor: SPA,
        amountMinor: 2 * SPA,
        currency: 'THB',
        serviceDate: '2027-01-12',
        source: 'MANUAL',
        invoiceId: null,
        idempotencyKey: body.idempotencyKey,
        createdBy: billing.id,
        createdAt: expect.any(String),
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
      });
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(await chargeRows(admissionId)).toEqual([
        { id: response.body.id, item_code: 'SPA_MASSAGE', quantity: '2.000', unit_price_minor: String(SPA), amount_minor: String(2 * SPA), service_date: '2027-01-12', source: 'MANUAL', created_by: billing.id },
      ]);
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'CREATE', resource: 'charge', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { itemCode: 'SPA_MASSAGE', amountMinor: 2 * SPA } },
      ]);
    });

    it('a FIXED item refuses a unit price (400), and nothing is written', async () => {
      const { admissionId } = await admit();
      const before = await billingState();
      const response = await charge(admissionId, chargeBody('SPA_MASSAGE', { unitPriceMinor: 100 }));
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toEqual([{ field: 'unitPriceMinor', reason: expect.stringContaining('must not be given') }]);
    });

    it.each(['HOSPITAL_VISIT', 'FLIGHT', 'VISA_FEE', 'PERSONAL_ITEMS'])('a VARIABLE item (%s) needs its price (400 without), and stores it', async (itemCode) => {
      const { admissionId } = await admit();
      const before = await billingState();
      const missing = await charge(admissionId, chargeBody(itemCode));
      await expectRefused(missing, 400, 'VALIDATION_FAILED', before);
      expect(missing.body.details).toEqual([{ field: 'unitPriceMinor', reason: expect.stringContaining('is required') }]);

      const response = await charge(admissionId, chargeBody(itemCode, { unitPriceMinor: 1_234_567, quantity: 1, description: '  Bangkok–Zürich, one way  ' })).expect(201);
      expect(response.body).toMatchObject({ itemCode, unitPriceMinor: 1_234_567, amountMinor: 1_234_567, description: 'Bangkok–Zürich, one way' });
      expect(await chargeRows(admissionId)).toEqual([expect.objectContaining({ id: response.body.id, unit_price_minor: '1234567', amount_minor: '1234567' })]);
    });

    it.each(INCLUDED)('refuses an included item (%s): 422 ITEM_INCLUDED_IN_FEE', async (itemCode) => {
      const { admissionId } = await admit();
      const before = await billingState();
      await expectRefused(await charge(admissionId, chargeBody(itemCode)), 422, 'ITEM_INCLUDED_IN_FEE', before);
      await expectRefused(await charge(admissionId, chargeBody(itemCode, { unitPriceMinor: 500 })), 422, 'ITEM_INCLUDED_IN_FEE', before);
    });

    it('refuses medication (USE_DISPENSATION), an extra psychiatric consult (USE_PSYCH_CONSULT: the consult record counts the included ones), the residential fee (BILLED_BY_INVOICE) and an unknown code (UNKNOWN_ITEM), all 422', async () => {
      const { admissionId } = await admit();
      const before = await billingState();
      await expectRefused(await charge(admissionId, chargeBody('EXTRA_PSYCH_CONSULT')), 422, 'USE_PSYCH_CONSULT', before);
      await expectRefused(await charge(admissionId, chargeBody('MEDICATION')), 422, 'USE_DISPENSATION', before);
      await expectRefused(await charge(admissionId, chargeBody('MEDICATION', { unitPriceMinor: 3500 })), 422, 'USE_DISPENSATION', before);
      await expectRefused(await charge(admissionId, chargeBody('RESIDENTIAL_FEE')), 422, 'BILLED_BY_INVOICE', before);
      const unknown = await charge(admissionId, chargeBody('CAVIAR'));
      await expectRefused(unknown, 422, 'UNKNOWN_ITEM', before);
      expect(unknown.body.details).toEqual([{ field: 'itemCode', reason: expect.any(String) }]);
    });

    it('a FIXED item dated before its first price: 422 NO_PRICE', async () => {
      // A stay long ago, so that the service date lies within it (charges outside the stay are refused).
      const { admissionId } = await admitPatient(t, clerk, assessmentBody(), '2019-12-01');
      const before = await billingState();
      await expectRefused(await charge(admissionId, chargeBody('SPA_MASSAGE', { serviceDate: '2019-12-31' })), 422, 'NO_PRICE', before);
      expect(await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2020-01-01' })).toMatchObject({ unitPriceMinor: SPA });
    });

    it.each([
      ['0.5 × 101 = 50.5 → 51', 0.5, 101, 51],
      ['1.005 × 100 = 100.5 → 101', 1.005, 100, 101],
      ['0.333 × 3 = 0.999 → 1', 0.333, 3, 1],
      ['2.5 × 3 = 7.5 → 8', 2.5, 3, 8],
      ['0.001 × 499 = 0.499 → 0', 0.001, 499, 0],
      ['1.25 × 10 = 12.5 → 13', 1.25, 10, 13],
      ['3 × 1,234,567 = 3,703,701', 3, 1_234_567, 3_703_701],
      ['100000 × 10,000,000 = THB 10,000,000,000.00 (the largest amount)', 100_000, 10_000_000, 1_000_000_000_000],
    ])('a quantity with decimals rounds half up to a whole satang: %s', async (_, quantity, unitPriceMinor, amountMinor) => {
      const { admissionId } = await admit();
      const response = await charge(admissionId, chargeBody('PERSONAL_ITEMS', { quantity, unitPriceMinor })).expect(201);
      expect(response.body).toMatchObject({ quantity, unitPriceMinor, amountMinor });
      expect(await chargeRows(admissionId)).toEqual([expect.objectContaining({ amount_minor: String(amountMinor) })]);
    });

    it('a FIXED item is charged by the piece: 2.5 spa sessions refused naming quantity, 2 sessions = 360,000', async () => {
      const { admissionId } = await admit();
      const refused = await charge(admissionId, chargeBody('SPA_MASSAGE', { quantity: 2.5 })).expect(400);
      expect(refused.body.details).toEqual([{ field: 'quantity', reason: 'must be a whole number for SPA_MASSAGE (counted by the piece)' }]);
      expect(await charged(admissionId, 'SPA_MASSAGE', { quantity: 2 })).toMatchObject({ quantity: 2, amountMinor: 360_000 });
    });

    it.each<[string, Json, string]>([
      ['quantity 0', { quantity: 0 }, 'quantity'],
      ['a negative quantity', { quantity: -1 }, 'quantity'],
      ['4 decimals', { quantity: 1.0005 }, 'quantity'],
      ['a quantity as text', { quantity: '1' }, 'quantity'],
      ['too large a quantity', { quantity: 100_001 }, 'quantity'],
      ['no quantity', { quantity: undefined }, 'quantity'],
      ['no service date', { serviceDate: undefined }, 'serviceDate'],
      ['an impossible date', { serviceDate: '2027-02-30' }, 'serviceDate'],
      ['a date with a time', { serviceDate: '2027-01-10T10:00:00Z' }, 'serviceDate'],
      ['a negative price', { itemCode: 'FLIGHT', unitPriceMinor: -1 }, 'unitPriceMinor'],
      ['a fractional price', { itemCode: 'FLIGHT', unitPriceMinor: 100.5 }, 'unitPriceMinor'],
      ['a price as text', { itemCode: 'FLIGHT', unitPriceMinor: '100' }, 'unitPriceMinor'],
      ['a lower-case code', { itemCode: 'spa_massage' }, 'itemCode'],
      ['no code', { itemCode: undefined }, 'itemCode'],
      ['no idempotency key', { idempotencyKey: undefined }, 'idempotencyKey'],
      ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
      ['a key with a space', { idempotencyKey: 'desk 42' }, 'idempotencyKey'],
      ['a key of 201 characters', { idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey'],
      ['a blank description', { description: '   ' }, 'description'],
      ['a description of 501 characters', { description: 'd'.repeat(501) }, 'description'],
      ['an unknown field', { invoiceId: MISSING_ID }, 'invoiceId'],
    ])('400 for %s, naming the field, writing nothing', async (_, change, field) => {
      const { admissionId } = await admit();
      const before = await billingState();
      const response = await charge(admissionId, chargeBody('SPA_MASSAGE', change));
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toContainEqual({ field, reason: expect.any(String) });
    });

    it.each([
      ['100000 × 10,000,001', 100_000, 10_000_001],
      ['1.001 × 1,000,000,000,000', 1.001, 1_000_000_000_000],
      ['77777.777 × 777,777,777,777 (not exact in floating point)', 77_777.777, 777_777_777_777],
    ])('400 for an amount above THB 10 billion: %s', async (_, quantity, unitPriceMinor) => {
      const { admissionId } = await admit();
      const before = await billingState();
      const response = await charge(admissionId, chargeBody('PERSONAL_ITEMS', { quantity, unitPriceMinor }));
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toEqual([{ field: 'quantity', reason: expect.stringContaining('must not exceed') }]);
    });

    it('400 for a body that is not an object or an id that is not a UUID; 404 for a missing admission', async () => {
      const { admissionId } = await admit();
      const before = await billingState();
      await expectRefused(await charge(admissionId, [chargeBody('SPA_MASSAGE')] as unknown as Json), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await charge('not-a-uuid', chargeBody('SPA_MASSAGE')), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await charge(MISSING_ID, chargeBody('SPA_MASSAGE')), 404, 'NOT_FOUND', before);
      await expectRefused(await charges(MISSING_ID), 404, 'NOT_FOUND', before);
    });

    describe('idempotency', () => {
      it('the same key and body again: 200 with the first charge, nothing new', async () => {
        const { admissionId } = await admit();
        const body = chargeBody('SPA_MASSAGE', { quantity: 2, description: 'Thai massage' });
        const first = await charge(admissionId, body).expect(201);
        const before = await billingState();
        // The same request, its fields in another order and the description with spaces round it.
        const retry = await charge(admissionId, { ...Object.fromEntries(Object.entries(body).reverse()), description: ' Thai massage ' }).expect(200);
        expect(retry.body).toEqual(first.body);
        expect(await billingState()).toEqual(before);
        expect((await auditOf(retry)).filter((row) => row.action === 'CREATE')).toEqual([]);
        expect(await chargeRows(admissionId)).toHaveLength(1);
      });

      it('the same key with a different body: 409 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
        const { admissionId } = await admit();
        const body = chargeBody('SPA_MASSAGE');
        await charge(admissionId, body).expect(201);
        const before = await billingState();
        await expectRefused(await charge(admissionId, { ...body, quantity: 2 }), 409, 'IDEMPOTENCY_KEY_REUSED', before);
        await expectRefused(await charge(admissionId, { ...body, itemCode: 'HOSPITAL_TRANSPORT' }), 409, 'IDEMPOTENCY_KEY_REUSED', before);
        await expectRefused(await charge(admissionId, { ...body, description: 'Something else' }), 409, 'IDEMPOTENCY_KEY_REUSED', before);
        // Even a body that would be refused on its own is a reuse of the key first.
        await expectRefused(await charge(admissionId, { ...body, itemCode: 'YOGA' }), 409, 'IDEMPOTENCY_KEY_REUSED', before);
      });

      it('keys are per admission: the same key on another stay is another charge', async () => {
        const one = await admit();
        const two = await admit();
        const body = chargeBody('SPA_MASSAGE');
        const first = await charge(one.admissionId, body).expect(201);
        const second = await charge(two.admissionId, body).expect(201);
        expect(second.body.id).not.toBe(first.body.id);
        expect(second.body.patientId).toBe(two.patientId);
      });

      it('a retry after the charge was invoiced returns it with its invoice', async () => {
        const { admissionId } = await admit();
        const body = chargeBody('SPA_MASSAGE');
        const first = await charge(admissionId, body).expect(201);
        const { id } = await drafted(admissionId);
        const retry = await charge(admissionId, body).expect(200);
        expect(retry.body).toEqual({ ...first.body, invoiceId: id });
      });
    });

    describe('void', () => {
      const voidCharge = (id: string, reason: unknown = 'Entered on the wrong patient.', as: Staff = billing) => t.http.post(`${API}/charges/${id}/void`).set(bearer(as)).send({ reason });

      it('a manual charge voided with a reason: kept and listed with its void fields, no longer uninvoiced, never drafted; audited; twice is 409 ALREADY_VOID', async () => {
        const { admissionId, patientId } = await admit();
        const wrong = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-08' });
        const right = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-01-09' });
        const response = await voidCharge(wrong.id, '  Entered on the wrong patient.  ').expect(200);
        expect(response.body).toEqual({ ...wrong, voidedAt: expect.any(String), voidedBy: billing.id, voidReason: 'Entered on the wrong patient.' });
        expect(await auditOf(response)).toEqual([
          { actor_id: billing.id, action: 'VOID', resource: 'charge', resource_id: wrong.id, patient_id: patientId, outcome: 'SUCCESS', detail: { voided: true, itemCode: 'SPA_MASSAGE', amountMinor: SPA } },
        ]);
        // Listed, marked void; not among those still to invoice.
        expect((await charges(admissionId).expect(200)).body.items.map((c: Json) => [c.id, c.voidReason])).toEqual([[wrong.id, 'Entered on the wrong patient.'], [right.id, null]]);
        expect((await charges(admissionId, '?uninvoiced=true').expect(200)).body.items.map((c: Json) => c.id)).toEqual([right.id]);
        // A draft leaves it out, a supplementary one too (there is nothing else).
        const { lines, totalMinor } = await drafted(admissionId);
        expect(lines.filter((line) => line.kind === 'CHARGE').map((line) => line.chargeId)).toEqual([right.id]);
        expect(totalMinor).toBe(FEE + TRANSPORT);
        const none = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: '2027-01-08', periodEnd: '2027-01-08', chargesOnly: true }).expect(422);
        expect(none.body.code).toBe('NOTHING_TO_INVOICE');
        // A retry of the charge with its key reads it back, void, and makes nothing new.
        const retry = await charge(admissionId, { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-08', idempotencyKey: wrong.idempotencyKey }).expect(200);
        expect(retry.body).toMatchObject({ id: wrong.id, voidReason: 'Entered on the wrong patient.' });

        const before = await billingState();
        await expectRefused(await voidCharge(wrong.id, 'Again.'), 409, 'ALREADY_VOID', before);
        await expectRefused(await voidCharge(MISSING_ID), 404, 'NOT_FOUND', before);
        await expectRefused(await voidCharge(wrong.id, '   '), 400, 'VALIDATION_FAILED', before);
        await expectRefused(await voidCharge('abc'), 400, 'VALIDATION_FAILED', before);
        // Billing only: a nurse's attempt is refused (and audited as DENIED), nothing changes.
        expect((await voidCharge(right.id, 'Not billing.', nurse).expect(403)).body.code).toBe('FORBIDDEN');
        expect(await billingState()).toEqual(before);
      });

      it('a charge on a live invoice: 409 CHARGE_INVOICED naming it (a draft, or the number); voided after the invoice, the period is invoiced again without it', async () => {
        const { admissionId } = await admit();
        const spa = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-08' });
        const draftInvoice = await drafted(admissionId, '2027-01-04', '2027-01-10');
        const onDraft = await voidCharge(spa.id);
        await expectRefused(onDraft, 409, 'CHARGE_INVOICED', await billingState());
        expect(onDraft.body.message).toBe(`This charge is on draft invoice ${draftInvoice.id} (DRAFT): void the invoice first, then the charge (and invoice the period again).`);
        const { number } = (await issue(draftInvoice.id).expect(200)).body;
        const onIssued = await voidCharge(spa.id);
        await expectRefused(onIssued, 409, 'CHARGE_INVOICED', await billingState());
        expect(onIssued.body.message).toContain(`on invoice ${number} (ISSUED): void the invoice first`);
        await voidInvoice(draftInvoice.id, 'The spa session was not given.').expect(200);
        await voidCharge(spa.id, 'Not given.').expect(200);
        const again = await drafted(admissionId, '2027-01-04', '2027-01-10');
        expect(again.lines.filter((line) => line.kind === 'CHARGE')).toEqual([]);
      });

      it('the database keeps a charge unchanged but for one void, never voids one on a live invoice, and never invoices a void one', async () => {
        const { admissionId } = await admit();
        const spa = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-08' });
        const other = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-12' });
        const { id } = await drafted(admissionId, '2027-01-04', '2027-01-10');
        const before = await billingState();
        await expect(t.admin.query('UPDATE charges SET amount_minor = 1, unit_price_minor = 1 WHERE id = $1', [other.id])).rejects.toThrow(/only voided once/);
        await expect(t.admin.query('DELETE FROM charges WHERE id = $1', [other.id])).rejects.toThrow(/never deleted/);
        await expect(t.admin.query(`UPDATE charges SET voided_at = now(), voided_by = $2, void_reason = 'x' WHERE id = $1`, [spa.id, billing.id])).rejects.toThrow(/on a live invoice/);
        expect(await billingState()).toEqual(before);
        await voidCharge(other.id).expect(200);
        await expect(
          t.admin.query(`INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit_price_minor, amount_minor, charge_id) VALUES ($1, 999, 'CHARGE', 'Void', 1, 0, 0, $2)`, [id, other.id]),
        ).rejects.toThrow(/is void and is never invoiced/);
      });
    });

    describe('list', () => {
      it('pages through the charges by service date, with uninvoiced=true / false, audited as a READ', async () => {
        const { admissionId, patientId } = await admit();
        const made = [];
        for (const serviceDate of ['2027-01-20', '2027-01-05', '2027-02-10', '2027-01-20', '2027-01-31']) {
          made.push(await charged(admissionId, 'SPA_MASSAGE', { serviceDate }));
        }
        const ordered = [...made].sort((a, b) => String(a.serviceDate).localeCompare(String(b.serviceDate)) || String(a.id).localeCompare(String(b.id)));

        const all = await charges(admissionId).expect(200);
        expect(all.body).toEqual({ items: ordered, nextCursor: null });
        expect(await auditOf(all)).toEqual([
          { actor_id: billing.id, action: 'READ', resource: 'charge', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId } },
        ]);

        const pages: Json[][] = [];
        let cursor: string | null = null;
        do {
          const page: Response = await charges(admissionId, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
          pages.push(page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
        expect(pages.flat()).toEqual(ordered);

        // January is invoiced: 4 charges on the invoice, the one of February not.
        const { id: invoiceId } = await drafted(admissionId, '2027-01-04', '2027-02-02');
        const uninvoiced = await charges(admissionId, '?uninvoiced=true').expect(200);
        expect(uninvoiced.body.items).toEqual([{ ...made[2], invoiceId: null }]);
        const invoiced = await charges(admissionId, '?uninvoiced=false').expect(200);
        expect(invoiced.body.items).toEqual(ordered.filter((c) => c.serviceDate !== '2027-02-10').map((c) => ({ ...c, invoiceId })));
        const invoicedPage = await charges(admissionId, '?uninvoiced=false&limit=3').expect(200);
        expect(invoicedPage.body.items).toHaveLength(3);
        const rest = await charges(admissionId, `?uninvoiced=false&limit=3&cursor=${encodeURIComponent(invoicedPage.body.nextCursor)}`).expect(200);
        expect(rest.body).toEqual({ items: [expect.objectContaining({ invoiceId })], nextCursor: null });
      });

      it.each(['?limit=0', '?limit=201', '?limit=two', '?uninvoiced=yes', '?cursor=not-a-cursor', '?colour=red'])('400 for %s', async (query) => {
        const { admissionId } = await admit();
        const response = await charges(admissionId, query).expect(400);
        expect(response.body).toMatchObject({ statusCode: 400 });
        expect(await auditOf(response)).toEqual([]);
      });

      it('an empty stay lists nothing; limit=200 is allowed', async () => {
        const { admissionId } = await admit();
        expect((await charges(admissionId, '?limit=200').expect(200)).body).toEqual({ items: [], nextCursor: null });
      });
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('invoice drafts', () => {
    it('30 days: the fee, every uninvoiced charge dated in the period, included services at no charge', async () => {
      const { admissionId, patientId } = await admit();
      const spa = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-20', quantity: 2 });
      const flight = await charged(admissionId, 'FLIGHT', { serviceDate: '2027-01-04', unitPriceMinor: 3_456_789, description: 'Flight home' });
      const lastDay = await charged(admissionId, 'HOSPITAL_TRANSPORT', { serviceDate: '2027-02-02' });
      const dayAfter = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-02-03' });
      const other = await admit();
      await charged(other.admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-20' });

      const response = await draft(admissionId, '2027-01-04', '2027-02-02').expect(201);
      const extras = [flight, spa, lastDay];
      const total = FEE + extras.reduce((sum, c) => sum + c.amountMinor, 0);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        hn: expect.stringMatching(/^HN-\d{6}$/),
        status: 'DRAFT',
        number: null,
        periodStart: '2027-01-04',
        periodEnd: '2027-02-02',
        days: 30,
        chargesOnly: false,
        lines: [
          { kind: 'RESIDENTIAL_FEE', description: expect.stringContaining('30 days'), serviceDate: null, quantity: 30, unitPriceMinor: null, amountMinor: FEE },
          ...extras.map((c) => ({ kind: 'CHARGE', description: c.description, serviceDate: c.serviceDate, quantity: c.quantity, unitPriceMinor: c.unitPriceMinor, amountMinor: c.amountMinor, chargeId: c.id })),
          ...includedNames.map((description) => ({ kind: 'INCLUDED', description, serviceDate: null, quantity: 1, unitPriceMinor: 0, amountMinor: 0 })),
        ],
        totalMinor: total,
        paidMinor: 0,
        balanceMinor: total,
        currency: 'THB',
        payments: [],
        issuedAt: null,
        voidedAt: null,
        voidReason: null,
        createdBy: billing.id,
        createdAt: expect.any(String),
      });
      expect(total).toBe(FEE + 2 * SPA + 3_456_789 + TRANSPORT);
      expect(includedNames).toHaveLength(INCLUDED.length);
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'CREATE', resource: 'invoice', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { periodStart: '2027-01-04', periodEnd: '2027-02-02', charges: 3 } },
      ]);
      // The day after the period is left for the next invoice.
      expect((await charges(admissionId, '?uninvoiced=true').expect(200)).body.items.map((c: Json) => c.id)).toEqual([dayAfter.id]);
      const days = await t.admin.query(`SELECT count(*)::int AS n, min(day)::text AS first, max(day)::text AS last FROM invoiced_days WHERE invoice_id = $1 AND live`, [response.body.id]);
      expect(days.rows[0]).toEqual({ n: 30, first: '2027-01-04', last: '2027-02-02' });
    });

    it.each([
      ['45 days = THB 420,000.00', '2027-01-04', '2027-02-17', 45, 42_000_000],
      ['1 day = round-half-up(280,000 / 30) = THB 9,333.33', '2027-01-04', '2027-01-04', 1, 933_333],
      ['2 days = THB 18,666.67 (rounded up)', '2027-01-04', '2027-01-05', 2, 1_866_667],
      ['31 days = THB 289,333.33', '2027-01-04', '2027-02-03', 31, 28_933_333],
      ['366 days (the longest period)', '2027-01-04', '2028-01-04', 366, 341_600_000],
    ])('%s', async (_, periodStart, periodEnd, days, feeMinor) => {
      const { admissionId } = await admit();
      const body = await drafted(admissionId, periodStart, periodEnd);
      expect(body).toMatchObject({ days, totalMinor: feeMinor, balanceMinor: feeMinor });
      expect(body.lines[0]).toMatchObject({ kind: 'RESIDENTIAL_FEE', quantity: days, amountMinor: feeMinor, description: expect.stringContaining(days === 1 ? '(1 day)' : `(${days} days)`) });
      expect(body.lines.filter((line) => line.kind === 'CHARGE')).toEqual([]);
    });

    it('a draft starting before the stay: 422 PERIOD_OUTSIDE_STAY', async () => {
      const { admissionId } = await admit();
      const before = await billingState();
      const response = await draft(admissionId, '2027-01-03', '2027-02-01');
      await expectRefused(response, 422, 'PERIOD_OUTSIDE_STAY', before);
      expect(response.body.details).toEqual([{ field: 'periodStart', reason: expect.stringContaining('2027-01-04') }]);
    });

    it('a period before the first residential fee price: 422 NO_PRICE', async () => {
      const { admissionId } = await admitPatient(t, clerk, assessmentBody(), '2019-12-01');
      const before = await billingState();
      await expectRefused(await draft(admissionId, '2019-12-01', '2019-12-31'), 422, 'NO_PRICE', before);
      // The fee in force on the first day prices the whole period.
      await expectRefused(await draft(admissionId, '2019-12-31', '2020-01-29'), 422, 'NO_PRICE', before);
      expect((await drafted(admissionId, '2020-01-01', '2020-01-30')).totalMinor).toBe(FEE);
    });

    it('a period overlapping a live invoice: 409 PERIOD_ALREADY_INVOICED; the next period is fine', async () => {
      const { admissionId } = await admit();
      await drafted(admissionId, '2027-01-04', '2027-02-02');
      const before = await billingState();
      for (const [start, end] of [['2027-01-04', '2027-02-02'], ['2027-02-02', '2027-02-10'], ['2027-01-10', '2027-01-11'], ['2027-01-04', '2027-03-31']]) {
        const response = await draft(admissionId, start!, end!);
        await expectRefused(response, 409, 'PERIOD_ALREADY_INVOICED', before);
      }
      const next = await drafted(admissionId, '2027-02-03', '2027-03-04');
      expect(next.totalMinor).toBe(FEE);
      // Issued invoices hold their days too.
      await issue(next.id).expect(200);
      await expectRefused(await draft(admissionId, '2027-03-04', '2027-03-05'), 409, 'PERIOD_ALREADY_INVOICED', await billingState());
    });

    it.each<[string, Json, string]>([
      ['periodEnd before periodStart', { periodStart: '2027-01-10', periodEnd: '2027-01-09' }, 'periodEnd'],
      ['more than 366 days', { periodStart: '2027-01-04', periodEnd: '2028-01-05' }, 'periodEnd'],
      ['an impossible date', { periodStart: '2027-01-04', periodEnd: '2027-02-30' }, 'periodEnd'],
      ['no periodStart', { periodEnd: '2027-02-02' }, 'periodStart'],
      ['a date with a time', { periodStart: '2027-01-04T00:00:00Z', periodEnd: '2027-02-02' }, 'periodStart'],
      ['an unknown field', { periodStart: '2027-01-04', periodEnd: '2027-02-02', totalMinor: 1 }, 'totalMinor'],
    ])('400 for %s', async (_, body, field) => {
      const { admissionId } = await admit();
      const before = await billingState();
      const response = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send(body);
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toContainEqual({ field, reason: expect.any(String) });
    });

    it('404 for a missing admission, 400 for an id that is not a UUID', async () => {
      const before = await billingState();
      await expectRefused(await draft(MISSING_ID, '2027-01-04', '2027-02-02'), 404, 'NOT_FOUND', before);
      await expectRefused(await draft('nope', '2027-01-04', '2027-02-02'), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await invoicesOf(MISSING_ID), 404, 'NOT_FOUND', before);
    });

    it('a total too large to add up exactly: 422 INVOICE_TOO_LARGE, not a 500', async () => {
      const { admissionId, patientId } = await admit();
      // Beyond what the API accepts for one charge: written behind its back.
      await t.admin.query(
        `INSERT INTO charges (admission_id, patient_id, item_code, description, quantity, unit_price_minor, amount_minor, currency, service_date, source, idempotency_key, request_hash, created_by)
         VALUES ($1, $2, 'PERSONAL_ITEMS', 'Huge', 1, 9007199254740000, 9007199254740000, 'THB', '2027-01-10', 'MANUAL', 'huge', 'x', $3)`,
        [admissionId, patientId, billing.id],
      );
      await expectRefused(await draft(admissionId, '2027-01-04', '2027-02-02'), 422, 'INVOICE_TOO_LARGE', await billingState());
    });

    it('a charge entered late, dated on a day already invoiced, is picked up by the next draft rather than lost', async () => {
      const { admissionId } = await admit();
      const january = await drafted(admissionId, '2027-01-04', '2027-02-02');
      await issue(january.id).expect(200);
      // A hospital bill for 20 January arrives after January was issued.
      const late = await charged(admissionId, 'HOSPITAL_VISIT', { serviceDate: '2027-01-20', unitPriceMinor: 1_500_000 });
      const february = await drafted(admissionId, '2027-02-03', '2027-03-04');
      expect(february.lines.filter((line) => line.kind === 'CHARGE')).toEqual([expect.objectContaining({ chargeId: late.id, serviceDate: '2027-01-20', amountMinor: 1_500_000 })]);
      expect(february.totalMinor).toBe(FEE + 1_500_000);
    });

    it('a charge dated before the stay began (the flight in) goes on the first invoice rather than being lost', async () => {
      const { admissionId } = await admit();
      const flight = await charged(admissionId, 'FLIGHT', { serviceDate: '2027-01-02', unitPriceMinor: 2_000_000 });
      const first = await drafted(admissionId, '2027-01-04', '2027-01-10');
      expect(first.lines.filter((line) => line.kind === 'CHARGE')).toEqual([expect.objectContaining({ chargeId: flight.id, serviceDate: '2027-01-02' })]);
    });

    it('a charge dated in a gap no invoice has covered yet waits for that period', async () => {
      const { admissionId } = await admit();
      const inGap = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-20' });
      const later = await drafted(admissionId, '2027-02-03', '2027-03-04');
      expect(later.lines.filter((line) => line.kind === 'CHARGE')).toEqual([]);
      const gap = await drafted(admissionId, '2027-01-04', '2027-02-02');
      expect(gap.lines.filter((line) => line.kind === 'CHARGE')).toEqual([expect.objectContaining({ chargeId: inGap.id })]);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('issuing', () => {
    it('gives the next INV-<clinic year>-NNNNNN number, ISSUED, audited; a second issue is 409 ALREADY_ISSUED', async () => {
      const { admissionId, patientId } = await admit();
      await charged(admissionId, 'SPA_MASSAGE');
      const draftBody = await drafted(admissionId);
      const response = await issue(draftBody.id).expect(200);
      const year = today().slice(0, 4);
      expect(response.body).toEqual({ ...draftBody, status: 'ISSUED', number: expect.stringMatching(new RegExp(`^INV-${year}-\\d{6}$`)), issuedAt: expect.any(String) });
      expect(Math.abs(Date.parse(response.body.issuedAt) - t.clock.now().getTime())).toBeLessThan(60_000);
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'ISSUE', resource: 'invoice', resource_id: draftBody.id, patient_id: patientId, outcome: 'SUCCESS', detail: { number: response.body.number } },
      ]);
      const stored = await t.admin.query('SELECT status, number, year, sequence, issued_by FROM invoices WHERE id = $1', [draftBody.id]);
      expect(stored.rows[0]).toEqual({ status: 'ISSUED', number: response.body.number, year: Number(year), sequence: Number(response.body.number.slice(-6)), issued_by: billing.id });

      const before = await billingState();
      await expectRefused(await issue(draftBody.id), 409, 'ALREADY_ISSUED', before);

      // The next one gets the next number.
      const next = await issuedInvoice();
      expect(Number(next.number.slice(-6))).toBe(Number(response.body.number.slice(-6)) + 1);
    });

    it('a paid invoice cannot be issued again (ALREADY_ISSUED), a void one neither (INVOICE_VOID); 404 for a missing one', async () => {
      const paid = await issuedInvoice();
      await pay(paid.id, paid.totalMinor).expect(201);
      const before = await billingState();
      await expectRefused(await issue(paid.id), 409, 'ALREADY_ISSUED', before);
      const { admissionId } = await admit();
      const voided = await drafted(admissionId);
      await voidInvoice(voided.id).expect(200);
      const afterVoid = await billingState();
      await expectRefused(await issue(voided.id), 409, 'INVOICE_VOID', afterVoid);
      await expectRefused(await issue(MISSING_ID), 404, 'NOT_FOUND', afterVoid);
      await expectRefused(await issue('INV-2027-000001'), 400, 'VALIDATION_FAILED', afterVoid);
    });

    it('an invoice with nothing to pay is PAID as it is issued (a fee of 0 from 2031)', async () => {
      await setPrice({ itemCode: 'RESIDENTIAL_FEE', unitPriceMinor: 0, validFrom: '2031-01-01' }).expect(201);
      const { admissionId } = await admitPatient(t, clerk, assessmentBody(), '2031-01-01');
      const { id, totalMinor } = await drafted(admissionId, '2031-01-01', '2031-01-30');
      expect(totalMinor).toBe(0);
      const issued = await issue(id).expect(200);
      expect(issued.body).toMatchObject({ status: 'PAID', number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), totalMinor: 0, paidMinor: 0, balanceMinor: 0 });
      const before = await billingState();
      await expectRefused(await pay(id, 1), 409, 'ALREADY_PAID', before);
      await expectRefused(await voidInvoice(id), 409, 'INVOICE_PAID', before);
    });

    describe('an issued invoice cannot change, even through SQL', () => {
      let issued: { id: string; admissionId: string; totalMinor: number };
      let chargeLine: string;
      let frozen: Json;

      beforeAll(async () => {
        issued = await issuedInvoice(true);
        chargeLine = (await t.admin.query(`SELECT id FROM invoice_lines WHERE invoice_id = $1 AND kind = 'CHARGE'`, [issued.id])).rows[0].id;
        frozen = await billingState();
      });

      const refusals: [string, () => [string, unknown[]], RegExp][] = [
        ['UPDATE of its total', () => ['UPDATE invoices SET total_minor = total_minor + 100 WHERE id = $1', [issued.id]], /cannot change/],
        ['UPDATE of its period', () => ['UPDATE invoices SET period_end = period_end + 1 WHERE id = $1', [issued.id]], /cannot change/],
        ['UPDATE of its number', () => [`UPDATE invoices SET number = 'INV-1999-000001' WHERE id = $1`, [issued.id]], /cannot change/],
        ['UPDATE back to DRAFT', () => [`UPDATE invoices SET status = 'DRAFT', number = NULL, year = NULL, sequence = NULL, issued_at = NULL, issued_by = NULL WHERE id = $1`, [issued.id]], /cannot go from ISSUED to DRAFT/],
        ['UPDATE of a line amount', () => ['UPDATE invoice_lines SET amount_minor = 1 WHERE id = $1', [chargeLine]], /cannot change/],
        ['UPDATE of a line description', () => [`UPDATE invoice_lines SET description = 'Nothing' WHERE id = $1`, [chargeLine]], /cannot change/],
        ['release of a line without a void', () => ['UPDATE invoice_lines SET live = false WHERE id = $1', [chargeLine]], /cannot change/],
        ['release of its days without a void', () => ['UPDATE invoiced_days SET live = false WHERE invoice_id = $1', [issued.id]], /cannot change/],
        ['DELETE of a line', () => ['DELETE FROM invoice_lines WHERE id = $1', [chargeLine]], /never deleted/],
        ['DELETE of its days', () => ['DELETE FROM invoiced_days WHERE invoice_id = $1', [issued.id]], /never deleted/],
        ['DELETE of the invoice', () => ['DELETE FROM invoices WHERE id = $1', [issued.id]], /never deleted/],
        [
          'INSERT of a line',
          () => [`INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit_price_minor, amount_minor) VALUES ($1, 999, 'INCLUDED', 'Extra', 1, 0, 0)`, [issued.id]],
          /only a draft invoice gets new invoice_lines/,
        ],
        ['INSERT of a day', () => [`INSERT INTO invoiced_days (invoice_id, day, admission_id) VALUES ($1, '2027-03-01', $2)`, [issued.id, issued.admissionId]], /only a draft invoice gets new invoiced_days/],
      ];

      it.each(refusals)('the database refuses an %s', async (_, statement, message) => {
        const [sql, params] = statement();
        await expect(t.admin.query(sql, params)).rejects.toThrow(message);
        expect(await billingState()).toEqual(frozen);
      });

      it('and through the API: no payment above the total, no second issue, no redraft of its days', async () => {
        await expectRefused(await pay(issued.id, issued.totalMinor + 1), 422, 'OVERPAYMENT', frozen);
        await expectRefused(await issue(issued.id), 409, 'ALREADY_ISSUED', frozen);
        await expectRefused(await draft(issued.admissionId, '2027-01-04', '2027-02-02'), 409, 'PERIOD_ALREADY_INVOICED', frozen);
      });
    });

    describe('drafts are guarded in the database too', () => {
      it('a total that does not match the lines is refused at commit; lines and days are never edited or deleted', async () => {
        const { admissionId } = await admit();
        await charged(admissionId, 'SPA_MASSAGE');
        const { id } = await drafted(admissionId);
        const line = (await t.admin.query(`SELECT id FROM invoice_lines WHERE invoice_id = $1 AND kind = 'CHARGE'`, [id])).rows[0].id;
        const before = await billingState();
        await expect(t.admin.query('UPDATE invoices SET total_minor = total_minor + 1 WHERE id = $1', [id])).rejects.toThrow(/totals do not match/);
        await expect(t.admin.query('UPDATE invoices SET paid_minor = 1 WHERE id = $1', [id])).rejects.toThrow(/totals do not match/);
        await expect(t.admin.query(`INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit_price_minor, amount_minor) VALUES ($1, 999, 'RESIDENTIAL_FEE', 'More', 1, NULL, 5)`, [id])).rejects.toThrow(/totals do not match/);
        await expect(t.admin.query('UPDATE invoice_lines SET amount_minor = amount_minor + 1 WHERE id = $1', [line])).rejects.toThrow(/cannot change/);
        await expect(t.admin.query('DELETE FROM invoice_lines WHERE id = $1', [line])).rejects.toThrow(/never deleted/);
        await expect(t.admin.query('DELETE FROM invoices WHERE id = $1', [id])).rejects.toThrow(/never deleted/);
        await expect(t.admin.query(`INSERT INTO payments (invoice_id, amount_minor, method, received_on, recorded_by) VALUES ($1, 1, 'CASH', '2027-01-10', $2)`, [id, billing.id])).rejects.toThrow(/only against an issued/);
        expect(await billingState()).toEqual(before);
      });

      it('the same charge or day on a second live invoice is refused by the unique indexes', async () => {
        const { admissionId } = await admit();
        const spa = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-05' });
        await drafted(admissionId, '2027-01-04', '2027-01-10');
        const other = await drafted(admissionId, '2027-01-11', '2027-01-12');
        const before = await billingState();
        await expect(
          t.admin.query(`INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit_price_minor, amount_minor, charge_id) VALUES ($1, 999, 'CHARGE', 'Again', 1, 0, 0, $2)`, [other.id, spa.id]),
        ).rejects.toThrow(/invoice_lines_one_live_per_charge/);
        await expect(t.admin.query(`INSERT INTO invoiced_days (invoice_id, day, admission_id) VALUES ($1, '2027-01-05', $2)`, [other.id, admissionId])).rejects.toThrow(/invoiced_days_one_live_per_day/);
        expect(await billingState()).toEqual(before);
      });
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('payments', () => {
    it('a partial payment lowers the balance; the exact rest makes it PAID; audited with the patient id', async () => {
      const { id, patientId, totalMinor } = await issuedInvoice(true);
      const first = await pay(id, 10_000_000, { method: 'CARD', reference: '  card 4242  ' }).expect(201);
      expect(first.body).toMatchObject({ id, status: 'ISSUED', totalMinor, paidMinor: 10_000_000, balanceMinor: totalMinor - 10_000_000 });
      expect(first.body.payments).toEqual([
        { id: expect.any(String), amountMinor: 10_000_000, method: 'CARD', receivedOn: today(), reference: 'card 4242', idempotencyKey: null, createdAt: expect.any(String), voidedAt: null, voidedBy: null, voidReason: null },
      ]);
      expect(await auditOf(first)).toEqual([
        { actor_id: billing.id, action: 'CREATE', resource: 'payment', resource_id: first.body.payments[0].id, patient_id: patientId, outcome: 'SUCCESS', detail: { invoiceId: id, amountMinor: 10_000_000 } },
      ]);

      const before = await billingState();
      const over = await pay(id, totalMinor - 10_000_000 + 1);
      await expectRefused(over, 422, 'OVERPAYMENT', before);
      expect(over.body.details).toEqual([{ field: 'amountMinor', reason: expect.stringContaining(String(totalMinor - 10_000_000)) }]);

      const rest = await pay(id, totalMinor - 10_000_000, { method: 'CASH', receivedOn: '2026-01-15' }).expect(201);
      expect(rest.body).toMatchObject({ status: 'PAID', paidMinor: totalMinor, balanceMinor: 0 });
      expect(rest.body.payments.map((p: Json) => [p.amountMinor, p.method, p.reference])).toEqual([[10_000_000, 'CARD', 'card 4242'], [totalMinor - 10_000_000, 'CASH', null]]);
      const stored = await t.admin.query('SELECT status, paid_minor, total_minor FROM invoices WHERE id = $1', [id]);
      expect(stored.rows[0]).toEqual({ status: 'PAID', paid_minor: String(totalMinor), total_minor: String(totalMinor) });
      expect((await invoice(id).expect(200)).body).toMatchObject({ status: 'PAID', balanceMinor: 0, payments: rest.body.payments });

      const paid = await billingState();
      await expectRefused(await pay(id, 1), 409, 'ALREADY_PAID', paid);
    });

    it('with an idempotency key: the same key and body again is 200 with the invoice as it is, nothing new; the same key with another body is 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const { id, patientId, totalMinor } = await issuedInvoice();
      const body = { amountMinor: totalMinor, method: 'TRANSFER', receivedOn: today(), reference: 'KBank 0203-7781', idempotencyKey: 'desk-42:pay-1' };
      const first = await t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send(body).expect(201);
      expect(first.body).toMatchObject({ status: 'PAID', paidMinor: totalMinor, balanceMinor: 0 });
      expect(first.body.payments).toEqual([expect.objectContaining({ amountMinor: totalMinor, idempotencyKey: 'desk-42:pay-1', voidedAt: null })]);
      const before = await billingState();
      // The invoice is PAID now: the retry still answers with it rather than ALREADY_PAID.
      const retry = await t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send(body).expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await billingState()).toEqual(before);
      expect(await auditOf(retry)).toEqual([
        { actor_id: billing.id, action: 'READ', resource: 'payment', resource_id: first.body.payments[0].id, patient_id: patientId, outcome: 'SUCCESS', detail: { idempotentReplay: true } },
      ]);
      const reused = await t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send({ ...body, amountMinor: 1 });
      await expectRefused(reused, 409, 'IDEMPOTENCY_KEY_REUSED', before);
      // Without a key, each request is a payment of its own (as before keys existed).
      const other = await issuedInvoice();
      await pay(other.id, 100).expect(201);
      await pay(other.id, 100).expect(201);
      expect((await invoice(other.id).expect(200)).body.paidMinor).toBe(200);
    });

    it('400 for an idempotency key with a space or over 200 characters', async () => {
      const { id } = await issuedInvoice();
      const before = await billingState();
      for (const idempotencyKey of ['two words', 'k'.repeat(201), '']) {
        const response = await pay(id, 100, { idempotencyKey });
        await expectRefused(response, 400, 'VALIDATION_FAILED', before);
        expect(response.body.details).toContainEqual({ field: 'idempotencyKey', reason: expect.any(String) });
      }
    });

    it('a payment voided with a reason stays listed, marked void, and no longer counts; a PAID invoice is ISSUED again; audited; twice is 409 ALREADY_VOID', async () => {
      const { id, patientId, totalMinor } = await issuedInvoice();
      const paid = await pay(id, totalMinor, { reference: 'KBank 0104-5521' }).expect(201);
      const [payment] = paid.body.payments;
      const response = await t.http.post(`${API}/payments/${payment.id}/void`).set(bearer(billing)).send({ reason: '  Entered on the wrong invoice.  ' }).expect(200);
      expect(response.body).toEqual({
        ...paid.body,
        status: 'ISSUED',
        paidMinor: 0,
        balanceMinor: totalMinor,
        payments: [{ ...payment, voidedAt: expect.any(String), voidedBy: billing.id, voidReason: 'Entered on the wrong invoice.' }],
      });
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'VOID', resource: 'payment', resource_id: payment.id, patient_id: patientId, outcome: 'SUCCESS', detail: { invoiceId: id, amountMinor: totalMinor, voided: true } },
      ]);
      const stored = await t.admin.query('SELECT voided_by, void_reason FROM payments WHERE id = $1', [payment.id]);
      expect(stored.rows).toEqual([{ voided_by: billing.id, void_reason: 'Entered on the wrong invoice.' }]);
      expect((await invoice(id).expect(200)).body).toEqual(response.body);

      const before = await billingState();
      await expectRefused(await t.http.post(`${API}/payments/${payment.id}/void`).set(bearer(billing)).send({ reason: 'Again.' }), 409, 'ALREADY_VOID', before);
      await expectRefused(await t.http.post(`${API}/payments/${MISSING_ID}/void`).set(bearer(billing)).send({ reason: 'None.' }), 404, 'NOT_FOUND', before);
      await expectRefused(await t.http.post(`${API}/payments/${payment.id}/void`).set(bearer(billing)).send({ reason: '  ' }), 400, 'VALIDATION_FAILED', before);
      await expectRefused(await t.http.post(`${API}/payments/not-a-uuid/void`).set(bearer(billing)).send({ reason: 'x' }), 400, 'VALIDATION_FAILED', before);
      // It is payable again, to the full balance.
      await pay(id, totalMinor).expect(201);
    });

    it('the correction of a paid invoice: void its payments, void the invoice with a reason, invoice the period again', async () => {
      const { id, admissionId, totalMinor, number } = await issuedInvoice(true);
      const first = await pay(id, 1_000_000).expect(201);
      const rest = await pay(id, totalMinor - 1_000_000).expect(201);
      expect(rest.body.status).toBe('PAID');
      await expectRefused(await voidInvoice(id), 409, 'INVOICE_PAID', await billingState());
      await t.http.post(`${API}/payments/${first.body.payments[0].id}/void`).set(bearer(billing)).send({ reason: 'Refunded: wrong period.' }).expect(200);
      const partly = await billingState();
      const refused = await voidInvoice(id);
      await expectRefused(refused, 409, 'HAS_PAYMENTS', partly);
      expect(refused.body.message).toContain('void them first');
      await t.http.post(`${API}/payments/${rest.body.payments[1].id}/void`).set(bearer(billing)).send({ reason: 'Refunded: wrong period.' }).expect(200);
      const voided = await voidInvoice(id, 'Wrong period; reissued.').expect(200);
      expect(voided.body).toMatchObject({ status: 'VOID', number, paidMinor: 0, balanceMinor: 0 });
      expect(voided.body.payments.map((p: Json) => p.voidReason)).toEqual(['Refunded: wrong period.', 'Refunded: wrong period.']);
      // Days and the charge are free again; the new invoice takes them.
      const again = await drafted(admissionId);
      expect(again.totalMinor).toBe(totalMinor);
      expect((await issue(again.id).expect(200)).body.number).not.toBe(number);
    });

    it('the PDF lists a voided payment apart, marked void, and the amount paid leaves it out', async () => {
      const { admissionId } = await admit({ givenName: 'Somchai', familyName: 'สมชาย ใจดี' });
      const { id, totalMinor } = await drafted(admissionId);
      await issue(id).expect(200);
      const once = await pay(id, 1_000_000, { reference: 'KBank 0104-5521' }).expect(201);
      await pay(id, 1_000_000, { reference: 'KBank 0104-5521' }).expect(201);
      await t.http.post(`${API}/payments/${once.body.payments[0].id}/void`).set(bearer(billing)).send({ reason: 'Entered twice.' }).expect(200);
      const text = extractPdfText((await pdf(id).expect(200)).body as Buffer).replace(/\s+/g, ' ');
      expect(text).toContain('Somchai สมชาย ใจดี');
      expect(text).toContain(`Paid ${thb(1_000_000)}`);
      expect(text).toContain(`Balance due ${thb(totalMinor - 1_000_000)}`);
      expect(text).toContain('Payments voided (not counted)');
      expect(text).toContain('KBank 0104-5521 – VOID');
      expect(text).toContain('Entered twice.');
      expect(text).toContain(`${thb(1_000_000)} (void)`);
    });

    it('the database keeps a payment unchanged but for one void, and the paid amount equal to the payments that are not void', async () => {
      const { id, totalMinor } = await issuedInvoice();
      const paid = await pay(id, 500).expect(201);
      const paymentId = paid.body.payments[0].id;
      const before = await billingState();
      await expect(t.admin.query('UPDATE payments SET amount_minor = 400 WHERE id = $1', [paymentId])).rejects.toThrow(/only voided once/);
      await expect(t.admin.query('DELETE FROM payments WHERE id = $1', [paymentId])).rejects.toThrow(/never deleted/);
      await expect(t.admin.query(`UPDATE payments SET voided_at = now() WHERE id = $1`, [paymentId])).rejects.toThrow(/payments_void_check/);
      // Voided without lowering the paid amount: refused at commit.
      await expect(t.admin.query(`UPDATE payments SET voided_at = now(), voided_by = $2, void_reason = 'x' WHERE id = $1`, [paymentId, billing.id])).rejects.toThrow(/totals do not match/);
      expect(await billingState()).toEqual(before);
      expect(totalMinor).toBeGreaterThan(500);
    });

    it('overpaying in one payment: 422 OVERPAYMENT', async () => {
      const { id, totalMinor } = await issuedInvoice();
      await expectRefused(await pay(id, totalMinor + 1), 422, 'OVERPAYMENT', await billingState());
    });

    it('a payment on a draft (NOT_ISSUED) or a void invoice (INVOICE_VOID): 409', async () => {
      const { admissionId } = await admit();
      const { id } = await drafted(admissionId);
      await expectRefused(await pay(id, 100), 409, 'NOT_ISSUED', await billingState());
      await voidInvoice(id).expect(200);
      await expectRefused(await pay(id, 100), 409, 'INVOICE_VOID', await billingState());
      await expectRefused(await pay(MISSING_ID, 100), 404, 'NOT_FOUND', await billingState());
    });

    it.each<[string, Json, string]>([
      ['received tomorrow (in the future)', { receivedOn: 'TOMORROW' }, 'receivedOn'],
      ['an amount of 0', { amountMinor: 0 }, 'amountMinor'],
      ['a negative amount', { amountMinor: -100 }, 'amountMinor'],
      ['a fractional amount', { amountMinor: 100.5 }, 'amountMinor'],
      ['an amount as text', { amountMinor: '100' }, 'amountMinor'],
      ['an unknown method', { method: 'CHEQUE' }, 'method'],
      ['no date', { receivedOn: undefined }, 'receivedOn'],
      ['an impossible date', { receivedOn: '2026-02-29' }, 'receivedOn'],
      ['a blank reference', { reference: '  ' }, 'reference'],
      ['an unknown field', { currency: 'USD' }, 'currency'],
    ])('400 for %s', async (_, change, field) => {
      const { id } = await issuedInvoice();
      const before = await billingState();
      const body = { amountMinor: 100, method: 'TRANSFER', receivedOn: today(), ...change };
      if (body.receivedOn === 'TOMORROW') body.receivedOn = addDays(today(), 1);
      const response = await t.http.post(`${INVOICES}/${id}/payments`).set(bearer(billing)).send(body);
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toContainEqual({ field, reason: expect.any(String) });
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('voiding', () => {
    it('a draft: VOID with its reason, its charges uninvoiced again and its days free for a new draft that picks them up', async () => {
      const { admissionId, patientId } = await admit();
      const spa = await charged(admissionId, 'SPA_MASSAGE', { serviceDate: '2027-01-08' });
      const visa = await charged(admissionId, 'VISA_FEE', { serviceDate: '2027-01-30', unitPriceMinor: 190_000 });
      const first = await drafted(admissionId);
      expect((await charges(admissionId, '?uninvoiced=true').expect(200)).body.items).toEqual([]);

      const response = await voidInvoice(first.id, '  Wrong period; redrafted.  ').expect(200);
      expect(response.body).toEqual({ ...first, status: 'VOID', balanceMinor: 0, voidReason: 'Wrong period; redrafted.', voidedAt: expect.any(String) });
      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'VOID', resource: 'invoice', resource_id: first.id, patient_id: patientId, outcome: 'SUCCESS', detail: { number: null } },
      ]);
      const lines = await t.admin.query('SELECT bool_or(live) AS any_live, count(*)::int AS n FROM invoice_lines WHERE invoice_id = $1', [first.id]);
      expect(lines.rows[0]).toEqual({ any_live: false, n: first.lines.length });

      const uninvoiced = await charges(admissionId, '?uninvoiced=true').expect(200);
      expect(uninvoiced.body.items.map((c: Json) => [c.id, c.invoiceId])).toEqual([[spa.id, null], [visa.id, null]]);

      const second = await drafted(admissionId);
      expect(second.id).not.toBe(first.id);
      expect(second.lines.filter((line) => line.kind === 'CHARGE').map((line) => line.chargeId)).toEqual([spa.id, visa.id]);
      expect(second.totalMinor).toBe(first.totalMinor);
      const list = await invoicesOf(admissionId).expect(200);
      expect(list.body.items.map((i: Json) => [i.id, i.status])).toEqual([[first.id, 'VOID'], [second.id, 'DRAFT']]);
    });

    it('an issued invoice without payments: VOID keeping its number, its charges released', async () => {
      const { id, admissionId, number } = await issuedInvoice(true);
      const response = await voidInvoice(id, 'Issued for the wrong patient.').expect(200);
      expect(response.body).toMatchObject({ status: 'VOID', number, voidReason: 'Issued for the wrong patient.', balanceMinor: 0, paidMinor: 0 });
      expect(await auditOf(response)).toEqual([expect.objectContaining({ action: 'VOID', detail: { number } })]);
      expect((await charges(admissionId, '?uninvoiced=true').expect(200)).body.items).toHaveLength(1);
      const again = await drafted(admissionId);
      expect(again.lines.filter((line) => line.kind === 'CHARGE')).toHaveLength(1);
      const reissued = await issue(again.id).expect(200);
      expect(reissued.body.number).not.toBe(number);
    });

    it('a paid invoice: 409 INVOICE_PAID; one with payments: 409 HAS_PAYMENTS; a void one: 409 ALREADY_VOID', async () => {
      const paid = await issuedInvoice();
      await pay(paid.id, paid.totalMinor).expect(201);
      await expectRefused(await voidInvoice(paid.id), 409, 'INVOICE_PAID', await billingState());

      const part = await issuedInvoice();
      await pay(part.id, 1).expect(201);
      await expectRefused(await voidInvoice(part.id), 409, 'HAS_PAYMENTS', await billingState());

      const { admissionId } = await admit();
      const { id } = await drafted(admissionId);
      await voidInvoice(id).expect(200);
      await expectRefused(await voidInvoice(id, 'Again.'), 409, 'ALREADY_VOID', await billingState());
      await expectRefused(await voidInvoice(MISSING_ID), 404, 'NOT_FOUND', await billingState());
    });

    it.each<[string, unknown]>([
      ['no reason', undefined],
      ['a blank reason', '   '],
      ['a reason that is not text', 42],
      ['a reason of 1001 characters', 'r'.repeat(1001)],
    ])('400 for %s', async (_, reason) => {
      const { admissionId } = await admit();
      const { id } = await drafted(admissionId);
      const before = await billingState();
      const response = await t.http.post(`${INVOICES}/${id}/void`).set(bearer(billing)).send(reason === undefined ? {} : { reason });
      await expectRefused(response, 400, 'VALIDATION_FAILED', before);
      expect(response.body.details).toContainEqual({ field: 'reason', reason: expect.any(String) });
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('reading invoices', () => {
    it('GET /invoices/:id as JSON, audited as a READ with the patient id; GET /admissions/:id/invoices oldest first', async () => {
      const { admissionId, patientId } = await admit();
      const first = await drafted(admissionId, '2027-01-04', '2027-01-31');
      const second = await drafted(admissionId, '2027-02-01', '2027-02-28');
      await issue(second.id).expect(200);

      const one = await invoice(first.id).expect(200);
      expect(one.headers['content-type']).toMatch(/^application\/json/);
      expect(one.body).toEqual(first);
      expect(await auditOf(one)).toEqual([
        { actor_id: billing.id, action: 'READ', resource: 'invoice', resource_id: first.id, patient_id: patientId, outcome: 'SUCCESS', detail: null },
      ]);

      const list = await invoicesOf(admissionId).expect(200);
      expect(list.body.items.map((i: Json) => [i.id, i.status, i.periodStart])).toEqual([[first.id, 'DRAFT', '2027-01-04'], [second.id, 'ISSUED', '2027-02-01']]);
      expect(list.body.items[0]).toEqual(first);
      expect(await auditOf(list)).toEqual([
        { actor_id: billing.id, action: 'READ', resource: 'invoice', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId } },
      ]);
      const { admissionId: empty } = await admit();
      expect((await invoicesOf(empty).expect(200)).body).toEqual({ items: [], nextCursor: null });

      const before = await billingState();
      await expectRefused(await invoice(MISSING_ID), 404, 'NOT_FOUND', before);
      await expectRefused(await invoice('abc'), 400, 'VALIDATION_FAILED', before);
    });

    it('with Accept: application/pdf, a PDF with the number, the patient and the total, audited as an EXPORT', async () => {
      const { admissionId, patientId } = await admit({ givenName: 'Somchai', familyName: 'Wongsakul' });
      await charged(admissionId, 'SPA_MASSAGE', { quantity: 2 });
      await charged(admissionId, 'FLIGHT', { unitPriceMinor: 4_567_891, description: 'Flight Zurich to Bangkok' });
      const { id } = await drafted(admissionId);
      const issued = await issue(id).expect(200);
      const total = FEE + 2 * SPA + 4_567_891;
      expect(issued.body.totalMinor).toBe(total);
      await pay(id, 1_000_000).expect(201);

      const response = await pdf(id).expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`inline; filename="${issued.body.number}.pdf"`);
      const bytes = response.body as Buffer;
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
      const text = extractPdfText(bytes).replace(/\s+/g, ' ');
      expect(text).toContain(issued.body.number);
      expect(text).toContain('Somchai Wongsakul');
      expect(text).toContain(thb(total));
      expect(thb(total)).toBe('THB 329,278.91');
      expect(text).toContain(thb(total - 1_000_000));
      expect(text).toContain(thb(FEE));
      expect(text).toContain('Flight Zurich to Bangkok');
      expect(text).toContain('Residential programme fee');
      expect(text).toContain('Extras billed separately');
      expect(text).toContain('Included in the fee (no charge)');
      for (const name of includedNames) expect(text).toContain(name);
      expect(text).toContain('US$');
      expect(text).not.toContain('DRAFT');

      expect(await auditOf(response)).toEqual([
        { actor_id: billing.id, action: 'EXPORT', resource: 'invoice', resource_id: id, patient_id: patientId, outcome: 'SUCCESS', detail: { format: 'pdf' } },
      ]);
    });

    it('?format=pdf or json chooses the format as Accept does, and wins over it; another format is 400', async () => {
      const { admissionId, patientId } = await admit();
      const { id } = await drafted(admissionId);
      const asJson = (await invoice(id).expect(200)).body;
      const get = (format: string, accept?: string) => {
        const request = t.http.get(`${INVOICES}/${id}?format=${format}`).set(bearer(billing));
        if (accept) void request.set('accept', accept);
        return readingBytes(request);
      };
      for (const accept of [undefined, 'application/json', '*/*']) {
        const response = await get('pdf', accept).expect(200);
        expect([response.headers['content-type'], response.headers['content-disposition']]).toEqual(['application/pdf', `inline; filename="draft-${id.slice(0, 8)}.pdf"`]);
        expect((response.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(response.headers.vary).toMatch(/accept/i);
        expect(await auditOf(response)).toEqual([expect.objectContaining({ action: 'EXPORT', resource: 'invoice', resource_id: id, patient_id: patientId, detail: { format: 'pdf' } })]);
      }
      for (const accept of [undefined, 'application/pdf']) {
        const response = await get('json', accept).expect(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse((response.body as Buffer).toString('utf8'))).toEqual(asJson);
      }
      for (const format of ['fhir', 'PDF', 'xml', '']) {
        const refused = await t.http.get(`${INVOICES}/${id}?format=${format}`).set(bearer(billing)).set('accept', 'application/pdf');
        expect([refused.status, refused.body.code, refused.body.details?.map((d: Json) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['format']]);
      }
    });

    it('a draft’s PDF says it is a draft and not a bill; a void one says it is void, with the reason', async () => {
      const { admissionId } = await admit();
      const { id, totalMinor } = await drafted(admissionId);
      const response = await pdf(id).expect(200);
      expect(response.headers['content-disposition']).toBe(`inline; filename="draft-${id.slice(0, 8)}.pdf"`);
      const text = extractPdfText(response.body as Buffer).replace(/\s+/g, ' ');
      expect(text).toContain('Draft invoice');
      expect(text).toContain('DRAFT — not a bill');
      expect(text).toContain('Invoice number: none yet (draft)');
      expect(text).toContain(thb(totalMinor));

      await voidInvoice(id, 'Period entered wrongly.').expect(200);
      const voided = extractPdfText((await pdf(id).expect(200)).body as Buffer).replace(/\s+/g, ' ');
      expect(voided).toContain('VOID');
      expect(voided).toContain('Period entered wrongly.');
    });

    it('404 for a missing invoice as a PDF too', async () => {
      const response = await t.http.get(`${INVOICES}/${MISSING_ID}`).set(bearer(billing)).set('accept', 'application/pdf');
      expect(response.status).toBe(404);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('roles', () => {
    let admissionId: string;
    let patientId: string;
    let invoiceId: string;

    beforeAll(async () => {
      ({ admissionId, patientId } = await admit());
      await charged(admissionId, 'SPA_MASSAGE');
      ({ id: invoiceId } = await drafted(admissionId, '2027-01-04', '2027-01-10'));
    });

    const routes = (): [method: 'get' | 'post', path: string, body?: Json, headers?: Record<string, string>][] => [
      ['post', `${ADMISSIONS}/${admissionId}/charges`, chargeBody('SPA_MASSAGE')],
      ['get', `${ADMISSIONS}/${admissionId}/charges`],
      ['post', `${ADMISSIONS}/${admissionId}/invoices`, { periodStart: '2027-01-11', periodEnd: '2027-01-20' }],
      ['get', `${ADMISSIONS}/${admissionId}/invoices`],
      ['get', `${INVOICES}/${invoiceId}`],
      ['get', `${INVOICES}/${invoiceId}`, undefined, { accept: 'application/pdf' }],
      ['post', `${INVOICES}/${invoiceId}/issue`],
      ['post', `${INVOICES}/${invoiceId}/payments`, { amountMinor: 100, method: 'CASH', receivedOn: '2026-01-10' }],
      ['post', `${INVOICES}/${invoiceId}/void`, { reason: 'Testing roles.' }],
    ];

    it.each(['nurse', 'psychiatrist', 'admissions', 'aftercare', 'admin'])('%s: 403 on every charge and invoice endpoint, audited as DENIED, nothing changed', async (role) => {
      const staff = { nurse, psychiatrist, admissions: clerk, aftercare, admin }[role]!;
      const before = await billingState();
      for (const [method, path, body, headers] of routes()) {
        let call = t.http[method](path).set(bearer(staff)).set(headers ?? {});
        if (body) call = call.send(body);
        const response = await call;
        expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
        expect(await auditOf(response)).toEqual([
          { actor_id: staff.id, action: method === 'get' ? 'READ' : 'CREATE', resource: expect.stringMatching(/^\/api\/v1\/(admissions|invoices)\/:id/), resource_id: path.includes(invoiceId) ? invoiceId : admissionId, patient_id: patientId, outcome: 'DENIED', detail: null },
        ]);
      }
      expect(await billingState()).toEqual(before);
    });

    it('no token: 401 on every billing endpoint', async () => {
      const before = await billingState();
      for (const [method, path, body, headers] of [...routes(), ['get', `${API}/billing/catalog`], ['get', `${API}/billing/prices`], ['post', `${API}/billing/prices`, { itemCode: 'SPA_MASSAGE', unitPriceMinor: 1, validFrom: '2030-01-01' }]] as ReturnType<typeof routes>) {
        let call = t.http[method](path).set(headers ?? {});
        if (body) call = call.send(body);
        const response = await call;
        expect([method, path, response.status, response.body.code]).toEqual([method, path, 401, 'UNAUTHENTICATED']);
      }
      expect(await billingState()).toEqual(before);
    });

    it('billing does everything: charge, list, draft, read, PDF, issue, pay, void', async () => {
      const { admissionId: stay } = await admit();
      await charged(stay, 'SPA_MASSAGE');
      await charges(stay).expect(200);
      const { id } = await drafted(stay);
      await invoicesOf(stay).expect(200);
      await invoice(id).expect(200);
      await pdf(id).expect(200);
      const issued = await issue(id).expect(200);
      await pay(id, issued.body.totalMinor - 1).expect(201);
      const other = await drafted(stay, '2027-02-03', '2027-02-03');
      await voidInvoice(other.id).expect(200);
    });
  });
});
