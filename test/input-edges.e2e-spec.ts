import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { SAFE_EMAIL_CONSTRAINT } from '../src/common/validation/email.js';
import { SAFE_TEXT_CONSTRAINT } from '../src/common/validation/safe-text.js';
import { admitPatient, assessmentBody, createEnquiry } from './support/intake.js';
import { bearer, createStaff, staffForEveryRole, type StaffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';

/** The edges of every request: media type, JSON as written, text that can lie, dates that contradict each other, caching. */
describe('input at the edges', () => {
  let t: TestApp;
  let staff: StaffForEveryRole;
  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const enquiries = async () => Number((await t.admin.query('SELECT count(*) AS n FROM enquiries')).rows[0].n);
  // Sent as given: superagent would otherwise turn a Buffer into {"type":"Buffer","data":[...]}.
  const postRaw = (route: string, contentType: string, body: string | Buffer) =>
    t.http.post(`${API}${route}`).set(bearer(staff.admissions)).set('content-type', contentType).serialize((raw: unknown) => raw as string).send(body as string);

  describe('bodies are JSON only', () => {
    it.each([
      ['form-encoded', 'application/x-www-form-urlencoded', 'contactName=Form+Body&relationship=SELF'],
      ['plain text', 'text/plain', '{"contactName":"Text Body","relationship":"SELF"}'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="contactName"\r\n\r\nA\r\n--x--'],
      ['JSON in another charset', 'application/json; charset=latin1', '{"contactName":"Latin","relationship":"SELF"}'],
    ])('refuses a %s body with 415 and writes nothing', async (_name, contentType, body) => {
      const before = await enquiries();
      const response = await postRaw('/enquiries', contentType, body).expect(415);
      expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(await enquiries()).toBe(before);
    });

    it('takes application/json, with or without charset=utf-8', async () => {
      await postRaw('/enquiries', 'application/json', '{"contactName":"Plain JSON","relationship":"SELF"}').expect(201);
      await postRaw('/enquiries', 'application/json; charset=utf-8', '{"contactName":"UTF-8 JSON","relationship":"SELF"}').expect(201);
    });

    it('refuses a key given twice, however it is spelled, naming it', async () => {
      const before = await enquiries();
      const twice = await postRaw('/enquiries', 'application/json', '{"contactName":"First","relationship":"SELF","contactName":"Second"}').expect(400);
      expect(twice.body).toMatchObject({ code: 'MALFORMED_REQUEST', details: [{ field: 'contactName', reason: 'is given more than once' }] });
      const escaped = await postRaw('/enquiries', 'application/json', '{"contactName":"First","relationship":"SELF","contact\\u004eame":"Second"}').expect(400);
      expect(escaped.body.details).toEqual([{ field: 'contactName', reason: 'is given more than once' }]);
      expect(await enquiries()).toBe(before);
      // The same key in two different objects is not a duplicate; nested duplicates are named by path.
      const enquiry = await createEnquiry(t, staff.admissions);
      const body = JSON.stringify(assessmentBody()).replace('"givenName":"Mali"', '"givenName":"Mali","givenName":"Other"');
      const nested = await postRaw(`/enquiries/${enquiry.id}/assessment`, 'application/json', body).expect(400);
      expect(nested.body.details).toEqual([{ field: 'patient.givenName', reason: 'is given more than once' }]);
    });

    it('refuses bytes that are not UTF-8 instead of storing U+FFFD', async () => {
      const before = await enquiries();
      const bytes = Buffer.concat([Buffer.from('{"contactName":"Bad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","relationship":"SELF"}')]);
      const response = await postRaw('/enquiries', 'application/json', bytes).expect(400);
      expect(response.body).toMatchObject({ code: 'MALFORMED_REQUEST', details: [{ field: '(body)', reason: 'must be UTF-8 text' }] });
      expect(await enquiries()).toBe(before);
      // Real UTF-8 in any script still goes through.
      await postRaw('/enquiries', 'application/json', Buffer.from('{"contactName":"มาลี ศรีสุข","relationship":"SELF"}', 'utf8')).expect(201);
    });
  });

  describe('names and free text', () => {
    it.each([
      ['a bell', 'Anna\u0007Keller'],
      ['a right-to-left override', 'Anna \u202Erellek'],
      ['a left-to-right isolate', 'Anna \u2066Keller\u2069'],
      ['a line break', 'Anna\nKeller'],
      ['a C1 control', 'Anna\u0085Keller'],
      ['the first tag character', 'Anna\u{E0000}Keller'],
      ['a tag letter (hidden ASCII text)', 'Anna\u{E0041}\u{E0042}Keller'],
      ['the last tag character (cancel tag)', 'Anna\u{E007F}Keller'],
      ['the interlinear annotation anchor', 'Anna\uFFF9Keller'],
      ['the interlinear annotation terminator', 'Anna\uFFFBKeller'],
    ])('refuses %s in a name, naming the field', async (_name, contactName) => {
      const before = await enquiries();
      const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName, relationship: 'SELF' }).expect(400);
      expect(response.body.details).toEqual([{ field: 'contactName', reason: expect.stringContaining('control characters') }]);
      expect(await enquiries()).toBe(before);
    });

    it('lets line breaks and tabs through in notes, never overrides', async () => {
      const ok = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Anna Keller', relationship: 'SELF', summary: 'Line one\nLine two\r\n\tindented' }).expect(201);
      expect(ok.body.summary).toBe('Line one\nLine two\r\n\tindented');
      const bidi = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Anna Keller', relationship: 'SELF', summary: 'dose \u202E01 gm' }).expect(400);
      expect(bidi.body.details).toEqual([{ field: 'summary', reason: expect.stringContaining('bidirectional') }]);
      for (const hidden of ['Line one\n\u{E0069}\u{E0067}\u{E006E}ignore', 'dose \uFFF910 mg\uFFFAreally 100\uFFFB']) {
        const refused = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Anna Keller', relationship: 'SELF', summary: hidden }).expect(400);
        expect(refused.body.details).toEqual([{ field: 'summary', reason: expect.stringContaining('control characters') }]);
      }
    });

    it('takes the characters just beyond the refused ranges: an ideographic variation selector (U+E0100) in a Japanese name', async () => {
      const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: '葛\u{E0100}飾', relationship: 'SELF' }).expect(201);
      expect(response.body.contactName).toBe('葛\u{E0100}飾');
    });

    it('refuses overrides in patient names and in the outside prescriber’s name', async () => {
      const enquiry = await createEnquiry(t, staff.admissions);
      const patient = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(staff.admissions)).send(assessmentBody({ patient: { familyName: 'Sri\u202Esuk' } })).expect(400);
      expect(patient.body.details).toEqual([{ field: 'patient.familyName', reason: expect.any(String) }]);
      const { admissionId } = await admitPatient(t, staff.admissions, assessmentBody(), '2026-01-05');
      const discharge = await t.http
        .post(`${API}/admissions/${admissionId}/discharge`)
        .set(bearer(staff.aftercare))
        .send({ dischargedOn: '2026-02-01', outsidePrescriber: { name: 'Dr. \u202EHannah' }, consentToShare: { given: true, recordedOn: '2026-02-01' } })
        .expect(400);
      expect(discharge.body.details).toEqual([{ field: 'outsidePrescriber.name', reason: expect.any(String) }]);
    });

    it('every free-text field of every request carries the check (or a stricter format), every email the email check', async () => {
      const unchecked = await uncheckedTextFields();
      expect(unchecked).toEqual([]);
    });
  });

  describe('email addresses', () => {
    const hidden: [string, string][] = [
      ['a right-to-left override', 'ab\u202Egro.elpmaxe@x.org'],
      ['a left-to-right isolate', 'ann\u2066a@example.org'],
      ['a zero-width space', 'ann\u200Ba@example.org'],
      ['a zero-width joiner', 'ann\u200Da@example.org'],
      ['a right-to-left mark', 'ann\u200Fa@example.org'],
      ['a Hangul filler', 'anna\u3164@example.org'],
      ['a byte-order mark', 'anna\uFEFF@example.org'],
      ['a soft hyphen', 'an\u00ADna@example.org'],
      ['a bidirectional override in the domain', 'anna@exa\u202Emple.org'],
    ];
    const reason = 'must not contain control, invisible or formatting characters (zero-width, bidirectional) or spaces';

    it.each(hidden)('refuses %s in a caller’s email, naming contactEmail, and writes nothing', async (_name, contactEmail) => {
      const before = await enquiries();
      const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Email Probe', relationship: 'SELF', contactEmail }).expect(400);
      expect(response.body.details).toEqual([{ field: 'contactEmail', reason }]);
      expect(await enquiries()).toBe(before);
    });

    // Outside the range of letters IsEmail takes in a local part: refused as not an email at all.
    it.each([
      ['a tag character', 'anna\u{E0041}@example.org'],
      ['an interlinear annotation', 'anna\uFFF9@example.org'],
      ['a no-break space', 'an\u00A0na@example.org'],
    ])('refuses %s as not an email', async (_name, contactEmail) => {
      const before = await enquiries();
      const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Email Probe', relationship: 'SELF', contactEmail }).expect(400);
      expect(response.body.details).toEqual([{ field: 'contactEmail', reason: 'must be an email' }]);
      expect(await enquiries()).toBe(before);
    });

    it('refuses them in a patient’s, a staff account’s and an outside prescriber’s email too', async () => {
      const rlo = 'john\u202Emoc.liamg@x.org';
      const enquiry = await createEnquiry(t, staff.admissions);
      const patient = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(staff.admissions)).send(assessmentBody({ patient: { email: rlo } })).expect(400);
      expect(patient.body.details).toEqual([{ field: 'patient.email', reason }]);
      const user = await t.http.post(`${API}/users`).set(bearer(staff.admin)).send({ email: 'a\u202Eb@clinic.test', displayName: 'Probe', password: 'Vq8#mLr2!xTe', roles: ['nurse'] }).expect(400);
      expect(user.body.details).toEqual([{ field: 'email', reason }]);
      const { admissionId } = await admitPatient(t, staff.admissions, assessmentBody(), '2026-01-05');
      const discharge = (email: string) =>
        t.http
          .post(`${API}/admissions/${admissionId}/discharge`)
          .set(bearer(staff.aftercare))
          .send({ dischargedOn: '2026-02-01', outsidePrescriber: { name: 'Dr. Lee', email }, consentToShare: { given: true, recordedOn: '2026-02-01' } });
      const refused = await discharge('lee\u202Egro.tsil-kcalb@example.org').expect(400);
      expect(refused.body.details).toEqual([{ field: 'outsidePrescriber.email', reason }]);
      await discharge('lee@example.org').expect(201);
    });

    it('takes plain addresses, letters of any script and accents in the local part, trimmed', async () => {
      for (const contactEmail of ['anna.keller@example.org', 'zoë@example.org', 'มาลี@example.org', '  Anna+clinic@Example.org ']) {
        const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Email Probe', relationship: 'SELF', contactEmail }).expect(201);
        expect(response.body.contactEmail).toBe(contactEmail.trim().toLowerCase());
      }
    });
  });

  describe('null in an optional field', () => {
    it.each([
      ['password', { password: null }],
      ['displayName', { displayName: null }],
      ['roles', { roles: null }],
      ['active', { active: null }],
      ['roles', { displayName: 'Renamed', roles: null }],
    ])('PATCH /users/:id refuses a null %s, naming it: nothing changed, no session ended, no change audited', async (field, body) => {
      const nurse = await createStaff(t, ['nurse']);
      const row = () => t.admin.query('SELECT display_name, roles, active, password_hash FROM users WHERE id = $1', [nurse.id]).then((r) => r.rows[0]);
      const before = await row();
      const response = await t.http.patch(`${API}/users/${nurse.id}`).set(bearer(staff.admin)).send(body).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, reason: 'must not be null' }] });
      expect(await row()).toEqual(before);
      await t.http.get(`${API}/auth/me`).set(bearer(nurse)).expect(200);
      const updates = await t.admin.query(`SELECT 1 FROM audit_events WHERE action = 'UPDATE' AND resource_id = $1 AND outcome = 'SUCCESS'`, [nurse.id]);
      expect(updates.rows).toEqual([]);
      // The old password still signs in and the refresh token still works.
      await t.http.post(`${API}/auth/refresh`).send({ refreshToken: nurse.refreshToken }).expect(200);
      await t.http.post(`${API}/auth/login`).send({ email: nurse.email, password: nurse.password }).expect(200);
    });

    it('PATCH /users/:id with the roles the account already has ends no session and audits no change of roles', async () => {
      const nurse = await createStaff(t, ['nurse', 'aftercare']);
      await t.http.patch(`${API}/users/${nurse.id}`).set(bearer(staff.admin)).send({ roles: ['aftercare', 'nurse'], displayName: 'Same Roles' }).expect(200);
      await t.http.get(`${API}/auth/me`).set(bearer(nurse)).expect(200);
      const audit = await t.admin.query(`SELECT detail FROM audit_events WHERE action = 'UPDATE' AND resource_id = $1`, [nurse.id]);
      expect(audit.rows).toEqual([{ detail: { changed: ['displayName'] } }]);
    });

    it('refuses null where the field may only be left out, in a nested object too, and writes nothing', async () => {
      const before = await enquiries();
      const enquiry = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Null Phone', relationship: 'SELF', contactPhone: null, source: null }).expect(400);
      expect(enquiry.body.details).toEqual([
        { field: 'contactPhone', reason: 'must not be null' },
        { field: 'source', reason: 'must not be null' },
      ]);
      expect(await enquiries()).toBe(before);
      const open = await createEnquiry(t, staff.admissions);
      const assessment = await t.http.post(`${API}/enquiries/${open.id}/assessment`).set(bearer(staff.admissions)).send(assessmentBody({ patient: { sex: null } })).expect(400);
      expect(assessment.body.details).toEqual([{ field: 'patient.sex', reason: 'must not be null' }]);
    });

    it('takes null where the document says nullable, as if the field were left out', async () => {
      const { admissionId } = await admitPatient(t, staff.admissions, assessmentBody({ patient: { familyName: 'Nullable' } }), '2026-01-05');
      const therapy = await t.http.post(`${API}/admissions/${admissionId}/pain-plan/therapies`).set(bearer(staff.psychiatrist)).send({ type: 'CBT', frequency: 'weekly', notes: null }).expect(201);
      expect(therapy.body.notes).toBeNull();
    });
  });

  describe('quantities and names that mean nothing', () => {
    it('takes whole quantities only for the items charged by the piece, naming quantity; a null price is named as such', async () => {
      const { admissionId } = await admitPatient(t, staff.admissions, assessmentBody({ patient: { familyName: 'Pieces' } }), '2026-11-02');
      let key = 0;
      const charge = (body: Record<string, unknown>) =>
        t.http.post(`${API}/admissions/${admissionId}/charges`).set(bearer(staff.billing)).send({ serviceDate: '2026-11-03', idempotencyKey: `piece-${key++}`, ...body });
      const charges = async () => Number((await t.admin.query('SELECT count(*) AS n FROM charges WHERE admission_id = $1', [admissionId])).rows[0].n);
      for (const [itemCode, quantity, price] of [['HOSPITAL_TRANSPORT', 0.001, undefined], ['SPA_MASSAGE', 1.5, undefined], ['FLIGHT', 1.5, 1001], ['HOSPITAL_VISIT', 2.25, 50_000]] as const) {
        const refused = await charge({ itemCode, quantity, unitPriceMinor: price }).expect(400);
        expect(refused.body.details).toEqual([{ field: 'quantity', reason: `must be a whole number for ${itemCode} (counted by the piece)` }]);
      }
      expect(await charges()).toBe(0);
      await charge({ itemCode: 'SPA_MASSAGE', quantity: 2 }).expect(201);
      await charge({ itemCode: 'FLIGHT', quantity: 1, unitPriceMinor: 1_500_000 }).expect(201);
      // Goods bought by weight or volume keep their decimals.
      await charge({ itemCode: 'PERSONAL_ITEMS', quantity: 1.5, unitPriceMinor: 4_000 }).expect(201);
      const nullPrice = await charge({ itemCode: 'FLIGHT', quantity: 1, unitPriceMinor: null }).expect(400);
      expect(nullPrice.body.details).toEqual([{ field: 'unitPriceMinor', reason: 'must not be null' }]);
      expect(await charges()).toBe(3);
    });

    it.each([
      ['a zero-width space', '\u200B'],
      ['zero-width joiners and a direction mark', '\u200D\u200C\u200E'],
      ['a combining mark alone', '\u0301'],
      ['the Hangul filler', '\u3164'],
      ['a word joiner between spaces', ' \u2060 '],
    ])('refuses a name of %s: no visible character', async (_name, contactName) => {
      const before = await enquiries();
      const response = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName, relationship: 'SELF' }).expect(400);
      expect(response.body.details).toEqual([{ field: 'contactName', reason: 'must contain a visible character' }]);
      expect(await enquiries()).toBe(before);
    });

    it('takes names whose invisible characters sit beside visible ones, and scripts written with marks', async () => {
      for (const contactName of ['Anna\u200DKeller', 'ใจดี', 'नमस्ते', 'Zoë']) {
        await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName, relationship: 'SELF' }).expect(201);
      }
      const note = await t.http.post(`${API}/enquiries`).set(bearer(staff.admissions)).send({ contactName: 'Anna', relationship: 'SELF', summary: '\u200B' }).expect(400);
      expect(note.body.details).toEqual([{ field: 'summary', reason: 'must contain a visible character' }]);
    });
  });

  describe('dates checked against each other', () => {
    it('refuses an admission dated before the patient was born', async () => {
      const enquiry = await createEnquiry(t, staff.admissions);
      await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(staff.admissions)).send(assessmentBody({ patient: { dateOfBirth: '1980-05-01', familyName: 'Born1980' }, assessedOn: '2026-01-05' })).expect(201);
      await t.http.post(`${API}/enquiries/${enquiry.id}/triage`).set(bearer(staff.admissions)).expect(201);
      const response = await t.http.post(`${API}/enquiries/${enquiry.id}/admissions`).set(bearer(staff.admissions)).send({ admittedOn: '1900-01-02' }).expect(422);
      expect(response.body).toMatchObject({ code: 'ADMISSION_BEFORE_BIRTH', details: [{ field: 'admittedOn', reason: expect.stringContaining('1980-05-01') }] });
      await t.http.post(`${API}/enquiries/${enquiry.id}/admissions`).set(bearer(staff.admissions)).send({ admittedOn: '2026-01-05' }).expect(201);
    });

    it('refuses a charge or an observation dated outside the stay', async () => {
      const { admissionId } = await admitPatient(t, staff.admissions, assessmentBody({ patient: { familyName: 'Stay' } }), '2026-10-01');
      const charge = (serviceDate: string) =>
        t.http.post(`${API}/admissions/${admissionId}/charges`).set(bearer(staff.billing)).send({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate, idempotencyKey: `edge-${serviceDate}` });
      const early = await charge('2026-09-30').expect(422);
      expect(early.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'serviceDate', reason: 'must not be before 2026-10-01' }] });
      await charge('2026-10-01').expect(201);
      // Travel is paid around the stay: the flight in may be dated before it, within 60 days.
      const flight = (serviceDate: string) =>
        t.http.post(`${API}/admissions/${admissionId}/charges`).set(bearer(staff.billing)).send({ itemCode: 'FLIGHT', quantity: 1, unitPriceMinor: 1_500_000, serviceDate, idempotencyKey: `flight-${serviceDate}` });
      await flight('2026-09-01').expect(201);
      expect((await flight('2026-08-01').expect(422)).body.details).toEqual([{ field: 'serviceDate', reason: 'must not be before 2026-08-02' }]);
      const observe = (recordedAt: string) => t.http.post(`${API}/admissions/${admissionId}/observations`).set(bearer(staff.nurse)).send({ type: 'PAIN', recordedAt, score: 4 });
      const before = await observe('2026-09-30T10:00:00Z').expect(422);
      expect(before.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'recordedAt', reason: 'must not be before 2026-10-01' }] });
      // The clinic's calendar day counts: 18:00 UTC on the eve is already the first day in Bangkok.
      await observe('2026-09-30T18:00:00Z').expect(201);
    });
  });

  describe('caching', () => {
    it('says no-store on every response: data, login, errors, docs', async () => {
      const login = await t.http.post(`${API}/auth/login`).send({ email: staff.nurse.email, password: staff.nurse.password }).expect(200);
      const responses = [
        login,
        await t.http.post(`${API}/auth/login`).send({ email: staff.nurse.email, password: 'wrong password!' }).expect(401),
        await t.http.get(`${API}/enquiries`).set(bearer(staff.admissions)).expect(200),
        await t.http.get(`${API}/health`).expect(200),
        await t.http.get(`${API}/no-such-route`).expect(404),
        await t.http.get(`${API}/enquiries/%zz`).set(bearer(staff.admissions)),
        await postRaw('/enquiries', 'text/plain', 'x').expect(415),
        await t.http.get('/api/docs-json').expect(200),
        await t.http.get('/api/docs').redirects(1),
      ];
      for (const response of responses) expect([response.status, response.headers['cache-control']]).toEqual([response.status, 'no-store']);
    });
  });
});

/** `module.property` of every string field in a request DTO without the safe-text check or a format rule. */
async function uncheckedTextFields(): Promise<string[]> {
  const modules = path.resolve('src/modules');
  const files = readdirSync(modules).flatMap((name) => {
    const dto = path.join(modules, name, 'dto');
    try {
      return readdirSync(dto).filter((file) => file.endsWith('.requests.ts')).map((file) => path.join(dto, file));
    } catch {
      return [];
    }
  });
  // A field checked by format (codes, phones, keys) cannot carry controls; secrets are never displayed.
  // IsEmail is no such format: it lets overrides and zero-width characters through in the local part.
  const formats = new Set(['matches', 'isIn', 'isEnum', 'isUuid', 'isCalendarDate', 'isIso8601']);
  const secrets = new Set(['password', 'currentPassword', 'newPassword', 'refreshToken', 'deviceToken', 'email', 'cursor']);
  const unchecked: string[] = [];
  for (const file of files) {
    const exported = (await import(file)) as Record<string, unknown>;
    for (const target of Object.values(exported).filter((value): value is new () => object => typeof value === 'function')) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
      const byField = new Map<string, Set<string>>();
      for (const rule of rules) {
        const names = byField.get(rule.propertyName) ?? new Set<string>();
        names.add(rule.name ?? rule.type);
        byField.set(rule.propertyName, names);
      }
      for (const [field, names] of byField) {
        if (names.has('isEmail') && !names.has(SAFE_EMAIL_CONSTRAINT)) unchecked.push(`${target.name}.${field} (an email without IsEmailAddress)`);
        if (!names.has('isString') || secrets.has(field)) continue;
        if (!names.has(SAFE_TEXT_CONSTRAINT) && ![...names].some((name) => formats.has(name))) unchecked.push(`${target.name}.${field}`);
      }
    }
  }
  return unchecked.sort();
}
