import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { assessmentBody, createEnquiry } from './support/intake.js';
import { expectInvalid } from './support/responses.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ENQUIRIES = '/api/v1/enquiries';
const MISSING = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Status = 'NEW' | 'ASSESSED' | 'TRIAGED' | 'ADMITTED' | 'REFERRED' | 'DECLINED' | 'CLOSED';
type Action = 'close' | 'refer' | 'decline' | 'assess' | 'triage';

const ids = (response: Response): string[] => response.body.items.map((e: { id: string }) => e.id);

describe('enquiries', () => {
  let t: TestApp;
  let admissions: Staff;
  let psychiatrist: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    admissions = await createStaff(t, ['admissions']);
    psychiatrist = await createStaff(t, ['psychiatrist']);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body?: object, staff: Staff = admissions) => t.http.post(`${ENQUIRIES}${path}`).set(bearer(staff)).send(body);
  const get = (path: string, staff: Staff = admissions) => t.http.get(`${ENQUIRIES}${path}`).set(bearer(staff));
  const act = (action: Action, id: string, staff: Staff = admissions) => {
    switch (action) {
      case 'assess':
        return post(`/${id}/assessment`, assessmentBody({ assessedOn: '2026-01-05' }), staff);
      case 'triage':
        return post(`/${id}/triage`, undefined, staff);
      default:
        return post(`/${id}/${action}`, { reason: `${action}d in a test` }, staff);
    }
  };

  /** A fresh enquiry in `status`, reached through the API. CLOSED is closed after an assessment. */
  async function enquiryIn(status: Status): Promise<string> {
    const { id } = await createEnquiry(t, admissions);
    if (status === 'NEW') return id;
    await act('assess', id).expect(201);
    if (status === 'ASSESSED') return id;
    if (status === 'CLOSED') {
      await act('close', id).expect(200);
      return id;
    }
    await act('triage', id).expect(201);
    if (status === 'TRIAGED') return id;
    if (status === 'ADMITTED') await post(`/${id}/admissions`, { admittedOn: '2026-01-05' }).expect(201);
    if (status === 'REFERRED') await act('refer', id).expect(200);
    if (status === 'DECLINED') await act('decline', id).expect(200);
    return id;
  }

  const statusOf = async (id: string): Promise<Status> => (await get(`/${id}`).expect(200)).body.status;

  describe('create', () => {
    it('records a NEW enquiry with trimmed fields, a lower-cased email, its author and no patient yet', async () => {
      const response = await post('', {
        contactName: '  Anna Keller ',
        contactPhone: ' +66 (81) 555-0101 ',
        contactEmail: ' Anna.Keller@Example.COM ',
        relationship: 'FAMILY',
        source: ' GP referral ',
        summary: '  Husband on oxycodone since spinal surgery.  ',
      }).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        status: 'NEW',
        contactName: 'Anna Keller',
        contactPhone: '+66 (81) 555-0101',
        contactEmail: 'anna.keller@example.com',
        relationship: 'FAMILY',
        source: 'GP referral',
        summary: 'Husband on oxycodone since spinal surgery.',
        patientId: null,
        statusReason: null,
        createdBy: admissions.id,
        createdAt: expect.stringMatching(ISO_INSTANT),
        updatedAt: expect.stringMatching(ISO_INSTANT),
      });
      const again = await get(`/${response.body.id}`).expect(200);
      expect(again.body).toEqual(response.body);
    });

    it('needs only a contact name and a relationship; the rest is null', async () => {
      const response = await post('', { contactName: 'Somchai', relationship: 'SELF' }).expect(201);
      expect(response.body).toMatchObject({ contactName: 'Somchai', relationship: 'SELF', contactPhone: null, contactEmail: null, source: null, summary: null });
    });

    it('accepts a summary of exactly 4000 characters', async () => {
      await post('', { contactName: 'Somchai', relationship: 'PROFESSIONAL', summary: 'x'.repeat(4000) }).expect(201);
    });

    it.each([
      ['a missing contact name', { contactName: undefined }, 'contactName', 'is required'],
      ['a blank contact name', { contactName: '   ' }, 'contactName', 'must be longer than or equal to 1 characters'],
      ['a missing relationship', { relationship: undefined }, 'relationship', 'is required'],
      ['an unknown relationship', { relationship: 'FRIEND' }, 'relationship', 'must be one of the following values: SELF, FAMILY, PROFESSIONAL'],
      ['a phone number with letters', { contactPhone: 'call after 6' }, 'contactPhone', 'must be a phone number (digits, spaces, + ( ) . / -)'],
      ['a bad email', { contactEmail: 'anna@' }, 'contactEmail', 'must be an email'],
      ['an unknown field', { priority: 'urgent' }, 'priority', 'property priority should not exist'],
      ['an over-long summary', { summary: 'x'.repeat(4001) }, 'summary', 'must be shorter than or equal to 4000 characters'],
    ])('refuses %s with a 400 naming the field', async (_, overrides, field, reason) => {
      const response = await post('', { contactName: 'Anna Keller', relationship: 'FAMILY', ...overrides });
      expectInvalid(response, [{ field, reason }]);
    });

    it('lists every bad field at once, and refuses a body that is not an object', async () => {
      const response = await post('', { contactEmail: 'nope', relationship: 'COUSIN' });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          { field: 'contactName', reason: 'is required' },
          { field: 'contactEmail', reason: 'must be an email' },
          { field: 'relationship', reason: 'must be one of the following values: SELF, FAMILY, PROFESSIONAL' },
        ]),
      );
      expect(response.body.details).toHaveLength(3);
      expectInvalid(await post('', [{ contactName: 'Anna', relationship: 'SELF' }]), [{ field: '(body)', reason: 'must be a JSON object' }]);
    });
  });

  describe('roles', () => {
    it.each([['nurse'], ['billing'], ['aftercare'], ['admin']] as const)('%s staff may neither create, read, close, refer nor decline (403)', async (role) => {
      const staff = role === 'admin' ? await signInFirstAdmin(t) : await createStaff(t, [role]);
      const { id } = await createEnquiry(t, admissions);
      for (const response of [
        await post('', { contactName: 'Anna', relationship: 'SELF' }, staff),
        await get('', staff),
        await get(`/${id}`, staff),
        await act('close', id, staff),
        await act('refer', id, staff),
        await act('decline', id, staff),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
      expect(await statusOf(id)).toBe('NEW');
    });

    it('a psychiatrist may read, refer and decline but not create or close (403)', async () => {
      const { id } = await createEnquiry(t, admissions);
      await get('', psychiatrist).expect(200);
      await get(`/${id}`, psychiatrist).expect(200);
      await post('', { contactName: 'Anna', relationship: 'SELF' }, psychiatrist).expect(403);
      await act('close', id, psychiatrist).expect(403);
      const referred = await act('refer', await enquiryIn('TRIAGED'), psychiatrist).expect(200);
      expect(referred.body.status).toBe('REFERRED');
      const declined = await act('decline', await enquiryIn('TRIAGED'), psychiatrist).expect(200);
      expect(declined.body.status).toBe('DECLINED');
    });

    it('without a token every route is a 401', async () => {
      const { id } = await createEnquiry(t, admissions);
      await t.http.post(ENQUIRIES).send({ contactName: 'Anna', relationship: 'SELF' }).expect(401);
      await t.http.get(ENQUIRIES).expect(401);
      await t.http.get(`${ENQUIRIES}/${id}`).expect(401);
      for (const action of ['close', 'refer', 'decline']) await t.http.post(`${ENQUIRIES}/${id}/${action}`).send({ reason: 'x' }).expect(401);
      expect(await statusOf(id)).toBe('NEW');
    });
  });

  describe('read', () => {
    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await get(`/${MISSING}`).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Enquiry not found.' });
      await act('close', MISSING).expect(404);
      expectInvalid(await get('/42'), [{ field: 'id', reason: 'must be a UUID' }]);
      expectInvalid(await act('close', 'not-a-uuid'), [{ field: 'id', reason: 'must be a UUID' }]);
    });

    it('lists newest first', async () => {
      const first = await createEnquiry(t, admissions, { contactName: 'First' });
      const second = await createEnquiry(t, admissions, { contactName: 'Second' });
      const third = await createEnquiry(t, admissions, { contactName: 'Third' });
      const page = await get('?limit=3').expect(200);
      expect(ids(page)).toEqual([third.id, second.id, first.id]);
      expect(page.body.items[0]).toEqual(third);
      expect(page.body.nextCursor).toEqual(expect.any(String));
    });

    it('walks every page with a small limit without gaps or repeats, and ends with a null cursor', async () => {
      for (let i = 0; i < 3; i++) await createEnquiry(t, admissions);
      const all = await t.admin.query('SELECT id FROM enquiries ORDER BY position DESC');
      expect(all.rows.length).toBeGreaterThan(5);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Response = await get('').query({ limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(all.rows.map((row) => row.id));
      expect(pages).toBe(Math.ceil(all.rows.length / 2));
      const everything = await get('').query({ limit: 200 }).expect(200);
      expect(everything.body.nextCursor).toBeNull();
    });

    it('filters by status, also across pages', async () => {
      const closed = [await enquiryIn('CLOSED'), await enquiryIn('CLOSED'), await enquiryIn('CLOSED')];
      const expected = await t.admin.query(`SELECT id FROM enquiries WHERE status = 'CLOSED' ORDER BY position DESC`);
      expect(expected.rows.map((row) => row.id)).toEqual(expect.arrayContaining(closed));
      const seen: { id: string; status: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await get('').query({ status: 'CLOSED', limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((e) => e.id)).toEqual(expected.rows.map((row) => row.id));
      expect(seen.every((e) => e.status === 'CLOSED')).toBe(true);
      const fresh = await get('').query({ status: 'NEW', limit: 200 }).expect(200);
      expect(fresh.body.items.every((e: { status: string }) => e.status === 'NEW')).toBe(true);
      expect(ids(fresh)).not.toEqual(expect.arrayContaining([closed[0]]));
    });

    it.each([
      [{ status: 'OPEN' }, 'status', 'must be one of the following values: NEW, ASSESSED, TRIAGED, ADMITTED, REFERRED, DECLINED, CLOSED'],
      [{ limit: 0 }, 'limit', 'must not be less than 1'],
      [{ limit: 201 }, 'limit', 'must not be greater than 200'],
      [{ limit: 'ten' }, 'limit', 'must be an integer number'],
      [{ cursor: 'abc' }, 'cursor', 'is not a cursor returned by this list'],
      [{ cursor: Buffer.from('["1; DROP TABLE enquiries"]').toString('base64url') }, 'cursor', 'is not a cursor returned by this list'],
      [{ cursor: Buffer.from('[-1]').toString('base64url') }, 'cursor', 'is not a cursor returned by this list'],
      [{ sort: 'name' }, 'sort', 'property sort should not exist'],
    ])('refuses the list query %j with a 400 naming the parameter', async (query, field, reason) => {
      expectInvalid(await get('').query(query), [{ field, reason }]);
    });
  });

  describe('state machine', () => {
    it('follows NEW → ASSESSED → (re-assessed) ASSESSED → TRIAGED → (re-assessed, triaged again) TRIAGED → ADMITTED', async () => {
      const { id } = await createEnquiry(t, admissions);
      const assessed = await act('assess', id).expect(201);
      expect(await get(`/${id}`).expect(200)).toMatchObject({ body: { status: 'ASSESSED', patientId: assessed.body.patientId } });
      await act('assess', id).expect(201);
      expect(await statusOf(id)).toBe('ASSESSED');
      await act('triage', id).expect(201);
      expect(await statusOf(id)).toBe('TRIAGED');
      // Something missed comes to light after triage: a new version, and the rules decide again.
      await act('assess', id).expect(201);
      expect(await statusOf(id)).toBe('ASSESSED');
      await act('triage', id).expect(201);
      await post(`/${id}/admissions`, { admittedOn: '2026-01-05' }).expect(201);
      const admitted = await get(`/${id}`).expect(200);
      expect(admitted.body).toMatchObject({ status: 'ADMITTED', statusReason: null, patientId: assessed.body.patientId });
    });

    it.each([
      ['NEW', 'CLOSED', 'close'],
      ['ASSESSED', 'CLOSED', 'close'],
      ['TRIAGED', 'CLOSED', 'close'],
      ['TRIAGED', 'REFERRED', 'refer'],
      ['TRIAGED', 'DECLINED', 'decline'],
    ] as const)('%s → %s by /%s, with the trimmed reason on record', async (from, to, action) => {
      const id = await enquiryIn(from);
      const response = await post(`/${id}/${action}`, { reason: '  Family chose a clinic nearer home.  ' }).expect(200);
      expect(response.body).toMatchObject({ id, status: to, statusReason: 'Family chose a clinic nearer home.' });
      expect((await get(`/${id}`).expect(200)).body).toEqual(response.body);
    });

    it.each([
      ['NEW', 'refer', 'INVALID_TRANSITION'],
      ['NEW', 'decline', 'INVALID_TRANSITION'],
      ['NEW', 'triage', 'ASSESSMENT_REQUIRED'],
      ['ASSESSED', 'refer', 'INVALID_TRANSITION'],
      ['ASSESSED', 'decline', 'INVALID_TRANSITION'],
      ['TRIAGED', 'triage', 'INVALID_TRANSITION'],
      ...(['ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED'] as const).flatMap((from) =>
        (['close', 'refer', 'decline', 'assess', 'triage'] as const).map((action) => [from, action, 'INVALID_TRANSITION'] as const),
      ),
    ] as const)('%s: %s is refused with 409 %s and the enquiry stays as it was', async (from, action, code) => {
      const id = await enquiryIn(from);
      const before = (await get(`/${id}`).expect(200)).body;
      const response = await act(action, id).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code });
      const after = (await get(`/${id}`).expect(200)).body;
      expect(after).toEqual(before);
    });

    it('names both states when it refuses a transition', async () => {
      const id = await enquiryIn('CLOSED');
      const response = await act('close', id).expect(409);
      expect(response.body.message).toBe('An enquiry that is CLOSED cannot become CLOSED.');
    });

    it.each([
      ['no reason', {}, 'is required'],
      ['a blank reason', { reason: '   ' }, 'must be longer than or equal to 1 characters'],
      ['a number', { reason: 42 }, 'must be a string'],
      ['1001 characters', { reason: 'x'.repeat(1001) }, 'must be shorter than or equal to 1000 characters'],
    ])('closing needs a reason: %s is a 400 and the enquiry stays NEW', async (_, body, reason) => {
      const { id } = await createEnquiry(t, admissions);
      expectInvalid(await post(`/${id}/close`, body), [{ field: 'reason', reason }]);
      expect(await statusOf(id)).toBe('NEW');
    });

    it('refer and decline need a reason too', async () => {
      const id = await enquiryIn('TRIAGED');
      expectInvalid(await post(`/${id}/refer`, {}), [{ field: 'reason', reason: 'is required' }]);
      expectInvalid(await post(`/${id}/decline`, { reason: '' }), [{ field: 'reason', reason: 'must be longer than or equal to 1 characters' }]);
      expect(await statusOf(id)).toBe('TRIAGED');
    });

    it('of two simultaneous closes exactly one wins and the other gets 409', async () => {
      const { id } = await createEnquiry(t, admissions);
      const responses = await Promise.all([
        post(`/${id}/close`, { reason: 'first click' }),
        post(`/${id}/close`, { reason: 'second click' }),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = responses.find((r) => r.status === 409)!;
      expect(loser.body.code).toBe('INVALID_TRANSITION');
      const winner = responses.find((r) => r.status === 200)!;
      expect((await get(`/${id}`).expect(200)).body.statusReason).toBe(winner.body.statusReason);
      const updates = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'UPDATE' AND resource = 'enquiry' AND resource_id = $1`, [id]);
      expect(updates.rows[0].n).toBe(1);
    });

    it('of a close and a refer at the same moment on a triaged enquiry exactly one wins', async () => {
      const id = await enquiryIn('TRIAGED');
      const responses = await Promise.all([act('close', id), act('refer', id, psychiatrist)]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = responses.find((r) => r.status === 200)!;
      expect(await statusOf(id)).toBe(winner.body.status);
    });
  });

  describe('audit', () => {
    const auditOf = async (where: string, params: unknown[]) =>
      (await t.admin.query(`SELECT action, resource, resource_id, actor_id, patient_id, detail FROM audit_events WHERE ${where} ORDER BY seq`, params)).rows;

    it('records the creation, each read and the close with the actor, and the patient once assessed', async () => {
      const { id } = await createEnquiry(t, admissions);
      await get(`/${id}`, psychiatrist).expect(200);
      const assessment = await act('assess', id).expect(201);
      const patientId = assessment.body.patientId as string;
      await get(`/${id}`).expect(200);
      await act('close', id).expect(200);
      expect(await auditOf(`resource = 'enquiry' AND resource_id = $1`, [id])).toEqual([
        { action: 'CREATE', resource: 'enquiry', resource_id: id, actor_id: admissions.id, patient_id: null, detail: null },
        { action: 'READ', resource: 'enquiry', resource_id: id, actor_id: psychiatrist.id, patient_id: null, detail: null },
        { action: 'READ', resource: 'enquiry', resource_id: id, actor_id: admissions.id, patient_id: patientId, detail: null },
        { action: 'UPDATE', resource: 'enquiry', resource_id: id, actor_id: admissions.id, patient_id: patientId, detail: { from: 'ASSESSED', to: 'CLOSED' } },
      ]);
    });

    it('writes nothing for a refused transition or an invalid request', async () => {
      const id = await enquiryIn('CLOSED');
      const before = await auditOf(`resource = 'enquiry' AND resource_id = $1 AND action <> 'READ'`, [id]);
      await act('close', id).expect(409);
      await post(`/${id}/close`, {}).expect(400);
      expect(await auditOf(`resource = 'enquiry' AND resource_id = $1 AND action <> 'READ'`, [id])).toEqual(before);
    });

    it('a list read writes one READ row per distinct patient on the page', async () => {
      const first = await createEnquiry(t, admissions);
      const firstPatient = (await act('assess', first.id).expect(201)).body.patientId as string;
      const returning = await createEnquiry(t, admissions);
      await post(`/${returning.id}/assessment`, assessmentBody({ patientId: firstPatient })).expect(201);
      const other = await createEnquiry(t, admissions);
      const otherPatient = (await act('assess', other.id).expect(201)).body.patientId as string;
      await createEnquiry(t, admissions);

      const page = await get('?limit=4', psychiatrist).expect(200);
      expect(page.body.items.map((e: { patientId: string | null }) => e.patientId)).toEqual([null, otherPatient, firstPatient, firstPatient]);
      const rows = await auditOf(`correlation_id = $1`, [page.headers['x-correlation-id']]);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r.patient_id).sort()).toEqual([firstPatient, otherPatient].sort());
      for (const row of rows) expect(row).toMatchObject({ action: 'READ', resource: 'enquiry', resource_id: null, actor_id: psychiatrist.id, detail: { count: 4 } });
    });

    it('a list page without patients still leaves one READ row', async () => {
      await createEnquiry(t, admissions);
      const page = await get('?limit=1').expect(200);
      const rows = await auditOf(`correlation_id = $1`, [page.headers['x-correlation-id']]);
      expect(rows).toEqual([{ action: 'READ', resource: 'enquiry', resource_id: null, actor_id: admissions.id, patient_id: null, detail: { count: 1 } }]);
    });
  });
});
