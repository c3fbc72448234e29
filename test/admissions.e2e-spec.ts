import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient, assessmentBody, createEnquiry } from './support/intake.js';
import { bearer, type Staff, staffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;

/** Cardiac disease: the rules send this patient to the partner hospital first. */
const hospitalBody = () => assessmentBody({ medical: { cardiacDisease: true } });
/** Pain 6 and 45 MME/day of IR oxycodone with a willing prescriber: the rules send this patient home. */
const outpatientBody = () => assessmentBody({ pain: { score: 6 } });

describe('admissions', () => {
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

  /** A new enquiry, assessed (optionally for a returning patient) but not triaged. */
  async function assessed(body: Json = assessmentBody()): Promise<{ enquiryId: string; patientId: string }> {
    const enquiry = await createEnquiry(t, clerk);
    const assessment = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(clerk)).send(body).expect(201);
    return { enquiryId: enquiry.id, patientId: assessment.body.patientId as string };
  }

  /** A new enquiry, assessed and triaged by the rules. */
  async function triaged(body: Json = assessmentBody()): Promise<{ enquiryId: string; patientId: string; decisionId: string; pathway: string }> {
    const { enquiryId, patientId } = await assessed(body);
    const decision = await t.http.post(`${API}/enquiries/${enquiryId}/triage`).set(bearer(clerk)).expect(201);
    return { enquiryId, patientId, decisionId: decision.body.id as string, pathway: decision.body.pathway as string };
  }

  const admit = (enquiryId: string, body: Json = { admittedOn: '2027-01-04' }, as: Staff = clerk) =>
    t.http.post(`${API}/enquiries/${enquiryId}/admissions`).set(bearer(as)).send(body);

  const enquiryStatus = async (enquiryId: string): Promise<string> =>
    (await t.http.get(`${API}/enquiries/${enquiryId}`).set(bearer(clerk)).expect(200)).body.status;

  const activeAdmissionsOf = async (patientId: string): Promise<number> =>
    (await t.admin.query(`SELECT count(*)::int AS n FROM admissions WHERE patient_id = $1 AND status = 'ACTIVE'`, [patientId])).rows[0].n;

  /** Waits until some session of this database waits for a row or index lock. */
  async function untilBlocked(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const waiting = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (waiting.rows[0].n > 0) return;
      await sleep(10);
    }
    throw new Error('No request ever waited for a lock');
  }

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  describe('admit', () => {
    it('admits an on-site taper patient: not via the partner hospital by default, enquiry ADMITTED, audited', async () => {
      const { enquiryId, patientId, decisionId, pathway } = await triaged();
      expect(pathway).toBe('ONSITE_TAPER');
      const response = await admit(enquiryId).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        patientId,
        hn: expect.stringMatching(/^HN-\d{6}$/),
        enquiryId,
        admittedOn: '2027-01-04',
        status: 'ACTIVE',
        // As GET /admissions/:id has it: the document requires the field.
        dischargedOn: null,
        viaPartnerHospital: false,
        pathway: 'ONSITE_TAPER',
        triageDecisionId: decisionId,
        patient: { givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', sex: 'female' },
        createdBy: clerk.id,
        createdAt: expect.any(String),
      });
      expect(await enquiryStatus(enquiryId)).toBe('ADMITTED');
      expect(await auditOf(response)).toEqual([
        { actor_id: clerk.id, action: 'CREATE', resource: 'admission', resource_id: response.body.id, patient_id: patientId },
      ]);
    });

    it('admits a hospital-first patient as arriving via the partner hospital by default', async () => {
      const { enquiryId, pathway } = await triaged(hospitalBody());
      expect(pathway).toBe('HOSPITAL_DETOX_FIRST');
      const response = await admit(enquiryId).expect(201);
      expect(response.body).toMatchObject({ pathway: 'HOSPITAL_DETOX_FIRST', viaPartnerHospital: true });
    });

    it.each([
      ['an on-site', assessmentBody, true],
      ['a hospital-first', hospitalBody, false],
    ])('keeps an explicit viaPartnerHospital for %s patient', async (_, body, viaPartnerHospital) => {
      const { enquiryId } = await triaged(body());
      const response = await admit(enquiryId, { admittedOn: '2027-01-04', viaPartnerHospital }).expect(201);
      expect(response.body.viaPartnerHospital).toBe(viaPartnerHospital);
      const stored = await t.admin.query('SELECT via_partner_hospital FROM admissions WHERE id = $1', [response.body.id]);
      expect(stored.rows[0].via_partner_hospital).toBe(viaPartnerHospital);
    });

    it('an admitted enquiry cannot be admitted again nor closed (409)', async () => {
      const { enquiryId, patientId } = await triaged();
      await admit(enquiryId).expect(201);
      const again = await admit(enquiryId, { admittedOn: '2027-01-05' }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'INVALID_TRANSITION' });
      const close = await t.http.post(`${API}/enquiries/${enquiryId}/close`).set(bearer(clerk)).send({ reason: 'Changed her mind.' }).expect(409);
      expect(close.body.code).toBe('INVALID_TRANSITION');
      expect(await enquiryStatus(enquiryId)).toBe('ADMITTED');
      expect(await activeAdmissionsOf(patientId)).toBe(1);
    });

    it('lets exactly one of ten simultaneous admissions of one enquiry win', async () => {
      const { enquiryId, patientId } = await triaged();
      const statuses = await Promise.all(Array.from({ length: 10 }, () => admit(enquiryId).then((r) => r.status)));
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(9);
      expect(await activeAdmissionsOf(patientId)).toBe(1);
    });

    it('needs a triage decision (409 TRIAGE_REQUIRED)', async () => {
      const { enquiryId } = await assessed();
      const response = await admit(enquiryId).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'TRIAGE_REQUIRED' });
      const fresh = await createEnquiry(t, clerk);
      expect((await admit(fresh.id).expect(409)).body.code).toBe('TRIAGE_REQUIRED');
      expect(await enquiryStatus(enquiryId)).toBe('ASSESSED');
    });

    it('refuses a closed enquiry (409 INVALID_TRANSITION)', async () => {
      const { enquiryId, patientId } = await triaged();
      await t.http.post(`${API}/enquiries/${enquiryId}/close`).set(bearer(clerk)).send({ reason: 'Family chose a clinic nearer home.' }).expect(200);
      expect((await admit(enquiryId).expect(409)).body.code).toBe('INVALID_TRANSITION');
      expect(await activeAdmissionsOf(patientId)).toBe(0);
    });

    it('refuses an outpatient pathway (409 PATHWAY_NOT_RESIDENTIAL) and leaves the enquiry TRIAGED', async () => {
      const { enquiryId, patientId, pathway } = await triaged(outpatientBody());
      expect(pathway).toBe('OUTPATIENT_TAPER');
      const response = await admit(enquiryId).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'PATHWAY_NOT_RESIDENTIAL' });
      expect(await enquiryStatus(enquiryId)).toBe('TRIAGED');
      expect(await activeAdmissionsOf(patientId)).toBe(0);
    });

    it('refuses a second active admission of a returning patient (409 ALREADY_ADMITTED)', async () => {
      const first = await admitPatient(t, clerk);
      const second = await triaged({ ...assessmentBody(), patientId: first.patientId });
      expect(second.patientId).toBe(first.patientId);
      const response = await admit(second.enquiryId).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'ALREADY_ADMITTED' });
      expect(await enquiryStatus(second.enquiryId)).toBe('TRIAGED');
      expect(await activeAdmissionsOf(first.patientId)).toBe(1);
    });

    it('admits a returning patient again from the day after the earlier stay ended, never into it (422 OVERLAPS_PREVIOUS_STAY)', async () => {
      const first = await admitPatient(t, clerk);
      await t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = '2027-01-20' WHERE id = $1`, [first.admissionId]);
      const second = await triaged({ ...assessmentBody(), patientId: first.patientId });
      // On the discharge day or inside the stay, the same days would be charged twice.
      for (const admittedOn of ['2027-01-20', '2027-01-10', '2027-01-03']) {
        const refused = await admit(second.enquiryId, { admittedOn }).expect(422);
        expect(refused.body).toMatchObject({ code: 'OVERLAPS_PREVIOUS_STAY', details: [{ field: 'admittedOn', reason: "must be after the previous stay's discharge (2027-01-20)" }] });
      }
      expect(await enquiryStatus(second.enquiryId)).toBe('TRIAGED');
      const response = await admit(second.enquiryId, { admittedOn: '2027-01-21' }).expect(201);
      expect(response.body.patientId).toBe(first.patientId);
    });

    it('admits on or after the day of the intake assessment, not before it (422 ADMISSION_BEFORE_ASSESSMENT)', async () => {
      const { enquiryId, patientId } = await triaged(assessmentBody({ assessedOn: '2026-11-10' }));
      const refused = await admit(enquiryId, { admittedOn: '2026-11-09' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'ADMISSION_BEFORE_ASSESSMENT', details: [{ field: 'admittedOn', reason: 'must not be before the intake assessment (2026-11-10)' }] });
      expect(await activeAdmissionsOf(patientId)).toBe(0);
      await admit(enquiryId, { admittedOn: '2026-11-10' }).expect(201);
    });

    it('lets exactly one of two enquiries of one patient admitted at the same moment win', async () => {
      const first = await triaged();
      const second = await triaged({ ...assessmentBody(), patientId: first.patientId });
      const enquiries = [first.enquiryId, second.enquiryId];
      const responses = await Promise.all(enquiries.map((id) => admit(id)));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const lost = responses.findIndex((r) => r.status === 409);
      expect(responses[lost]!.body.code).toBe('ALREADY_ADMITTED');
      expect(await activeAdmissionsOf(first.patientId)).toBe(1);
      expect(await enquiryStatus(enquiries[lost]!)).toBe('TRIAGED');
      expect(await enquiryStatus(enquiries[1 - lost]!)).toBe('ADMITTED');
    });

    it('answers ALREADY_ADMITTED when the other admission commits after this one checked (the database settles it)', async () => {
      const first = await triaged();
      const second = await triaged({ ...assessmentBody(), patientId: first.patientId });
      const other = await t.admin.connect();
      try {
        // Another admission of the same patient, written but not yet committed: the app's check cannot see it.
        await other.query('BEGIN');
        await other.query(
          `INSERT INTO admissions (patient_id, enquiry_id, triage_decision_id, pathway, admitted_on, via_partner_hospital, created_by)
           VALUES ($1, $2, $3, 'ONSITE_TAPER', '2027-01-04', false, $4)`,
          [first.patientId, first.enquiryId, first.decisionId, clerk.id],
        );
        const pending = admit(second.enquiryId).then((response) => response);
        await untilBlocked();
        await other.query('COMMIT');
        const response = await pending;
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('ALREADY_ADMITTED');
      } finally {
        other.release();
      }
      expect(await enquiryStatus(second.enquiryId)).toBe('TRIAGED');
      expect(await activeAdmissionsOf(first.patientId)).toBe(1);
    });

    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['a date that does not exist', { admittedOn: '2027-02-30' }, [{ field: 'admittedOn', reason: 'must be a real date written YYYY-MM-DD' }]],
      ['a date in another format', { admittedOn: '04/01/2027' }, [{ field: 'admittedOn', reason: 'must be a real date written YYYY-MM-DD' }]],
      ['a timestamp', { admittedOn: '2027-01-04T08:00:00Z' }, [{ field: 'admittedOn', reason: 'must be a real date written YYYY-MM-DD' }]],
      ['no date', {}, [{ field: 'admittedOn', reason: 'is required' }]],
      ['viaPartnerHospital as text', { admittedOn: '2027-01-04', viaPartnerHospital: 'yes' }, [{ field: 'viaPartnerHospital', reason: 'must be a boolean value' }]],
      ['an unknown field', { admittedOn: '2027-01-04', ward: 'B' }, [{ field: 'ward', reason: 'property ward should not exist' }]],
    ])('refuses %s (400, naming the field) and admits no one', async (_, body, details) => {
      const { enquiryId, patientId } = await triaged();
      const response = await admit(enquiryId, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect(await enquiryStatus(enquiryId)).toBe('TRIAGED');
      expect(await activeAdmissionsOf(patientId)).toBe(0);
    });

    it.each([
      ['in the past (entered after the fact)', '2019-06-01'],
      ['in the future (planned ahead)', '2031-12-31'],
    ])('accepts an admission date %s', async (_, admittedOn) => {
      const { enquiryId } = await triaged(assessmentBody({ assessedOn: admittedOn < '2026-12-01' ? admittedOn : undefined }));
      const response = await admit(enquiryId, { admittedOn }).expect(201);
      expect(response.body.admittedOn).toBe(admittedOn);
    });

    it('answers 404 for an unknown enquiry and 400 for a malformed id', async () => {
      expect((await admit(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await admit('123').expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });

    it('is done by admissions staff only', async () => {
      const { enquiryId, patientId } = await triaged();
      for (const who of [nurse, psychiatrist, admin, billing, aftercare]) await admit(enquiryId, { admittedOn: '2027-01-04' }, who).expect(403);
      await t.http.post(`${API}/enquiries/${enquiryId}/admissions`).send({ admittedOn: '2027-01-04' }).expect(401);
      expect(await activeAdmissionsOf(patientId)).toBe(0);
    });
  });

  describe('read', () => {
    const list = async (query: Json = {}, as: Staff = nurse) => (await t.http.get(ADMISSIONS).query(query).set(bearer(as)).expect(200)).body;

    it('reads one admission, audited with the patient id', async () => {
      const { admissionId, patientId, enquiryId } = await admitPatient(t, clerk, hospitalBody(), '2027-03-01');
      const response = await t.http.get(`${ADMISSIONS}/${admissionId}`).set(bearer(nurse)).expect(200);
      expect(response.body).toMatchObject({ id: admissionId, patientId, enquiryId, admittedOn: '2027-03-01', status: 'ACTIVE', pathway: 'HOSPITAL_DETOX_FIRST', viaPartnerHospital: true });
      expect(response.body.patient).toEqual({ givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', sex: 'female' });
      expect(await auditOf(response)).toEqual([{ actor_id: nurse.id, action: 'READ', resource: 'admission', resource_id: admissionId, patient_id: patientId }]);
    });

    it('lists newest first, filters by status and audits one read per patient on the page', async () => {
      const admitted = [];
      for (let i = 0; i < 3; i++) admitted.push(await admitPatient(t, clerk));
      await t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = admitted_on WHERE id = $1`, [admitted[1]!.admissionId]);

      const response = await t.http.get(ADMISSIONS).query({ limit: 200 }).set(bearer(nurse)).expect(200);
      const ids = response.body.items.map((a: { id: string }) => a.id);
      const newestFirst = [...admitted].reverse().map((a) => a.admissionId);
      expect(ids.slice(0, 3)).toEqual(newestFirst);
      expect(response.body.nextCursor).toBeNull();
      const audited = await auditOf(response);
      expect(audited.map((row) => row.patient_id).sort()).toEqual([...new Set(response.body.items.map((a: { patientId: string }) => a.patientId))].sort());
      expect(audited.every((row) => row.action === 'READ' && row.resource === 'admission' && row.actor_id === nurse.id)).toBe(true);

      const active = await list({ status: 'ACTIVE', limit: 200 });
      expect(active.items.every((a: { status: string }) => a.status === 'ACTIVE')).toBe(true);
      expect(active.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([admitted[0]!.admissionId, admitted[2]!.admissionId]));
      expect(active.items.map((a: { id: string }) => a.id)).not.toContain(admitted[1]!.admissionId);
      const discharged = await list({ status: 'DISCHARGED', limit: 200 });
      expect(discharged.items.map((a: { id: string }) => a.id)).toContain(admitted[1]!.admissionId);
      expect(discharged.items.every((a: { status: string }) => a.status === 'DISCHARGED')).toBe(true);
    });

    it('pages through every admission without gaps or repeats', async () => {
      for (let i = 0; i < 3; i++) await admitPatient(t, clerk);
      const all = await t.admin.query('SELECT id FROM admissions ORDER BY position DESC');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((a: { id: string }) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.rows.map((row) => row.id));

      const activeIds = await t.admin.query(`SELECT id FROM admissions WHERE status = 'ACTIVE' ORDER BY position DESC`);
      const firstPage = await list({ status: 'ACTIVE', limit: 2 });
      const secondPage = await list({ status: 'ACTIVE', limit: 2, cursor: firstPage.nextCursor });
      expect([...firstPage.items, ...secondPage.items].map((a: { id: string }) => a.id)).toEqual(activeIds.rows.slice(0, 4).map((row) => row.id));
    });

    it('answers 404 for an unknown admission and 400 for a malformed id or list query', async () => {
      expect((await t.http.get(`${ADMISSIONS}/${MISSING_ID}`).set(bearer(nurse)).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.http.get(`${ADMISSIONS}/nope`).set(bearer(nurse)).expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
      const badStatus = await t.http.get(ADMISSIONS).query({ status: 'GONE' }).set(bearer(nurse)).expect(400);
      expect(badStatus.body.details).toEqual([{ field: 'status', reason: 'must be one of the following values: ACTIVE, DISCHARGED' }]);
      const badLimit = await t.http.get(ADMISSIONS).query({ limit: 500 }).set(bearer(nurse)).expect(400);
      expect(badLimit.body.details).toEqual([{ field: 'limit', reason: 'must not be greater than 200' }]);
      const badCursor = await t.http.get(ADMISSIONS).query({ cursor: 'abc' }).set(bearer(nurse)).expect(400);
      expect(badCursor.body.details).toEqual([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
    });

    it('is readable by admissions, psychiatrist, nurse, billing and aftercare, not by an admin', async () => {
      const { admissionId } = await admitPatient(t, clerk);
      for (const who of [clerk, psychiatrist, nurse, billing, aftercare]) {
        await t.http.get(`${ADMISSIONS}/${admissionId}`).set(bearer(who)).expect(200);
        await t.http.get(ADMISSIONS).set(bearer(who)).expect(200);
      }
      await t.http.get(`${ADMISSIONS}/${admissionId}`).set(bearer(admin)).expect(403);
      await t.http.get(ADMISSIONS).set(bearer(admin)).expect(403);
      await t.http.get(ADMISSIONS).expect(401);
    });
  });
});
