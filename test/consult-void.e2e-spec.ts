import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient } from './support/intake.js';
import { bearer, type Staff, staffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { refusalOf } from './support/responses.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;

/** Admitted 2027-01-04: day 1 is 2027-01-04, day 30 is 2027-02-02. */
const DAY = (n: number) => new Date(Date.UTC(2027, 0, 3 + n)).toISOString().slice(0, 10);

/**
 * A psychiatric consult entered by mistake is voided with a reason (domain.md §10, corrections
 * are a void): kept, marked void, counted toward nothing (the included quota, the discharge
 * date), its EXTRA_PSYCH_CONSULT charge voided with it unless that charge is on a live invoice.
 */
describe('voiding a psychiatric consult', () => {
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
  const consult = (admissionId: string, body: Json) => t.http.post(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send(body);
  const voidConsult = (id: string, reason: unknown = 'Entered with the wrong date.', as: Staff = psychiatrist) => t.http.post(`${API}/psychiatric-consults/${id}/void`).set(bearer(as)).send({ reason });
  const listed = async (admissionId: string, as: Staff = psychiatrist): Promise<Json[]> => (await t.http.get(`${ADMISSIONS}/${admissionId}/psychiatric-consults`).set(bearer(as)).expect(200)).body.items;
  const charges = async (admissionId: string, query = ''): Promise<Json[]> => (await t.http.get(`${ADMISSIONS}/${admissionId}/charges${query}`).set(bearer(billing)).expect(200)).body.items;
  const auditOf = async (response: Response): Promise<Json[]> =>
    (await t.admin.query('SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq', [response.headers['x-correlation-id']])).rows;
  const voidColumns = async (table: 'psych_consults' | 'charges', id: unknown) =>
    (await t.admin.query(`SELECT voided_at IS NOT NULL AS voided, voided_by, void_reason FROM ${table} WHERE id = $1`, [id])).rows[0];

  describe('the included quota', () => {
    it('frees the place of a voided included check for the next consult recorded; consults recorded before keep their billing', async () => {
      const { admissionId, patientId } = await admit();
      const checks = [];
      for (const day of [2, 9, 16, 23]) checks.push(await consult(admissionId, { date: DAY(day), kind: 'ROUTINE' }).expect(201));
      // At the quota: a fifth is billed.
      const fifth = await consult(admissionId, { date: DAY(25), kind: 'ROUTINE' }).expect(201);
      expect(fifth.body).toMatchObject({ billable: true, chargeId: expect.any(String) });

      const voided = await voidConsult(checks[1]!.body.id, '  Recorded on the wrong patient.  ').expect(200);
      expect(voided.body).toEqual({ ...checks[1]!.body, voided: true, voidedAt: expect.any(String), voidedBy: psychiatrist.id, voidReason: 'Recorded on the wrong patient.' });
      expect(new Date(voided.body.voidedAt).toISOString()).toBe(voided.body.voidedAt);
      expect(await auditOf(voided)).toEqual([
        { actor_id: psychiatrist.id, action: 'VOID', resource: 'psych_consult', resource_id: checks[1]!.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { voided: true, chargeId: null } },
      ]);

      // Three included checks left in days 1–30: the next one recorded takes the freed place, the one after is billed again.
      expect((await consult(admissionId, { date: DAY(30), kind: 'ROUTINE' }).expect(201)).body).toMatchObject({ billable: false, chargeId: null });
      expect((await consult(admissionId, { date: DAY(30), kind: 'ROUTINE' }).expect(201)).body).toMatchObject({ billable: true });
      // The fifth, billed before the void, is never re-priced.
      const kept = (await listed(admissionId)).find((c) => c.id === fifth.body.id);
      expect(kept).toEqual({ ...fifth.body, voided: false, voidedAt: null, voidedBy: null, voidReason: null });
      expect((await charges(admissionId)).map((c) => c.voidedAt)).toEqual([null, null]);
    });

    it('a voided billed check frees no included place (it never took one)', async () => {
      const { admissionId } = await admit();
      for (const day of [2, 9, 16, 23]) await consult(admissionId, { date: DAY(day), kind: 'ROUTINE' }).expect(201);
      const fifth = await consult(admissionId, { date: DAY(24), kind: 'ROUTINE' }).expect(201);
      await voidConsult(fifth.body.id).expect(200);
      expect((await consult(admissionId, { date: DAY(25), kind: 'ROUTINE' }).expect(201)).body.billable).toBe(true);
    });

    it('a voided intake frees the included intake', async () => {
      const { admissionId } = await admit();
      const intake = await consult(admissionId, { date: DAY(1), kind: 'INTAKE' }).expect(201);
      expect((await consult(admissionId, { date: DAY(2), kind: 'INTAKE' }).expect(201)).body.billable).toBe(true);
      await voidConsult(intake.body.id).expect(200);
      expect((await consult(admissionId, { date: DAY(3), kind: 'INTAKE' }).expect(201)).body.billable).toBe(false);
    });
  });

  describe('its charge', () => {
    it('voids the EXTRA_PSYCH_CONSULT charge with the consult, audited with the patient id; no draft takes it; listed with the void fields', async () => {
      const { admissionId, patientId } = await admit();
      const extra = await consult(admissionId, { date: DAY(6), kind: 'ADDITIONAL', notes: 'Crisis review.', idempotencyKey: 'extra-1' }).expect(201);
      const voided = await voidConsult(extra.body.id, 'Recorded twice.').expect(200);
      expect(voided.body).toEqual({ ...extra.body, voided: true, voidedAt: expect.any(String), voidedBy: psychiatrist.id, voidReason: 'Recorded twice.' });
      expect(await auditOf(voided)).toEqual([
        expect.objectContaining({ action: 'VOID', resource: 'psych_consult', resource_id: extra.body.id, patient_id: patientId, detail: { voided: true, chargeId: extra.body.chargeId } }),
        expect.objectContaining({ action: 'VOID', resource: 'charge', resource_id: extra.body.chargeId, patient_id: patientId, detail: { voided: true, consultId: extra.body.id } }),
      ]);
      expect(await voidColumns('charges', extra.body.chargeId)).toEqual({ voided: true, voided_by: psychiatrist.id, void_reason: 'Recorded twice.' });
      expect(await voidColumns('psych_consults', extra.body.id)).toEqual({ voided: true, voided_by: psychiatrist.id, void_reason: 'Recorded twice.' });

      // Kept and listed, for the psychiatrist and for billing (without notes).
      expect(await listed(admissionId)).toEqual([voided.body]);
      expect(await listed(admissionId, billing)).toEqual([{ ...voided.body, notes: null }]);
      expect(await charges(admissionId)).toEqual([expect.objectContaining({ id: extra.body.chargeId, voidedAt: voided.body.voidedAt, voidedBy: psychiatrist.id, voidReason: 'Recorded twice.' })]);
      expect(await charges(admissionId, '?uninvoiced=true')).toEqual([]);
      const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: DAY(1), periodEnd: DAY(30) }).expect(201);
      expect((draft.body.lines as Json[]).filter((l) => l.kind === 'CHARGE')).toEqual([]);

      // A retry of the first request answers the consult as it is now, and records nothing new.
      const retry = await consult(admissionId, { date: DAY(6), kind: 'ADDITIONAL', notes: 'Crisis review.', idempotencyKey: 'extra-1' }).expect(200);
      expect(retry.body).toEqual(voided.body);
    });

    it('refuses while the charge is on a live invoice (409 CHARGE_INVOICED, nothing changed); after the invoice is voided it goes through', async () => {
      const { admissionId } = await admit();
      const extra = await consult(admissionId, { date: DAY(6), kind: 'ADDITIONAL' }).expect(201);
      const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: DAY(1), periodEnd: DAY(7) }).expect(201);
      await t.http.post(`${API}/invoices/${draft.body.id}/issue`).set(bearer(billing)).expect(200);
      const issued = (await t.http.get(`${API}/invoices/${draft.body.id}`).set(bearer(billing)).expect(200)).body;

      const refused = await voidConsult(extra.body.id);
      expect(refusalOf(refused)).toEqual([409, 'CHARGE_INVOICED', ['id']]);
      expect(refused.body.message).toBe(`Its consult charge is on invoice ${issued.number} (ISSUED): void the invoice first.`);
      expect(await auditOf(refused)).toEqual([]);
      expect(await voidColumns('psych_consults', extra.body.id)).toEqual({ voided: false, voided_by: null, void_reason: null });
      expect(await voidColumns('charges', extra.body.chargeId)).toEqual({ voided: false, voided_by: null, void_reason: null });

      await t.http.post(`${API}/invoices/${draft.body.id}/void`).set(bearer(billing)).send({ reason: 'Redraft without the mistaken consult.' }).expect(200);
      await voidConsult(extra.body.id).expect(200);
      expect(await voidColumns('charges', extra.body.chargeId)).toMatchObject({ voided: true });
    });
  });

  describe('the discharge rule', () => {
    it('a future-dated consult holds the discharge back until it is voided; then the discharge goes through (201)', async () => {
      const { admissionId } = await admit();
      const shift = Date.parse('2027-01-20T10:00:00+07:00') - t.clock.now().getTime();
      t.clock.advance(shift);
      try {
        await consult(admissionId, { date: '2027-01-19', kind: 'ROUTINE' }).expect(201);
        const typo = await consult(admissionId, { date: '2027-12-01', kind: 'ROUTINE' }).expect(201);
        const discharge = () =>
          t.http.post(`${ADMISSIONS}/${admissionId}/discharge`).set(bearer(aftercare))
            .send({ dischargedOn: '2027-01-20', outsidePrescriber: { name: 'Dr. Hannah Weber' }, consentToShare: { given: true, recordedOn: '2027-01-20' } });
        const blocked = await discharge();
        expect(refusalOf(blocked)).toEqual([422, 'DISCHARGE_BEFORE_RECORDS', ['dischargedOn']]);
        expect(blocked.body.message).toMatch(/psychiatric consult dated 2027-12-01/);

        await voidConsult(typo.body.id, 'Typed 2027-12-01 for 2027-01-19.').expect(200);
        await discharge().expect(201);
      } finally {
        t.clock.advance(-shift);
      }
    });

    it('a live consult on the discharge day still allows it, one the day after refuses it (void ones aside)', async () => {
      const { admissionId } = await admit();
      const shift = Date.parse('2027-01-20T10:00:00+07:00') - t.clock.now().getTime();
      t.clock.advance(shift);
      try {
        const discharge = (on: string) =>
          t.http.post(`${ADMISSIONS}/${admissionId}/discharge`).set(bearer(aftercare))
            .send({ dischargedOn: on, outsidePrescriber: { name: 'Dr. Hannah Weber' }, consentToShare: { given: true, recordedOn: on } });
        await consult(admissionId, { date: '2027-01-19', kind: 'ROUTINE' }).expect(201);
        const voidedLater = await consult(admissionId, { date: '2027-01-20', kind: 'ROUTINE' }).expect(201);
        await voidConsult(voidedLater.body.id).expect(200);
        expect(refusalOf(await discharge('2027-01-18'))).toEqual([422, 'DISCHARGE_BEFORE_RECORDS', ['dischargedOn']]);
        await discharge('2027-01-19').expect(201);
      } finally {
        t.clock.advance(-shift);
      }
    });
  });

  describe('refusals', () => {
    it('a void is once (409 ALREADY_VOID); needs a reason (400); unknown is 404; only a psychiatrist voids (403, nothing changed)', async () => {
      const { admissionId } = await admit();
      const one = await consult(admissionId, { date: DAY(3), kind: 'ADDITIONAL' }).expect(201);
      for (const who of [nurse, billing, clerk, aftercare, admin]) {
        const denied = await voidConsult(one.body.id, 'x', who);
        expect(refusalOf(denied)).toEqual([403, 'FORBIDDEN', undefined]);
      }
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: null }, { reason: 'x'.repeat(2001) }]) {
        expect(refusalOf(await t.http.post(`${API}/psychiatric-consults/${one.body.id}/void`).set(bearer(psychiatrist)).send(body))).toEqual([400, 'VALIDATION_FAILED', ['reason']]);
      }
      expect(refusalOf(await voidConsult(MISSING_ID))).toEqual([404, 'NOT_FOUND', undefined]);
      expect(refusalOf(await voidConsult('nope'))).toEqual([400, 'VALIDATION_FAILED', ['id']]);
      await t.http.post(`${API}/psychiatric-consults/${one.body.id}/void`).send({ reason: 'x' }).expect(401);
      expect(await voidColumns('psych_consults', one.body.id)).toEqual({ voided: false, voided_by: null, void_reason: null });
      expect(await voidColumns('charges', one.body.chargeId)).toEqual({ voided: false, voided_by: null, void_reason: null });

      await voidConsult(one.body.id, 'x'.repeat(2000)).expect(200);
      const again = await voidConsult(one.body.id, 'Again.');
      expect(refusalOf(again)).toEqual([409, 'ALREADY_VOID', undefined]);
      expect(await auditOf(again)).toEqual([]);
      expect(await voidColumns('psych_consults', one.body.id)).toEqual({ voided: true, voided_by: psychiatrist.id, void_reason: 'x'.repeat(2000) });
      // The database keeps the three void columns together.
      await expect(t.admin.query('UPDATE psych_consults SET void_reason = NULL WHERE id = $1', [one.body.id])).rejects.toThrow(/psych_consults_void_check/);
    });
  });
});
