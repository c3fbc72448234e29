import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { DispensationsPerProduct1796691000000 } from '../migrations/1796691000000-dispensations-per-product.js';
import { admitPatient } from './support/intake.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody } from './support/taper-example.js';
import { bearer, type Staff, staffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { refusalOf } from './support/responses.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
/** The first day of the stay and of both tapers: the next seven days are all at the start doses. */
const FIRST_DAY = '2027-01-04';

type Json = Record<string, unknown>;

/**
 * Dispensing per product (domain.md §7, §10): oxycodone IR and ER tapered side by side by
 * separate orders are two products, each with its own seven days of need, strengths, stock and
 * balance; a dispensation entered by mistake is voided with its charge.
 */
describe('dispensing per product (drug + formulation)', () => {
  let t: TestApp;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let witness: Staff;
  let billing: Staff;
  let aftercare: Staff;
  let admin: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare } = await staffForEveryRole(t));
    witness = (await staffForEveryRole(t)).nurse;
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * Intake oxycodone IR 20 mg × 3 and ER 20 mg × 2. Orders from 2027-01-04: IR 60 mg a day
   * (5 and 10 mg tablets, halves allowed) and ER 40 mg a day (10 and 20 mg tablets, no halves);
   * paracetamol 1 g × 3 and a lidocaine patch a day in the pain plan. Over the first seven days
   * the IR taper needs 7 × 60 = 420 mg, the ER taper 7 × 40 = 280 mg.
   */
  async function admitSideBySide(): Promise<{ admissionId: string; patientId: string; ir: string; er: string }> {
    const er = { ...EXAMPLE_INTAKE_OPIOID, formulation: 'ER', dose: 20, timesPerDay: 2 };
    const admitted = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, er] }));
    const taper = async (changes: Json): Promise<string> => {
      const draft = await t.http.post(`${ADMISSIONS}/${admitted.admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder(changes)).expect(201);
      return (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200)).body.orderId;
    };
    const irOrder = await taper({});
    const erOrder = await taper({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20], allowHalfTablets: false });
    const medication = (body: Json) => t.http.post(`${ADMISSIONS}/${admitted.admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send(body).expect(201);
    await medication({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' });
    await medication({ drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL', overrideReason: 'Localised scar pain.' });
    return { ...admitted, ir: irOrder, er: erOrder };
  }

  const dispense = (admissionId: string, body: Json, as: Staff = nurse) =>
    t.http.post(`${ADMISSIONS}/${admissionId}/dispensations`).set(bearer(as)).send({ drug: 'oxycodone', unit: 'mg', dispensedOn: FIRST_DAY, idempotencyKey: randomUUID(), ...body });
  const voidDispensation = (id: string, reason: unknown = 'Entered with the wrong date.', as: Staff = nurse) => t.http.post(`${API}/dispensations/${id}/void`).set(bearer(as)).send({ reason });
  const balance = async (admissionId: string): Promise<Json[]> => (await t.http.get(`${ADMISSIONS}/${admissionId}/medication-balance`).set(bearer(nurse)).expect(200)).body.items;
  const stored = async (admissionId: string): Promise<number> =>
    (await t.admin.query('SELECT count(*)::int AS n FROM dispensations WHERE admission_id = $1', [admissionId])).rows[0].n;

  describe('the product and its seven days', () => {
    it('with IR and ER orders in force the formulation is required (422 FORMULATION_REQUIRED naming both); one not in force is NO_ACTIVE_ORDER', async () => {
      const { admissionId } = await admitSideBySide();
      const unnamed = await dispense(admissionId, { strength: 5, quantity: 10 });
      expect(refusalOf(unnamed)).toEqual([422, 'FORMULATION_REQUIRED', ['formulation']]);
      expect(unnamed.body.message).toBe('Orders of oxycodone IR and ER are in force on 2027-01-04: name the formulation dispensed.');
      const patch = await dispense(admissionId, { formulation: 'TRANSDERMAL', strength: 5, quantity: 10 });
      expect(refusalOf(patch)).toEqual([422, 'NO_ACTIVE_ORDER', ['formulation']]);
      expect(patch.body.message).toBe('No order in force on 2027-01-04 uses oxycodone TRANSDERMAL; the oxycodone orders in force are IR and ER.');
      expect(refusalOf(await dispense(admissionId, { formulation: 'er', strength: 10, quantity: 1 }))).toEqual([400, 'VALIDATION_FAILED', ['formulation']]);
      expect(await stored(admissionId)).toBe(0);
    });

    it('each product gets exactly its own orders’ week: IR 420 mg passes and 5 mg more does not, ER 280 mg passes and 10 mg more does not; 98 IR tablets no longer ride on the ER need', async () => {
      const { admissionId } = await admitSideBySide();
      const pooled = await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 98 });
      expect(refusalOf(pooled)).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      expect(pooled.body.message).toBe('98 × 5 mg is 490 mg, more than the 420 mg the orders need over 7 days from 2027-01-04 (oxycodone IR taper). Dispense less, or give an override reason.');
      expect(refusalOf(await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 85 }))).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      const ir = await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 84 }).expect(201);
      expect(ir.body).toMatchObject({ drug: 'oxycodone', formulation: 'IR', strength: 5, quantity: 84, warnings: [] });

      const erOver = await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 29 });
      expect(refusalOf(erOver)).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      expect(erOver.body.message).toBe('29 × 10 mg is 290 mg, more than the 280 mg the orders need over 7 days from 2027-01-04 (oxycodone ER taper). Dispense less, or give an override reason.');
      const er = await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 28 }).expect(201);
      expect(er.body).toMatchObject({ formulation: 'ER', quantity: 28, warnings: [] });

      // Each week is on hand now: not one unit more of either.
      expect(refusalOf(await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 1 }))).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      expect(refusalOf(await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 1 }))).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      expect(await balance(admissionId)).toEqual([
        { drug: 'oxycodone', formulation: 'ER', unit: 'mg', dispensed: 280, given: 0, onHand: 280 },
        { drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 420, given: 0, onHand: 420 },
      ]);
      const rows = await t.admin.query('SELECT formulation, count(*)::int AS n FROM dispensations WHERE admission_id = $1 GROUP BY formulation ORDER BY formulation', [admissionId]);
      expect(rows.rows).toEqual([{ formulation: 'ER', n: 1 }, { formulation: 'IR', n: 1 }]);
    });

    it('with one product of the drug in force the formulation is inferred; a retry without it is the same dispensation; pain-plan drugs have none', async () => {
      const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody());
      const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder()).expect(201);
      await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
      const body = { strength: 10, quantity: 4, idempotencyKey: 'inferred-1' };
      const inferred = await dispense(admissionId, body).expect(201);
      expect(inferred.body.formulation).toBe('IR');
      expect((await dispense(admissionId, { ...body, formulation: 'IR' }).expect(200)).body.id).toBe(inferred.body.id);
      expect((await dispense(admissionId, body).expect(200)).body.id).toBe(inferred.body.id);
      expect(refusalOf(await dispense(admissionId, { ...body, formulation: 'ER' }))).toEqual([409, 'IDEMPOTENCY_KEY_REUSED', undefined]);
      expect(refusalOf(await dispense(admissionId, { strength: 10, quantity: 1, formulation: 'ER' }))).toEqual([422, 'NO_ACTIVE_ORDER', ['formulation']]);

      const { admissionId: sideBySide } = await admitSideBySide();
      const paracetamol = await dispense(sideBySide, { drug: 'paracetamol', strength: 500, quantity: 42 }).expect(201);
      expect(paracetamol.body.formulation).toBeNull();
      const named = await dispense(sideBySide, { drug: 'paracetamol', formulation: 'IR', strength: 500, quantity: 1 });
      expect(refusalOf(named)).toEqual([422, 'NO_ACTIVE_ORDER', ['formulation']]);
      expect(named.body.message).toBe('No order in force on 2027-01-04 uses paracetamol IR; the paracetamol orders name no formulation: leave it out.');
    });
  });

  describe('strengths and quantities', () => {
    it('a taper strength is one of its order’s unitStrengths: listed passes, not listed is 422 STRENGTH_NOT_ORDERED, with a reason it passes and keeps the warning', async () => {
      const { admissionId } = await admitSideBySide();
      await dispense(admissionId, { formulation: 'ER', strength: 20, quantity: 2 }).expect(201);
      await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 2 }).expect(201);
      const notListed = await dispense(admissionId, { formulation: 'ER', strength: 5, quantity: 2 });
      expect(refusalOf(notListed)).toEqual([422, 'STRENGTH_NOT_ORDERED', ['strength']]);
      expect(notListed.body.message).toBe('5 mg is not a strength the oxycodone ER taper order uses (10 mg, 20 mg). Dispense a strength of the order, or give an override reason.');
      // The IR order lists 5 and 10 mg: 20 mg tablets are not its.
      expect(refusalOf(await dispense(admissionId, { formulation: 'IR', strength: 20, quantity: 1 }))).toEqual([422, 'STRENGTH_NOT_ORDERED', ['strength']]);
      const allowed = await dispense(admissionId, { formulation: 'ER', strength: 5, quantity: 2, overrideReason: 'Pharmacy out of 10 mg ER until Monday.' }).expect(201);
      expect(allowed.body).toMatchObject({
        overrideReason: 'Pharmacy out of 10 mg ER until Monday.',
        warnings: [{ code: 'STRENGTH_NOT_ORDERED', message: '5 mg is not a strength the oxycodone ER taper order uses (10 mg, 20 mg). Allowed with the recorded reason.' }],
      });
      expect(await stored(admissionId)).toBe(3);
      // The 5 mg ER tablets are ER stock: 40 + 20 + 10 mg.
      expect((await balance(admissionId)).find((l) => l.formulation === 'ER')).toMatchObject({ dispensed: 70 });
    });

    it('quantities are whole tablets, or halves where the order allows them; never 0.337 of a tablet; patches whole (422 QUANTITY_NOT_DISPENSABLE naming quantity)', async () => {
      const { admissionId } = await admitSideBySide();
      const cases: [Json, number, string?][] = [
        [{ formulation: 'IR', strength: 5, quantity: 0.5 }, 201],
        [{ formulation: 'IR', strength: 5, quantity: 3 }, 201],
        [{ formulation: 'IR', strength: 5, quantity: 0.337 }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ formulation: 'IR', strength: 5, quantity: 1.25 }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ formulation: 'ER', strength: 10, quantity: 0.5 }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ formulation: 'ER', strength: 10, quantity: 0.337, overrideReason: 'Any reason' }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ formulation: 'ER', strength: 10, quantity: 2 }, 201],
        [{ drug: 'paracetamol', strength: 500, quantity: 1.5 }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ drug: 'paracetamol', strength: 500, quantity: 2 }, 201],
        [{ drug: 'lidocaine', strength: 5, unit: '%', quantity: 1.5 }, 422, 'QUANTITY_NOT_DISPENSABLE'],
        [{ drug: 'lidocaine', strength: 5, unit: '%', quantity: 2 }, 201],
      ];
      for (const [body, status, code] of cases) {
        const response = await dispense(admissionId, body);
        expect([body, response.status, response.body.code]).toEqual([body, status, status === 201 ? undefined : code]);
        if (code) expect(response.body.details).toEqual([{ field: 'quantity', reason: expect.any(String) }]);
      }
      const refused = await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 0.337 });
      expect(refused.body.message).toBe('0.337 units of oxycodone ER cannot be dispensed: tablets are dispensed whole (the order does not allow half tablets).');
      expect(await stored(admissionId)).toBe(5);
    });
  });

  it('a dose given beyond its product’s stock warns STOCK_NOT_DISPENSED even with stock of the other formulation on hand', async () => {
    const { admissionId, ir, er } = await admitSideBySide();
    await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 8 }).expect(201);
    const shift = Date.parse('2027-01-04T20:00:00+07:00') - t.clock.now().getTime();
    t.clock.advance(shift);
    try {
      const give = (orderId: string, dose: number) =>
        t.http.post(`${ADMISSIONS}/${admissionId}/administrations`).set(bearer(nurse))
          .send({ orderKind: 'TAPER', orderId, dose, unit: 'mg', givenAt: '2027-01-04T01:00:00.000Z', outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: randomUUID() }).expect(201);
      expect((await give(er, 20)).body.warnings).toEqual([
        { code: 'STOCK_NOT_DISPENSED', message: '20 mg of oxycodone ER given in all, but only 0 mg dispensed for this admission: record the dispensation.' },
      ]);
      expect((await give(ir, 20)).body.warnings).toEqual([]);
      expect(await balance(admissionId)).toEqual([
        { drug: 'oxycodone', formulation: 'ER', unit: 'mg', dispensed: 0, given: 20, onHand: -20 },
        { drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 40, given: 20, onHand: 20 },
      ]);
    } finally {
      t.clock.advance(-shift);
    }
  });

  describe('voiding a dispensation entered by mistake', () => {
    it('keeps it, marked void, out of the balance and the supply check, and voids its charge; audited with the patient id', async () => {
      const { admissionId, patientId } = await admitSideBySide();
      const week = await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 84 }).expect(201);
      expect(refusalOf(await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 1 }))).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);

      const voided = await voidDispensation(week.body.id, '  Counted twice: the week was already on the ward.  ').expect(200);
      expect(voided.body).toEqual({ ...week.body, voided: true, voidedAt: expect.any(String), voidedBy: nurse.id, voidReason: 'Counted twice: the week was already on the ward.' });
      const audit = await t.admin.query('SELECT action, resource, resource_id, patient_id, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq', [voided.headers['x-correlation-id']]);
      expect(audit.rows).toEqual([
        { action: 'VOID', resource: 'dispensation', resource_id: week.body.id, patient_id: patientId, detail: { voided: true, chargeId: week.body.chargeId } },
        { action: 'VOID', resource: 'charge', resource_id: week.body.chargeId, patient_id: patientId, detail: { voided: true, dispensationId: week.body.id } },
      ]);
      const charge = await t.admin.query('SELECT voided_at IS NOT NULL AS voided, voided_by, void_reason FROM charges WHERE id = $1', [week.body.chargeId]);
      expect(charge.rows).toEqual([{ voided: true, voided_by: nurse.id, void_reason: 'Counted twice: the week was already on the ward.' }]);

      // Out of the balance and the supply check: the whole week again, exactly, and not one tablet more.
      expect(await balance(admissionId)).toEqual([]);
      expect(refusalOf(await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 85 }))).toEqual([422, 'ABOVE_ORDER_SUPPLY', ['quantity']]);
      await dispense(admissionId, { formulation: 'IR', strength: 5, quantity: 84 }).expect(201);
      expect(await balance(admissionId)).toEqual([{ drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 420, given: 0, onHand: 420 }]);

      // Kept, and listed as void.
      const listed = (await t.http.get(`${ADMISSIONS}/${admissionId}/dispensations`).set(bearer(billing)).expect(200)).body.items as Json[];
      expect(listed.map((d) => [d.id === week.body.id, d.voided])).toEqual(expect.arrayContaining([[true, true], [false, false]]));
      expect(await stored(admissionId)).toBe(2);
    });

    it('a void is once (409 ALREADY_VOID); needs a reason (400); unknown is 404; only a nurse voids (403, nothing changed)', async () => {
      const { admissionId } = await admitSideBySide();
      const one = await dispense(admissionId, { formulation: 'ER', strength: 10, quantity: 2 }).expect(201);
      for (const who of [psychiatrist, billing, clerk, aftercare, admin]) expect((await voidDispensation(one.body.id, 'x', who)).status).toBe(403);
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }]) {
        expect(refusalOf(await t.http.post(`${API}/dispensations/${one.body.id}/void`).set(bearer(nurse)).send(body))).toEqual([400, 'VALIDATION_FAILED', ['reason']]);
      }
      expect(refusalOf(await voidDispensation(MISSING_ID))).toEqual([404, 'NOT_FOUND', undefined]);
      expect(refusalOf(await voidDispensation('nope'))).toEqual([400, 'VALIDATION_FAILED', ['id']]);
      const row = await t.admin.query('SELECT voided_at FROM dispensations WHERE id = $1', [one.body.id]);
      expect(row.rows).toEqual([{ voided_at: null }]);
      await voidDispensation(one.body.id).expect(200);
      expect(refusalOf(await voidDispensation(one.body.id, 'Again.'))).toEqual([409, 'ALREADY_VOID', undefined]);
      // The database keeps the three void columns together, and a void charge as it was voided.
      await expect(t.admin.query('UPDATE dispensations SET void_reason = NULL WHERE id = $1', [one.body.id])).rejects.toThrow(/dispensations_void_check/);
      await expect(t.admin.query('UPDATE charges SET voided_by = NULL WHERE id = $1', [one.body.chargeId])).rejects.toThrow(/only voided once/);
    });

    it('refuses while its charge is on a live invoice (409 CHARGE_INVOICED, nothing changed); after the invoice is voided it goes through', async () => {
      const { admissionId } = await admitSideBySide();
      const one = await dispense(admissionId, { formulation: 'IR', strength: 10, quantity: 2 }).expect(201);
      const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-10' }).expect(201);
      expect((draft.body.lines as Json[]).some((l) => l.chargeId === one.body.chargeId)).toBe(true);
      const refused = await voidDispensation(one.body.id);
      expect(refusalOf(refused)).toEqual([409, 'CHARGE_INVOICED', ['id']]);
      expect(refused.body.message).toBe(`Its medication charge is on draft invoice ${draft.body.id} (DRAFT): void the invoice first.`);
      const unchanged = await t.admin.query('SELECT (SELECT voided_at FROM dispensations WHERE id = $1) AS d, (SELECT voided_at FROM charges WHERE id = $2) AS c', [one.body.id, one.body.chargeId]);
      expect(unchanged.rows).toEqual([{ d: null, c: null }]);
      expect((await balance(admissionId))[0]).toMatchObject({ formulation: 'IR', dispensed: 20 });

      await t.http.post(`${API}/invoices/${draft.body.id}/void`).set(bearer(billing)).send({ reason: 'Redraft without the mistaken dispensation.' }).expect(200);
      await voidDispensation(one.body.id).expect(200);
      expect(await balance(admissionId)).toEqual([]);
    });

    it('a future-dated dispensation holds the discharge back until it is voided; the void takes the dispensation out of the discharge rule', async () => {
      const { admissionId } = await admitSideBySide();
      const shift = Date.parse('2027-01-20T10:00:00+07:00') - t.clock.now().getTime();
      t.clock.advance(shift);
      try {
        // Paracetamol: its pain-plan order is still in force then (the tapers have ended).
        const typo = await dispense(admissionId, { drug: 'paracetamol', strength: 500, quantity: 2, dispensedOn: '2027-12-20' }).expect(201);
        const discharge = () =>
          t.http.post(`${ADMISSIONS}/${admissionId}/discharge`).set(bearer(aftercare))
            .send({ dischargedOn: '2027-01-20', outsidePrescriber: { name: 'Dr. Hannah Weber' }, consentToShare: { given: true, recordedOn: '2027-01-20' } });
        const blocked = await discharge();
        expect(refusalOf(blocked)).toEqual([422, 'DISCHARGE_BEFORE_RECORDS', ['dischargedOn']]);
        expect(blocked.body.message).toMatch(/dated 2027-12-20/);
        await voidDispensation(typo.body.id, 'Typed 2027-12-20 for 2027-01-20.').expect(200);
        const { rows } = await t.admin.query(
          `SELECT (SELECT max(dispensed_on)::text FROM dispensations WHERE admission_id = $1 AND voided_at IS NULL) AS live_dispensation,
                  (SELECT voided_at IS NOT NULL FROM charges WHERE id = $2) AS charge_void`,
          [admissionId, typo.body.chargeId],
        );
        expect(rows).toEqual([{ live_dispensation: null, charge_void: true }]);
        await discharge().expect(201);
      } finally {
        t.clock.advance(-shift);
      }
    });
  });
});

/**
 * The migration's backfill, on data recorded as before formulations were kept: the columns are
 * dropped (down) and added again (up) in a database of its own.
 */
describe('dispensations recorded before formulations were kept', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('get the formulation of their stay’s signed orders of that drug when those name one, else none', async () => {
    const { admissions: clerk, psychiatrist, nurse } = await staffForEveryRole(t);
    const er = { ...EXAMPLE_INTAKE_OPIOID, formulation: 'ER', dose: 20, timesPerDay: 2 };
    const stay = async (signErToo: boolean): Promise<string> => {
      const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, er] }));
      const draft = (changes: Json) => t.http.post(`${ADMISSIONS}/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder(changes)).expect(201);
      const ir = await draft({});
      await t.http.post(`${API}/taper-orders/${ir.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
      // A draft is never in force: it says nothing about what was dispensed.
      const erDraft = await draft({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20], allowHalfTablets: false });
      if (signErToo) await t.http.post(`${API}/taper-orders/${erDraft.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
      await t.http.post(`${ADMISSIONS}/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' }).expect(201);
      const dispense = (body: Json) =>
        t.http.post(`${ADMISSIONS}/${admissionId}/dispensations`).set(bearer(nurse)).send({ drug: 'oxycodone', unit: 'mg', dispensedOn: FIRST_DAY, idempotencyKey: randomUUID(), ...body }).expect(201);
      await dispense({ formulation: 'IR', strength: 5, quantity: 4 });
      if (signErToo) await dispense({ formulation: 'ER', strength: 10, quantity: 4 });
      await dispense({ drug: 'paracetamol', strength: 500, quantity: 4 });
      return admissionId;
    };
    const irOnly = await stay(false);
    const both = await stay(true);

    const migration = new DispensationsPerProduct1796691000000();
    const runner = { query: (sql: string, parameters?: unknown[]) => t.admin.query(sql, parameters) } as unknown as QueryRunner;
    await migration.down(runner);
    await migration.up(runner);

    const { rows } = await t.admin.query(
      `SELECT admission_id = $1 AS ir_only, drug, strength::float AS strength, formulation FROM dispensations WHERE admission_id IN ($1, $2) ORDER BY 1 DESC, drug, strength`,
      [irOnly, both],
    );
    expect(rows).toEqual([
      { ir_only: true, drug: 'oxycodone', strength: 5, formulation: 'IR' },
      { ir_only: true, drug: 'paracetamol', strength: 500, formulation: null },
      // IR and ER both signed: nothing recorded says which tablets these were.
      { ir_only: false, drug: 'oxycodone', strength: 5, formulation: null },
      { ir_only: false, drug: 'oxycodone', strength: 10, formulation: null },
      { ir_only: false, drug: 'paracetamol', strength: 500, formulation: null },
    ]);
    // The balance shows the stock of unknown formulation on a line of its own.
    const balance = (await t.http.get(`${ADMISSIONS}/${both}/medication-balance`).set(bearer(nurse)).expect(200)).body.items;
    expect(balance).toEqual([
      { drug: 'oxycodone', formulation: null, unit: 'mg', dispensed: 60, given: 0, onHand: 60 },
      { drug: 'paracetamol', formulation: null, unit: 'mg', dispensed: 2000, given: 0, onHand: 2000 },
    ]);
  });
});
