import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { HospitalNumbers1796652260078 } from '../migrations/1796652260078-hospital-numbers.js';
import { PatientSearch1796652320000 } from '../migrations/1796652320000-patient-search.js';
import { PhoneSearchPrefixes1796694600000 } from '../migrations/1796694600000-phone-search-prefixes.js';
import { encodeCursor } from '../src/common/pagination/cursor.js';
import { searchPhoneDigits } from '../src/common/search/phone-digits.js';
import { positionalParams, searchSql } from '../src/common/search/search-sql.js';
import { searchTerms } from '../src/common/search/search-terms.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { patientSearchStatement } from '../src/modules/patients/patient-search.js';
import { assessmentBody, createEnquiry } from './support/intake.js';
import { expectInvalid } from './support/responses.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, staffForEveryRole, type Staff, type StaffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * Patients and their hospital numbers; finding patients and enquiries (domain.md §12, api.md v1.1):
 * any part of a name in any script, case and accents ignored; phone digits in any formatting; an
 * email; an HN. Best matches first, paged, audited without the search text.
 */
const API = '/api/v1';
const HN = /^HN-\d{6,}$/;

type Json = Record<string, unknown>;

interface Person {
  givenName: string;
  familyName: string;
  phone?: string;
  email?: string;
}

interface Created {
  enquiryId: string;
  patientId: string;
  hn: string;
}

describe('patients: hospital numbers, records and search', () => {
  let t: TestApp;
  let staff: StaffForEveryRole;
  let admissions: Staff;
  const people: Record<string, Created> = {};

  /** A patient created as the clinic creates them: an enquiry, then its first assessment. */
  async function newPatient(person: Person, dateOfBirth = '1971-03-09'): Promise<Created> {
    const enquiry = await createEnquiry(t, admissions, { contactName: `${person.givenName} ${person.familyName}` });
    const response = await t.http
      .post(`${API}/enquiries/${enquiry.id}/assessment`)
      .set(bearer(admissions))
      .send(assessmentBody({ patient: { ...person, dateOfBirth, sex: 'unknown' } }))
      .expect(201);
    return { enquiryId: enquiry.id, patientId: response.body.patientId as string, hn: response.body.hn as string };
  }

  const search = (q: string, as: Staff = admissions, query: Json = {}) => t.http.get(`${API}/patients`).query({ q, ...query }).set(bearer(as));
  const names = (response: Response): string[] => response.body.items.map((p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`);
  const found = async (q: string): Promise<string[]> => names(await search(q).expect(200));

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
    admissions = staff.admissions;
    const everyone: Record<string, Person> = {
      somchai: { givenName: 'Somchai', familyName: 'Jaidee', phone: '081-234-5678' },
      thai: { givenName: 'สมชาย', familyName: 'ใจดี', phone: '+66 89 765 4321', email: 'Somchai.J@Example.org' },
      zoe: { givenName: 'Zoë', familyName: 'Müller-Lüdenscheidt', email: 'zoe@example.org' },
      chinese: { givenName: '秀英', familyName: '王' },
      russian: { givenName: 'Ольга', familyName: 'Иванова' },
      jose: { givenName: 'José', familyName: 'García' },
      sara: { givenName: 'Sara', familyName: 'Somchaiyo' },
    };
    for (const [key, person] of Object.entries(everyone)) people[key] = await newPatient(person);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  describe('hospital number', () => {
    it('is given when the first assessment creates the patient: HN-000123 style, unique, in order of creation', async () => {
      const hns = Object.values(people).map((p) => p.hn);
      for (const hn of hns) expect(hn).toMatch(HN);
      expect(new Set(hns).size).toBe(hns.length);
      const numbers = hns.map((hn) => Number(hn.slice(3)));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    });

    it('stays with the patient through later assessments, and the database refuses to set one by hand', async () => {
      const { enquiryId, patientId, hn } = people.somchai!;
      const again = await t.http.post(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient: { givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09' } })).expect(201);
      expect(again.body).toMatchObject({ patientId, hn, version: 2 });
      const read = await t.http.get(`${API}/assessments/${again.body.id}`).set(bearer(admissions)).expect(200);
      expect(read.body.hn).toBe(hn);
      await expect(t.admin.query(`UPDATE patients SET hn = 999999 WHERE id = $1`, [patientId])).rejects.toMatchObject({ message: expect.stringMatching(/column "hn" can only be updated to DEFAULT/) });
    });

    it('is on the admission, the nurses’ list and the patient’s record', async () => {
      const { enquiryId, patientId, hn } = await newPatient({ givenName: 'Kanya', familyName: 'Wongsa' });
      await t.http.post(`${API}/enquiries/${enquiryId}/triage`).set(bearer(admissions)).expect(201);
      const admission = await t.http.post(`${API}/enquiries/${enquiryId}/admissions`).set(bearer(admissions)).send({ admittedOn: '2027-01-04' }).expect(201);
      expect(admission.body).toMatchObject({ patientId, hn });
      const listed = await t.http.get(`${API}/admissions`).set(bearer(staff.nurse)).expect(200);
      expect(listed.body.items.find((a: { id: string }) => a.id === admission.body.id)).toMatchObject({ hn });
      const record = await t.http.get(`${API}/patients/${patientId}`).set(bearer(staff.nurse)).expect(200);
      expect(record.body).toEqual({
        id: patientId,
        hn,
        givenName: 'Kanya',
        familyName: 'Wongsa',
        dateOfBirth: '1971-03-09',
        sex: 'unknown',
        phone: null,
        email: null,
        admissions: [{ id: admission.body.id, admittedOn: '2027-01-04', status: 'ACTIVE' }],
      });
    });
  });

  describe('a patient’s record', () => {
    it('keeps the phone and email given at the assessment (email in lower case), and a later version without them keeps them', async () => {
      const { enquiryId, patientId } = people.thai!;
      const before = await t.http.get(`${API}/patients/${patientId}`).set(bearer(staff.billing)).expect(200);
      expect(before.body).toMatchObject({ givenName: 'สมชาย', familyName: 'ใจดี', phone: '+66 89 765 4321', email: 'somchai.j@example.org', admissions: [] });
      await t.http.post(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient: { givenName: 'สมชาย', familyName: 'ใจดี', dateOfBirth: '1971-03-09' } })).expect(201);
      const after = await t.http.get(`${API}/patients/${patientId}`).set(bearer(staff.billing)).expect(200);
      expect(after.body).toMatchObject({ phone: '+66 89 765 4321', email: 'somchai.j@example.org' });
    });

    it('refuses a phone or email that is not one', async () => {
      const enquiry = await createEnquiry(t, admissions);
      const response = await t.http
        .post(`${API}/enquiries/${enquiry.id}/assessment`)
        .set(bearer(admissions))
        .send(assessmentBody({ patient: { givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', phone: 'call me', email: 'not-an-email' } }));
      expectInvalid(response, [
        { field: 'patient.phone', reason: 'must be a phone number (digits, spaces, + ( ) . / -)' },
        { field: 'patient.email', reason: 'must be an email' },
      ]);
    });

    it('is a read of patient data on the audit trail; an unknown id is a 404', async () => {
      const { patientId } = people.zoe!;
      const response = await t.http.get(`${API}/patients/${patientId}`).set(bearer(staff.aftercare)).expect(200);
      const { rows } = await t.admin.query(`SELECT action, resource, resource_id, patient_id, outcome FROM audit_events WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
      expect(rows).toEqual([{ action: 'READ', resource: 'patient', resource_id: patientId, patient_id: patientId, outcome: 'SUCCESS' }]);
      await t.http.get(`${API}/patients/00000000-0000-4000-8000-000000000000`).set(bearer(staff.aftercare)).expect(404);
    });
  });

  describe('search by name: any part, any script, case and accents ignored', () => {
    it.each([
      ['zoe', 'Zoë Müller-Lüdenscheidt'],
      ['ZOË', 'Zoë Müller-Lüdenscheidt'],
      ['muller', 'Zoë Müller-Lüdenscheidt'],
      ['LUDENSCHEID', 'Zoë Müller-Lüdenscheidt'],
      ['müller lüdenscheidt', 'Zoë Müller-Lüdenscheidt'],
      ['SOMCHAI', 'Somchai Jaidee'],
      ['jaidee somchai', 'Somchai Jaidee'],
      ['chai', 'Somchai Jaidee'],
      ['สมชาย', 'สมชาย ใจดี'],
      ['ใจดี', 'สมชาย ใจดี'],
      ['มชา', 'สมชาย ใจดี'],
      ['ใจ', 'สมชาย ใจดี'],
      ['王秀英', '秀英 王'],
      ['王', '秀英 王'],
      ['ольга', 'Ольга Иванова'],
      ['ИВАНОВА', 'Ольга Иванова'],
      ['jose garcia', 'José García'],
      ['GARCÍA', 'José García'],
      ['ci', 'José García'],
    ])('%s finds %s', async (q, name) => {
      expect(await found(q)).toContain(name);
    });

    it('finds nothing for a name nobody has, and needs every word typed', async () => {
      expect(await found('xyzzy')).toEqual([]);
      expect(await found('somchai müller')).toEqual([]);
    });

    it('lists a whole word before the start of a word, and that before the inside of one', async () => {
      const exact = await newPatient({ givenName: 'Ploy', familyName: 'Ranong' });
      const prefix = await newPatient({ givenName: 'Ranongkan', familyName: 'Sukjai' });
      const inside = await newPatient({ givenName: 'Arnong', familyName: 'Tiranongrat' });
      const response = await search('ranong').expect(200);
      expect(response.body.items.map((p: { id: string }) => p.id)).toEqual([exact.patientId, prefix.patientId, inside.patientId]);
    });
  });

  describe('search by phone, email or hospital number', () => {
    it.each([
      ['0812345678', 'Somchai Jaidee'],
      ['081-234-5678', 'Somchai Jaidee'],
      ['+66 81 234 5678', 'Somchai Jaidee'],
      ['(081) 234.5678', 'Somchai Jaidee'],
      ['2345', 'Somchai Jaidee'],
      ['0897654321', 'สมชาย ใจดี'],
      ['089-765', 'สมชาย ใจดี'],
    ])('phone %s finds %s', async (q, name) => {
      expect(await found(q)).toContain(name);
    });

    it('finds by email, whole or in part, in any case', async () => {
      expect(await found('somchai.j@example.org')).toEqual(['สมชาย ใจดี']);
      expect(await found('SOMCHAI.J@')).toEqual(['สมชาย ใจดี']);
      expect(await found('@example.org')).toEqual(expect.arrayContaining(['สมชาย ใจดี', 'Zoë Müller-Lüdenscheidt']));
    });

    it('finds the exact hospital number, with or without HN- and leading zeros, first', async () => {
      const { hn, patientId } = people.jose!;
      const number = String(Number(hn.slice(3)));
      for (const q of [hn, hn.toLowerCase(), `HN ${number}`, `hn${number}`, number, hn.slice(3)]) {
        const response = await search(q).expect(200);
        expect(response.body.items[0]).toMatchObject({ id: patientId, hn });
      }
      // HN-prefixed: the HN only, not phone digits that happen to contain the number.
      expect((await search(hn).expect(200)).body.items).toHaveLength(1);
    });

    it('answers each item with the patient’s identity and contact details, not their stays', async () => {
      const response = await search('jaidee').expect(200);
      expect(response.body).toEqual({
        items: [{ id: people.somchai!.patientId, hn: people.somchai!.hn, givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09', sex: 'female', phone: '081-234-5678', email: null }],
        nextCursor: null,
      });
    });
  });

  describe('paging', () => {
    it('pages through every match once, best first, with a cursor that holds its place', async () => {
      const created: Created[] = [];
      for (const given of ['Al', 'Bea', 'Cara', 'Dario', 'Evelyn']) created.push(await newPatient({ givenName: given, familyName: 'Pagetest' }));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await search('pagetest', admissions, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
        seen.push(...response.body.items.map((p: { id: string }) => p.id));
        cursor = response.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      // Same tier (whole word); shorter names first: the words typed cover more of them.
      expect(seen).toEqual(created.map((c) => c.patientId));
    });

    it('refuses a cursor it did not give, and one of the unsearched list', async () => {
      expectInvalid(await search('pagetest', admissions, { cursor: 'nonsense' }), [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
      expectInvalid(await search('pagetest', admissions, { cursor: encodeCursor([10]) }), [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
      // A crafted cursor with a number beyond the database's integer is the same 400 on cursor, not a database error.
      expectInvalid(await search('pagetest', admissions, { cursor: encodeCursor([3_000_000_000, 0, 0]) }), [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
    });
  });

  describe('what may be searched for', () => {
    it('needs q: the patient register is searched, not browsed', async () => {
      const response = await t.http.get(`${API}/patients`).set(bearer(admissions));
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain('q');
    });

    it.each([
      ['too long', 'a'.repeat(101), 'must be shorter than or equal to 100 characters'],
      ['blank', '   ', 'must be longer than or equal to 1 characters'],
      ['a control character', 'som\u0007chai', 'must not contain control characters, line breaks or bidirectional overrides'],
      ['a line break', 'som\nchai', 'must not contain control characters, line breaks or bidirectional overrides'],
      ['a bidirectional override', 'som\u202echai', 'must not contain control characters, line breaks or bidirectional overrides'],
    ])('refuses q with %s (400)', async (_what, q, reason) => {
      expectInvalid(await search(q), [{ field: 'q', reason }]);
    });

    it('answers an empty page for text that means nothing searchable', async () => {
      expect(await search('--').expect(200).then((r) => r.body)).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('who may search', () => {
    it.each(['admissions', 'psychiatrist', 'nurse', 'aftercare', 'billing'] as const)('%s may find patients and read a record', async (role) => {
      await search('somchai', staff[role]).expect(200);
      await t.http.get(`${API}/patients/${people.somchai!.patientId}`).set(bearer(staff[role])).expect(200);
    });

    it('admin may not (403, audited as DENIED); nobody signed in gets 401', async () => {
      const denied = await search('somchai', staff.admin).expect(403);
      const { rows } = await t.admin.query(`SELECT outcome FROM audit_events WHERE correlation_id = $1`, [denied.headers['x-correlation-id']]);
      expect(rows).toEqual([{ outcome: 'DENIED' }]);
      await t.http.get(`${API}/patients/${people.somchai!.patientId}`).set(bearer(staff.admin)).expect(403);
      await t.http.get(`${API}/patients`).query({ q: 'somchai' }).expect(401);
    });
  });

  describe('the audit trail', () => {
    async function auditOf(response: Response): Promise<{ action: string; resource: string; patient_id: string | null; detail: Json; row: string }[]> {
      const { rows } = await t.admin.query(
        `SELECT action, resource, patient_id, detail, row_to_json(a)::text AS row FROM audit_events a WHERE correlation_id = $1 ORDER BY seq`,
        [response.headers['x-correlation-id']],
      );
      return rows;
    }

    it('records one READ per patient found, with how and how long the search was, never its text', async () => {
      const response = await search('@example.org', staff.nurse).expect(200);
      const ids = response.body.items.map((p: { id: string }) => p.id).sort();
      const rows = await auditOf(response);
      expect(rows.map((r) => r.patient_id).sort()).toEqual(ids);
      for (const row of rows) {
        expect(row).toMatchObject({ action: 'READ', resource: 'patient', detail: { count: ids.length, searchedBy: ['EMAIL'], searchLength: 12 } });
        expect(row.row).not.toContain('example');
      }
    });

    it('records a search that found nobody too, without the text', async () => {
      const response = await search('สมศรี 0891', staff.nurse).expect(200);
      expect(response.body.items).toEqual([]);
      const rows = await auditOf(response);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'READ', resource: 'patient', patient_id: null, detail: { count: 0, searchedBy: ['NAME'], searchLength: 10 } });
      expect(rows[0]!.row).not.toContain('สมศรี');
      expect(rows[0]!.row).not.toContain('0891');
    });
  });

  it('a nurse, billing or aftercare needs 3 letters or digits (2 in Chinese, Japanese or Korean script), as in the enquiries; admissions and the psychiatrist search from one', async () => {
    const reason = 'must have at least 3 letters or digits (2 in Chinese, Japanese or Korean script): the register is browsed by admissions and the psychiatrist only';
    for (const role of ['nurse', 'billing', 'aftercare'] as const) {
      for (const q of ['s', 'so', 's.', '08', '张']) expectInvalid(await search(q, staff[role]), [{ field: 'q', reason }]);
      await search('som', staff[role]).expect(200);
      await search('张伟', staff[role]).expect(200);
    }
    for (const role of ['admissions', 'psychiatrist'] as const) expect((await search('s', staff[role]).expect(200)).body.items.length).toBeGreaterThan(0);
  });

  describe('in the database', () => {
    it('folds names the same way whatever their script: case, accents, width and punctuation', async () => {
      const cases: [string, string][] = [
        ['ZOË Straße', 'zoe strasse'],
        ['Łukasz Søren Ærø', 'lukasz soren aero'],
        ["Jean-Pierre O'Brien", 'jean pierre obrien'],
        ['Nguyễn Thị Minh', 'nguyen thi minh'],
        ['ＡＢＣ ｶﾀｶﾅ', 'abc カタカナ'],
        ['ИВАН Ёлкин', 'иван елкин'],
        ['ΣΟΦΙΑΣ', 'σοφιασ'],
        ['สมชาย ใจดี', 'สมชาย ใจดี'],
        ['김민준', '김민준'],
        ['が', 'が'],
      ];
      for (const [name, folded] of cases) {
        const { rows } = await t.admin.query('SELECT search_fold($1) AS folded', [name]);
        expect([name, rows[0].folded]).toEqual([name, folded]);
      }
    });

    it('keeps a Thai number in its national form however it is written, so local and international forms meet', async () => {
      const { rows } = await t.admin.query(
        `SELECT search_phone_digits('081-234-5678') AS local, search_phone_digits('+66 81 234 5678') AS international, search_phone_digits('+66 (0)81 234 5678') AS with_trunk,
                search_phone_digits('0066 81 234 5678') AS dialled_from_abroad, search_phone_digits('๐๘๑ ๒๓๔ ๕๖๗๘') AS thai_digits, search_phone_digits('+41 79 555 01 23') AS swiss`,
      );
      expect(rows[0]).toEqual({ local: '0812345678', international: '0812345678', with_trunk: '0812345678', dialled_from_abroad: '0812345678', thai_digits: '0812345678', swiss: '0041795550123' });
    });

    it('folds phones in the database as the search box counts them (src/common/search/phone-digits.ts)', async () => {
      const typed = fc.string({ unit: fc.constantFrom('0', '0', '6', '6', '8', '1', '2', '+', ' ', '-', '(', ')', '๐', '๖'), maxLength: 16 });
      const samples = fc.sample(typed, { numRuns: 500, seed: 20261208 });
      samples.push('+66 81', '+6681', '0066812345678', '66812345678', '6681', '+', '+66', '0066', '+0812345678', '00660');
      const { rows } = await t.admin.query(`SELECT coalesce(search_phone_digits(x), '') AS digits FROM unnest($1::text[]) WITH ORDINALITY AS s(x, i) ORDER BY i`, [samples]);
      expect(samples.map((text, i) => [text, rows[i].digits])).toEqual(samples.map((text) => [text, searchPhoneDigits(text)]));
    });

    it('answers a name, a 1- or 2-character name, a phone, an email and an HN from the indexes', async () => {
      const client = await t.admin.connect();
      try {
        await client.query('BEGIN');
        // A handful of rows: the planner would rightly read the table; this shows the indexes can answer.
        await client.query('SET LOCAL enable_seqscan = off');
        const plan = async (q: string) => {
          const { sql, values } = patientSearchStatement(searchTerms(q), { after: null, limit: 50 });
          const { rows } = await client.query(`EXPLAIN (COSTS OFF) ${sql}`, values);
          return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        };
        expect(await plan('somchai')).toContain('Bitmap Index Scan on patients_search_name_idx');
        expect(await plan('ใจ')).toContain('Bitmap Index Scan on patients_search_name_idx');
        expect(await plan('王')).toContain('Bitmap Index Scan on patients_search_name_idx');
        // Digits alone may be an HN or a phone: both indexes, combined.
        expect(await plan('0812345678')).toMatch(/BitmapOr[\s\S]*Bitmap Index Scan on patients_hn_key[\s\S]*Bitmap Index Scan on patients_search_phone_idx/);
        // The start of a number, national or international, from the phone index too.
        for (const q of ['081', '+66 81', '+6681']) expect(await plan(q)).toContain('Bitmap Index Scan on patients_search_phone_idx');
        expect(await plan('zoe@example')).toContain('Bitmap Index Scan on patients_search_email_idx');
        expect(await plan('HN-000001')).toContain('Index Cond: (hn = ');
        for (const q of ['somchai', '081-234-5678', '0812345678', '081', '+66 81', '0066812345678', 'zoe@example']) expect(await plan(q)).not.toContain('Seq Scan');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('keeps the search columns right through later changes of name and phone', async () => {
      const { patientId } = people.russian!;
      await t.admin.query(`UPDATE patients SET family_name = 'Петрова', phone = '02 555 0199' WHERE id = $1`, [patientId]);
      const { rows } = await t.admin.query(`SELECT search_name, search_phone FROM patients WHERE id = $1`, [patientId]);
      expect(rows[0]).toEqual({ search_name: 'ольга петрова', search_phone: '025550199' });
      expect(await found('петрова')).toEqual(['Ольга Петрова']);
    });

    it('builds the same search for patients and enquiries, and nothing for text that means nothing', () => {
      const { values, param } = positionalParams();
      expect(searchSql(searchTerms('--'), { name: 'x.n', phone: 'x.p', email: 'x.e' }, param)).toEqual({ where: 'false', tier: 'NULL::integer' });
      expect(values).toEqual([]);
    });
  });

  describe('SQL statements', () => {
    it('GET /patients?q=: 3 however many patients match (the user, the page, the audit rows)', async () => {
      const few = await recordStatements(t, async () => search('Evelyn').expect(200));
      const many = await recordStatements(t, async () => search('a').expect(200));
      expect(few.result.body.items.length).toBeGreaterThan(0);
      expect(many.result.body.items.length).toBeGreaterThan(5);
      expect(few.statements).toHaveLength(3);
      expect(many.statements).toHaveLength(3);
    });
  });

  // Last in this file: the records it adds would change the searches above.
  describe('one person, one record: a first assessment like a patient on record', () => {
    // Without confirmNewPatient unless a test sends it: the check is what these tests are about.
    const assess = async (patient: Json, extra: Json = {}) => {
      const enquiry = await createEnquiry(t, admissions, { contactName: 'Front desk' });
      const response = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient, confirmNewPatient: undefined, ...extra }));
      return { enquiryId: enquiry.id, response };
    };
    const counts = async () => (await t.admin.query(`SELECT (SELECT count(*)::int FROM patients) AS patients, (SELECT count(*)::int FROM assessments) AS assessments`)).rows[0];

    it.each<[string, Json]>([
      ['the same name in other case and spacing', { givenName: ' SOMCHAI', familyName: 'jaidee ', dateOfBirth: '1971-03-09' }],
      ['the name the other way round', { givenName: 'Jaidee', familyName: 'Somchai', dateOfBirth: '1971-03-09' }],
      ['another spelling of the name but the same phone digits', { givenName: 'Som', familyName: 'Jai-dee', dateOfBirth: '1971-03-09', phone: '+66 81 234 5678' }],
      ['another name but the same email', { givenName: 'S.', familyName: 'J.', dateOfBirth: '1971-03-09', email: 'SOMCHAI.J@example.org' }],
    ])('%s and the same date of birth → 409 POSSIBLE_DUPLICATE_PATIENT naming the HN; nothing is written', async (_what, patient) => {
      const before = await counts();
      const { enquiryId, response } = await assess(patient);
      expect(response.status).toBe(409);
      const likely = patient.email ? people.thai! : people.somchai!;
      expect(response.body).toMatchObject({ code: 'POSSIBLE_DUPLICATE_PATIENT', details: [{ field: 'patientId', reason: `may be ${likely.hn} (${likely.patientId})` }] });
      expect(await counts()).toEqual(before);
      expect((await t.http.get(`${API}/enquiries/${enquiryId}`).set(bearer(admissions)).expect(200)).body).toMatchObject({ status: 'NEW', patientId: null });
      // Naming another patient's HN is a read of their record: on their trail, though the refused assessment rolled back.
      const audit = await t.admin.query(`SELECT action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
      expect(audit.rows).toEqual([
        { action: 'READ', resource: 'patient', resource_id: likely.patientId, patient_id: likely.patientId, outcome: 'SUCCESS', detail: { refusal: 'POSSIBLE_DUPLICATE_PATIENT', enquiryId } },
      ]);
    });

    it('a closed enquiry is refused as closed (409 INVALID_TRANSITION) before anyone on record is looked for or named', async () => {
      const enquiry = await createEnquiry(t, admissions, { contactName: 'Front desk' });
      await t.http.post(`${API}/enquiries/${enquiry.id}/close`).set(bearer(admissions)).send({ reason: 'Duplicate enquiry' }).expect(200);
      const response = await t.http
        .post(`${API}/enquiries/${enquiry.id}/assessment`)
        .set(bearer(admissions))
        .send(assessmentBody({ patient: { givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09' }, confirmNewPatient: undefined }));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
      expect(JSON.stringify(response.body)).not.toContain(people.somchai!.hn);
      const audit = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
      expect(audit.rows[0].n).toBe(0);
    });

    it('confirmNewPatient must be a boolean (400 naming it); nothing is written', async () => {
      const before = await counts();
      const { response } = await assess({ givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09' }, { confirmNewPatient: 'yes' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'confirmNewPatient', reason: expect.any(String) }] });
      expect(await counts()).toEqual(before);
    });

    it('the same name born a day later is another person (201, a new HN)', async () => {
      const { response } = await assess({ givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-10' });
      expect(response.status).toBe(201);
      expect(response.body.hn).not.toBe(people.somchai!.hn);
    });

    it('with the patientId found, the enquiry joins that record (same HN); with confirmNewPatient, another person gets a new one', async () => {
      const same = await assess({ givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09' }, { patientId: people.somchai!.patientId });
      expect(same.response.status).toBe(201);
      expect(same.response.body).toMatchObject({ patientId: people.somchai!.patientId, hn: people.somchai!.hn });
      const other = await assess({ givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09' }, { confirmNewPatient: true });
      expect(other.response.status).toBe(201);
      expect(other.response.body.patientId).not.toBe(people.somchai!.patientId);
      expect((await search('somchai jaidee').expect(200)).body.items.map((p: { hn: string }) => p.hn)).toEqual(expect.arrayContaining([people.somchai!.hn, other.response.body.hn]));
    });

    it('a returning patient’s new phone and email are recorded when the new enquiry attaches them, as a later version would; left out, the record keeps its own', async () => {
      const arthit = await newPatient({ givenName: 'Arthit', familyName: 'Wongsa', phone: '02-111-2222' }, '1965-07-07');
      const patient = { givenName: 'Arthit', familyName: 'Wongsa', dateOfBirth: '1965-07-07' };
      const returning = await assess({ ...patient, phone: '089-555-4433', email: 'New.Arthit@Example.org' }, { patientId: arthit.patientId });
      expect(returning.response.status).toBe(201);
      expect(returning.response.body.input.patient).toMatchObject({ phone: '089-555-4433', email: 'New.Arthit@Example.org' });
      const record = async () => (await t.http.get(`${API}/patients/${arthit.patientId}`).set(bearer(admissions)).expect(200)).body;
      expect(await record()).toMatchObject({ hn: arthit.hn, phone: '089-555-4433', email: 'new.arthit@example.org' });
      expect((await search('0895554433').expect(200)).body.items.map((p: { hn: string }) => p.hn)).toEqual([arthit.hn]);
      expect((await search('021112222').expect(200)).body.items).toEqual([]);

      const later = (extra: Json) => t.http.post(`${API}/enquiries/${returning.enquiryId}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient: { ...patient, ...extra } }));
      await later({}).expect(201);
      expect(await record()).toMatchObject({ phone: '089-555-4433', email: 'new.arthit@example.org' });
      await later({ phone: '+66 86 777 8888' }).expect(201);
      expect(await record()).toMatchObject({ phone: '+66 86 777 8888', email: 'new.arthit@example.org' });
    });

    describe('a later version that corrects the name or date of birth onto a patient on record', () => {
      const laterVersion = (enquiryId: string, patient: Json, extra: Json = {}) =>
        t.http.post(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient, confirmNewPatient: undefined, ...extra }));
      const recordOf = async (patientId: string) => (await t.http.get(`${API}/patients/${patientId}`).set(bearer(admissions)).expect(200)).body;
      const versions = async (enquiryId: string) => (await t.admin.query(`SELECT count(*)::int AS n FROM assessments WHERE enquiry_id = $1`, [enquiryId])).rows[0].n;
      // A person of these tests' own: the tests above add more than one Somchai Jaidee.
      const wichai = { givenName: 'Wichai', familyName: 'Saetang', dateOfBirth: '1966-04-04' };
      let onRecord: Created;
      beforeAll(async () => {
        onRecord = await newPatient({ givenName: wichai.givenName, familyName: wichai.familyName }, wichai.dateOfBirth);
      });

      it.each<[string, Json, Json]>([
        ['"Wichay" corrected to "Wichai"', { ...wichai, givenName: 'Wichay' }, wichai],
        ['the date of birth corrected to his', { ...wichai, dateOfBirth: '1966-02-01' }, wichai],
      ])('%s → 409 POSSIBLE_DUPLICATE_PATIENT naming him, audited on his trail; the record and versions are unchanged', async (_what, typo, corrected) => {
        const { enquiryId, response: first } = await assess(typo);
        expect(first.status).toBe(201);
        const refused = await laterVersion(enquiryId, corrected);
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({
          code: 'POSSIBLE_DUPLICATE_PATIENT',
          message: expect.stringContaining('close this enquiry'),
          details: [{ field: 'patientId', reason: `may be ${onRecord.hn} (${onRecord.patientId})` }],
        });
        expect(await recordOf(first.body.patientId)).toMatchObject(typo);
        expect(await versions(enquiryId)).toBe(1);
        const audit = await t.admin.query(`SELECT action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1`, [refused.headers['x-correlation-id']]);
        expect(audit.rows).toEqual([
          { action: 'READ', resource: 'patient', resource_id: onRecord.patientId, patient_id: onRecord.patientId, outcome: 'SUCCESS', detail: { refusal: 'POSSIBLE_DUPLICATE_PATIENT', enquiryId } },
        ]);
      });

      it('with confirmNewPatient the correction is made: another person of that name and birth date', async () => {
        const { enquiryId, response: first } = await assess({ ...wichai, dateOfBirth: '1966-01-15' });
        expect(first.status).toBe(201);
        const corrected = await laterVersion(enquiryId, wichai, { confirmNewPatient: true });
        expect(corrected.status).toBe(201);
        expect(corrected.body).toMatchObject({ patientId: first.body.patientId, hn: first.body.hn, version: 2 });
        expect(await recordOf(first.body.patientId)).toMatchObject(wichai);
      });

      it('a correction onto nobody else is made, though the record matches itself by its phone', async () => {
        const { enquiryId, response: first } = await assess({ givenName: 'Prasert', familyName: 'Boonmee', dateOfBirth: '1959-06-06', phone: '081-000-1111' });
        expect(first.status).toBe(201);
        const corrected = await laterVersion(enquiryId, { givenName: 'Prasit', familyName: 'Boonmee', dateOfBirth: '1959-06-16' });
        expect(corrected.status).toBe(201);
        expect(await recordOf(first.body.patientId)).toMatchObject({ givenName: 'Prasit', dateOfBirth: '1959-06-16', phone: '081-000-1111' });
      });
    });

    it('two first assessments of one new person at the same moment: one record, the other 409', async () => {
      const patient = { givenName: 'Kanya', familyName: 'Thongdee', dateOfBirth: '1988-12-01' };
      const results = await Promise.all([assess(patient), assess(patient)]);
      expect(results.map((r) => r.response.status).sort()).toEqual([201, 409]);
      expect((await t.admin.query(`SELECT count(*)::int AS n FROM patients WHERE date_of_birth = '1988-12-01'`)).rows[0].n).toBe(1);
    });
  });
});

describe('enquiries: search by contact name, phone or email', () => {
  let t: TestApp;
  let staff: StaffForEveryRole;
  const enquiries: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
    const callers: [string, Json][] = [
      ['niran', { contactName: 'Niran Wongsawat', contactPhone: '053 123 456', relationship: 'SELF' }],
      ['thai', { contactName: 'นิรันดร์ วงศ์สวัสดิ์', contactPhone: '+66 81 999 0001', contactEmail: 'Niran.W@Example.org', relationship: 'FAMILY' }],
      ['helene', { contactName: 'Hélène Dubois', contactEmail: 'helene@example.fr', relationship: 'PROFESSIONAL' }],
      ['korean', { contactName: '김 민준', relationship: 'SELF' }],
      ['older', { contactName: 'Niran Wongsawat', contactPhone: '053 123 456', relationship: 'SELF' }],
      ['priya', { contactName: 'Priya Summaryprobe', contactPhone: '089 876 5432', relationship: 'FAMILY', source: 'GP referral', summary: 'Husband buys oxycodone on the street; HIV positive.' }],
    ];
    for (const [key, body] of callers) enquiries[key] = (await createEnquiry(t, staff.admissions, body)).id;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const find = (q: string, query: Json = {}, as: Staff = staff.admissions) => t.http.get(`${API}/enquiries`).query({ q, ...query }).set(bearer(as));
  const idsOf = (response: Response): string[] => response.body.items.map((e: { id: string }) => e.id);

  it.each([
    ['wongsawat', ['older', 'niran']],
    ['NIRAN', ['older', 'niran']],
    ['วงศ์', ['thai']],
    ['นิรันดร์', ['thai']],
    ['helene', ['helene']],
    ['DUBOIS', ['helene']],
    ['김민준', ['korean']],
    ['053123456', ['older', 'niran']],
    ['0819990001', ['thai']],
    ['niran.w@', ['thai']],
  ])('%s finds the right callers, the same match newest first', async (q, keys) => {
    expect(idsOf(await find(q).expect(200))).toEqual(keys.map((key) => enquiries[key]));
  });

  it('combines with the status filter, and pages', async () => {
    await t.http.post(`${API}/enquiries/${enquiries.older}/close`).set(bearer(staff.admissions)).send({ reason: 'Called twice.' }).expect(200);
    expect(idsOf(await find('wongsawat', { status: 'NEW' }).expect(200))).toEqual([enquiries.niran]);
    const first = await find('wongsawat', { limit: 1 }).expect(200);
    const second = await find('wongsawat', { limit: 1, cursor: first.body.nextCursor }).expect(200);
    expect([...idsOf(first), ...idsOf(second)]).toEqual([enquiries.older, enquiries.niran]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('is audited without the search text, and open to everyone who finds patients (not admin); only admissions and the psychiatrist browse', async () => {
    const response = await find('helene').expect(200);
    const { rows } = await t.admin.query(`SELECT action, resource, patient_id, detail, row_to_json(a)::text AS row FROM audit_events a WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'READ', resource: 'enquiry', patient_id: null, detail: { count: 1, searchedBy: ['NAME'], searchLength: 6 } });
    expect(rows[0].row).not.toContain('helene');
    for (const role of ['psychiatrist', 'nurse', 'billing', 'aftercare'] as const) {
      const found = await find('helene', {}, staff[role]).expect(200);
      expect(idsOf(found)).toEqual([enquiries.helene]);
      const audited = await t.admin.query(`SELECT actor_id FROM audit_events WHERE correlation_id = $1 AND action = 'READ'`, [found.headers['x-correlation-id']]);
      expect(audited.rows).toEqual([{ actor_id: staff[role].id }]);
    }
    await find('helene', {}, staff.admin).expect(403);
    for (const role of ['nurse', 'billing', 'aftercare'] as const) await t.http.get(`${API}/enquiries?status=NEW`).set(bearer(staff[role])).expect(403);
  });

  describe('what each role finds: the register whole for admissions and the psychiatrist, who called and how to call back for the others', () => {
    const WHOLE = ['contactEmail', 'contactName', 'contactPhone', 'createdAt', 'createdBy', 'id', 'patientId', 'relationship', 'source', 'status', 'statusReason', 'summary', 'updatedAt'];
    const FOUND = ['contactEmail', 'contactName', 'contactPhone', 'createdAt', 'id', 'patientId', 'relationship', 'status'];

    it.each([['admissions'], ['psychiatrist']] as const)('%s gets the whole enquiry, summary and source included', async (role) => {
      const [item] = (await find('summaryprobe', {}, staff[role]).expect(200)).body.items;
      expect(Object.keys(item).sort()).toEqual(WHOLE);
      expect(item).toMatchObject({ id: enquiries.priya, source: 'GP referral', summary: 'Husband buys oxycodone on the street; HIV positive.' });
    });

    it.each([['nurse'], ['billing'], ['aftercare']] as const)('%s finds the caller without what was said, as GET /enquiries/:id refuses it them', async (role) => {
      const response = await find('summaryprobe', {}, staff[role]).expect(200);
      expect(response.body.items).toEqual([
        { id: enquiries.priya, status: 'NEW', contactName: 'Priya Summaryprobe', contactPhone: '089 876 5432', contactEmail: null, relationship: 'FAMILY', patientId: null, createdAt: expect.any(String) },
      ]);
      expect(Object.keys(response.body.items[0]).sort()).toEqual(FOUND);
      expect(JSON.stringify(response.body)).not.toMatch(/oxycodone|GP referral/);
      // By the phone's last four digits too: the same reduced answer.
      const byPhone = (await find('5432', {}, staff[role]).expect(200)).body.items;
      expect(byPhone.map((item: Json) => Object.keys(item).sort())).toEqual([FOUND]);
      await t.http.get(`${API}/enquiries/${enquiries.priya}`).set(bearer(staff[role])).expect(403);
    });

    it('a nurse, billing or aftercare needs 3 letters or digits (2 in Chinese, Japanese or Korean script) to search; admissions and the psychiatrist search from one', async () => {
      const reason = "must have at least 3 letters or digits (2 in Chinese, Japanese or Korean script): the register is browsed by admissions and the psychiatrist only";
      for (const role of ['nurse', 'billing', 'aftercare'] as const) {
        for (const q of ['n', 'ni', 'n..', 'n i', '05', '김']) expectInvalid(await find(q, {}, staff[role]), [{ field: 'q', reason }]);
        expect(idsOf(await find('nir', {}, staff[role]).expect(200))).toEqual([enquiries.older, enquiries.niran]);
        expect(idsOf(await find('053', {}, staff[role]).expect(200))).toEqual([enquiries.older, enquiries.niran]);
        expect(idsOf(await find('민준', {}, staff[role]).expect(200))).toEqual([enquiries.korean]);
      }
      for (const role of ['admissions', 'psychiatrist'] as const) {
        expect((await find('n', {}, staff[role]).expect(200)).body.items.length).toBeGreaterThanOrEqual(3);
        expect(idsOf(await find('김', {}, staff[role]).expect(200))).toEqual([enquiries.korean]);
      }
    });

    it('a refused short search reads nothing and writes no audit row', async () => {
      const response = await find('ni', {}, staff.nurse).expect(400);
      const { rows } = await t.admin.query('SELECT 1 FROM audit_events WHERE correlation_id = $1', [response.headers['x-correlation-id']]);
      expect(rows).toEqual([]);
    });
  });

  it('refuses a bad q as the patient search does (400)', async () => {
    expectInvalid(await find('x'.repeat(101)), [{ field: 'q', reason: 'must be shorter than or equal to 100 characters' }]);
    expectInvalid(await find('a\u001bb'), [{ field: 'q', reason: 'must not contain control characters, line breaks or bidirectional overrides' }]);
  });
});

describe('phone search: a Thai number typed in its national or international form, whole or its start', () => {
  let t: TestApp;
  let admissions: Staff;
  const patients: Record<string, Created> = {};
  const enquiries: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    admissions = (await staffForEveryRole(t)).admissions;
    const people: [string, Person][] = [
      ['national', { givenName: 'Kanya', familyName: 'Srisai', phone: '081-234-5678' }],
      ['international', { givenName: 'Malee', familyName: 'Thongdee', phone: '+66 81 999 0000' }],
      // Another number with 812 in it, from another area code: the start of 081 2… is not in it.
      ['other', { givenName: 'Arun', familyName: 'Chaiyo', phone: '02 812 3456' }],
    ];
    for (const [key, person] of people) {
      // The patients' own enquiries without a contact phone: only the callers below have one.
      const enquiry = await createEnquiry(t, admissions, { contactName: `${person.givenName} ${person.familyName}`, contactPhone: undefined });
      const response = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(admissions)).send(assessmentBody({ patient: { ...person, dateOfBirth: '1975-06-01', sex: 'unknown' } })).expect(201);
      patients[key] = { enquiryId: enquiry.id, patientId: response.body.patientId as string, hn: response.body.hn as string };
    }
    const callers: [string, string][] = [
      ['national', '+66 (0)81 234 5678'],
      ['international', '0066 81 999 0000'],
      ['other', '089 555 4433'],
    ];
    for (const [key, contactPhone] of callers) enquiries[key] = (await createEnquiry(t, admissions, { contactName: 'Front desk caller', contactPhone })).id;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  /** Which of the patients and callers above a search finds (sorted: the order is not the point here). */
  async function foundBy(q: string): Promise<{ patients: string[]; enquiries: string[] }> {
    const patientIds = (await t.http.get(`${API}/patients`).query({ q }).set(bearer(admissions)).expect(200)).body.items.map((p: { id: string }) => p.id);
    const enquiryIds = (await t.http.get(`${API}/enquiries`).query({ q }).set(bearer(admissions)).expect(200)).body.items.map((e: { id: string }) => e.id);
    return {
      patients: Object.keys(patients).filter((key) => patientIds.includes(patients[key]!.patientId)).sort(),
      enquiries: Object.keys(enquiries).filter((key) => enquiryIds.includes(enquiries[key])).sort(),
    };
  }

  it.each([
    ['081', ['international', 'national']],
    ['+66 81', ['international', 'national']],
    ['+6681', ['international', 'national']],
    ['0066 81', ['international', 'national']],
    ['+66 (0)81', ['international', 'national']],
    ['0812', ['national']],
    ['+66 812', ['national']],
    ['+66 81 234', ['national']],
    ['081-234-5678', ['national']],
    ['+66 81 234 5678', ['national']],
    ['0066812345678', ['national']],
    ['66812345678', ['national']],
    ['0819990000', ['international']],
    ['+66 81 999 0000', ['international']],
    ['0066 81 999', ['international']],
    ['081 999', ['international']],
  ])('%s finds the same patients and callers: %j', async (q, keys) => {
    expect(await foundBy(q)).toEqual({ patients: keys, enquiries: keys });
  });

  it.each([
    ['another mobile start', '082'],
    ['another mobile start, international', '+66 82'],
    ['a start that neither number has', '0813'],
    ['a number abroad with the same digits after its country code', '+81 2345 678'],
  ])('%s (%s) finds none of them', async (_what, q) => {
    expect(await foundBy(q)).toEqual({ patients: [], enquiries: [] });
  });

  it('finds the other numbers by their own forms', async () => {
    expect(await foundBy('+66 2 812')).toEqual({ patients: ['other'], enquiries: [] });
    expect(await foundBy('+66 89 555')).toEqual({ patients: [], enquiries: ['other'] });
  });

  it('needs 3 digits as they are searched: +66 8 and 66 alone are not searched as a phone', async () => {
    for (const q of ['+66 8', '+66', '66', '08']) expect(await foundBy(q)).toEqual({ patients: [], enquiries: [] });
    const response = await t.http.get(`${API}/patients`).query({ q: '+66 8' }).set(bearer(admissions)).expect(200);
    const { rows } = await t.admin.query(`SELECT detail FROM audit_events WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
    expect(rows).toEqual([{ detail: { count: 0, searchedBy: [], searchLength: 5 } }]);
  });

  it('leaves the name and HN searches as they were', async () => {
    expect(await foundBy('kanya')).toEqual({ patients: ['national'], enquiries: [] });
    const { hn, patientId } = patients.international!;
    const response = await t.http.get(`${API}/patients`).query({ q: hn }).set(bearer(admissions)).expect(200);
    expect(response.body.items.map((p: { id: string }) => p.id)).toEqual([patientId]);
  });
});

describe('phones recorded before a Thai number was kept in its national form', () => {
  it('are folded again by the migration, patients and enquiries; undone, they are as they were', async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.ownerUrl, { poolSize: 1 }));
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    const phones = `SELECT (SELECT array_agg(search_phone ORDER BY phone) FROM patients) AS patients, (SELECT array_agg(search_phone ORDER BY contact_phone) FROM enquiries) AS enquiries`;
    try {
      await new PhoneSearchPrefixes1796694600000().down(runner);
      const [user] = await runner.query(`INSERT INTO users (email, display_name, password_hash, roles) VALUES ('desk@example.org', 'Desk', 'x', '{admissions}') RETURNING id`);
      await runner.query(`INSERT INTO patients (given_name, family_name, date_of_birth, phone) VALUES ('A', 'Earlier', '1970-01-01', '081-234-5678'), ('B', 'Earlier', '1970-01-01', '+66 81 999 0000')`);
      await runner.query(`INSERT INTO enquiries (contact_name, contact_phone, relationship, created_by) VALUES ('C', '+66 (0)81 234 5678', 'SELF', $1), ('D', '0066 81 999 0000', 'SELF', $1)`, [user.id]);
      // As they were folded: one number three ways (the 0 kept behind +66, 00 not dropped).
      const before = { patients: ['819990000', '812345678'], enquiries: ['0812345678', '066819990000'] };
      expect((await runner.query(phones))[0]).toEqual(before);
      await new PhoneSearchPrefixes1796694600000().up(runner);
      expect((await runner.query(phones))[0]).toEqual({ patients: ['0819990000', '0812345678'], enquiries: ['0812345678', '0819990000'] });
      await new PhoneSearchPrefixes1796694600000().down(runner);
      expect((await runner.query(phones))[0]).toEqual(before);
    } finally {
      await runner.release();
      await dataSource.destroy();
      await database.drop();
    }
  });
});

describe('patients recorded before hospital numbers and search existed', () => {
  it('get hospital numbers in the order they were created (new ones follow), and their search columns', async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.ownerUrl, { poolSize: 1 }));
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await new PatientSearch1796652320000().down(runner);
      await new HospitalNumbers1796652260078().down(runner);
      const insert = `INSERT INTO patients (given_name, family_name, date_of_birth, created_at) VALUES ($1, 'Earlier', '1970-01-01', $2) RETURNING id`;
      const second = (await runner.query(insert, ['Second', '2026-03-02T00:00:00Z']))[0].id;
      const first = (await runner.query(insert, ['First', '2026-03-01T00:00:00Z']))[0].id;
      await new HospitalNumbers1796652260078().up(runner);
      await new PatientSearch1796652320000().up(runner);
      const numbered = await runner.query(`SELECT id, hn::int AS hn, search_name FROM patients ORDER BY hn`);
      expect(numbered).toEqual([
        { id: first, hn: 1, search_name: 'first earlier' },
        { id: second, hn: 2, search_name: 'second earlier' },
      ]);
      const [next] = await runner.query(`INSERT INTO patients (given_name, family_name, date_of_birth) VALUES ('Third', 'Later', '1970-01-01') RETURNING hn::int AS hn`);
      expect(next.hn).toBe(3);
    } finally {
      await runner.release();
      await dataSource.destroy();
      await database.drop();
    }
  });
});
