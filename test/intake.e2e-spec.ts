import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admitPatient, assessmentBody, createEnquiry } from './support/intake.js';
import { expectInvalid } from './support/responses.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const MISSING = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY_MS = 24 * 3600 * 1000;

type Json = Record<string, unknown>;

/** One opioid line of the request; oxycodone IR 10 mg three times a day unless overridden. */
const opioid = (overrides: Json = {}): Json => ({
  drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 30, prescribed: true, ...overrides,
});

/** DSM-5 answers with only the named criteria answered yes. */
const onlyYes = (...criteria: string[]): Json =>
  Object.fromEntries(
    ['largerOrLonger', 'cutDownAttempts', 'timeSpent', 'craving', 'roleFailure', 'socialProblems', 'activitiesGivenUp', 'hazardousUse', 'useDespiteHarm', 'tolerance', 'withdrawal']
      .map((c) => [c, criteria.includes(c)]),
  );

/** A copy of `body` without the field at a dotted path, e.g. 'dsm5.craving'. */
function without(body: Json, path: string): Json {
  const copy = structuredClone(body);
  const keys = path.split('.');
  const last = keys.pop()!;
  let node: Json = copy;
  for (const key of keys) node = node[key] as Json;
  delete node[last];
  return copy;
}

describe('intake assessment', () => {
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

  const assess = (enquiryId: string, body: Json = assessmentBody(), staff: Staff = admissions) =>
    t.http.post(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(staff)).send(body);
  const get = (path: string, staff: Staff = admissions) => t.http.get(`${API}${path}`).set(bearer(staff));
  const newEnquiry = async (): Promise<string> => (await createEnquiry(t, admissions)).id;

  /** The findings for this body on a fresh enquiry. */
  async function findings(body: Json): Promise<Json> {
    return (await assess(await newEnquiry(), body).expect(201)).body;
  }

  const count = async (table: 'patients' | 'assessments', where = 'true', params: unknown[] = []): Promise<number> =>
    (await t.admin.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params)).rows[0].n;

  /** A refused request left the enquiry as it was: NEW, no patient, no assessment, no new patient row. */
  async function expectUntouched(enquiryId: string, patientsBefore: number): Promise<void> {
    const enquiry = await get(`/enquiries/${enquiryId}`).expect(200);
    expect(enquiry.body).toMatchObject({ status: 'NEW', patientId: null });
    expect(await count('assessments', 'enquiry_id = $1', [enquiryId])).toBe(0);
    expect(await count('patients')).toBe(patientsBefore);
  }

  describe('record', () => {
    it('answers 201 with the computed findings and what was entered; the enquiry becomes ASSESSED with the patient', async () => {
      const enquiryId = await newEnquiry();
      const body = assessmentBody({ patient: { givenName: '  Mali ', familyName: ' Srisuk  ' } });
      const response = await assess(enquiryId, body).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        enquiryId,
        patientId: expect.stringMatching(UUID),
        hn: expect.stringMatching(/^HN-\d{6}$/),
        version: 1,
        assessedOn: t.clock.today('Asia/Bangkok'),
        totalDailyMme: 45,
        factorTable: 'CDC2022',
        mme: [{ drug: 'oxycodone', dailyDose: 30, unit: 'mg', factor: 1.5, dailyMme: 45, converted: true }],
        dsm5: { criteriaMet: 3, criteriaCounted: 1, excluded: ['tolerance', 'withdrawal'], severity: 'NONE' },
        classification: 'PHYSICAL_DEPENDENCE',
        classificationText: expect.stringContaining('Physical dependence'),
        hyperalgesiaSuspected: false,
        longActing: false,
        warnings: [],
        // What was entered, less the instruction to create a new patient record (not an answer of the intake).
        input: {
          ...Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'confirmNewPatient')),
          assessedOn: t.clock.today('Asia/Bangkok'),
          patient: { givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', sex: 'female' },
          pain: { ...(body.pain as Json), diffuse: false, worseAfterDoseIncrease: false },
          medical: { ...(body.medical as Json), complicatedWithdrawalHistory: false },
        },
        correctionReason: null,
        assessedBy: admissions.id,
        createdAt: expect.stringMatching(ISO_INSTANT),
      });
      expect(response.body.classificationText).not.toMatch(/addict/i);

      const enquiry = await get(`/enquiries/${enquiryId}`).expect(200);
      expect(enquiry.body).toMatchObject({ status: 'ASSESSED', patientId: response.body.patientId });
      const patient = await t.admin.query(`SELECT given_name, family_name, date_of_birth::text AS dob, sex FROM patients WHERE id = $1`, [response.body.patientId]);
      expect(patient.rows).toEqual([{ given_name: 'Mali', family_name: 'Srisuk', dob: '1971-03-09', sex: 'female' }]);
    });

    it('reads back exactly what it answered, for admissions and for a psychiatrist', async () => {
      const enquiryId = await newEnquiry();
      const created = (await assess(enquiryId, assessmentBody({ opioids: [opioid({ dose: 7.125 })] })).expect(201)).body;
      for (const staff of [admissions, psychiatrist]) {
        expect((await get(`/enquiries/${enquiryId}/assessment`, staff).expect(200)).body).toEqual(created);
        expect((await get(`/assessments/${created.id}`, staff).expect(200)).body).toEqual(created);
        expect((await get(`/enquiries/${enquiryId}/assessments`, staff).expect(200)).body).toEqual({ items: [created] });
      }
      expect(created.totalDailyMme).toBe(32.0625);
    });

    it('takes an as-needed opioid, a combination product and the kidney clearance; MME counts the most a day', async () => {
      const prn = { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 8, prescribed: true, asNeeded: true };
      const combination = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 8, prescribed: true, paracetamolPerUnitMg: 325 };
      const body = assessmentBody({ opioids: [prn, combination], medical: { creatinineClearance: 52.5 }, assessedOn: '2026-11-30' });
      const response = await assess(await newEnquiry(), body).expect(201);
      expect(response.body.mme).toEqual([
        { drug: 'oxycodone', dailyDose: 20, unit: 'mg', factor: 1.5, dailyMme: 30, converted: true },
        { drug: 'hydrocodone', dailyDose: 15, unit: 'mg', factor: 1, dailyMme: 15, converted: true },
      ]);
      expect(response.body.totalDailyMme).toBe(45);
      expect(response.body.assessedOn).toBe('2026-11-30');
      expect(response.body.input.opioids).toEqual([prn, combination]);
      expect(response.body.input.medical.creatinineClearance).toBe(52.5);
    });

    it('refuses an assessment dated in the future or before the date of birth (400 on assessedOn)', async () => {
      const future = await assess(await newEnquiry(), assessmentBody({ assessedOn: '2099-01-01' })).expect(400);
      expect(future.body.details).toEqual([{ field: 'assessedOn', reason: expect.stringContaining('must not be in the future') }]);
      const beforeBirth = await assess(await newEnquiry(), assessmentBody({ assessedOn: '1970-01-01' })).expect(400);
      expect(beforeBirth.body.details).toEqual([{ field: 'assessedOn', reason: 'must not be before the date of birth' }]);
    });

    it('defaults sex to unknown', async () => {
      const body = without(assessmentBody(), 'patient.sex');
      const response = await assess(await newEnquiry(), body).expect(201);
      expect((response.body.input as { patient: Json }).patient.sex).toBe('unknown');
      const patient = await t.admin.query('SELECT sex FROM patients WHERE id = $1', [response.body.patientId]);
      expect(patient.rows[0].sex).toBe('unknown');
    });

    it('answers 404 for an unknown enquiry and 400 for a malformed id, and 404 before any assessment exists', async () => {
      const missing = await assess(MISSING).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Enquiry not found.' });
      expectInvalid(await assess('42'), [{ field: 'id', reason: 'must be a UUID' }]);
      const fresh = await newEnquiry();
      expect((await get(`/enquiries/${fresh}/assessment`).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await get(`/enquiries/${fresh}/assessments`).expect(200)).body).toEqual({ items: [] });
      await get(`/enquiries/${MISSING}/assessment`).expect(404);
      await get(`/enquiries/${MISSING}/assessments`).expect(404);
      await get(`/assessments/${MISSING}`).expect(404);
      expectInvalid(await get('/assessments/abc'), [{ field: 'id', reason: 'must be a UUID' }]);
    });
  });

  describe('MME (CDC 2022) through the API', () => {
    it.each([
      ['oxycodone 10 mg ×3', 45, [opioid()], [{ drug: 'oxycodone', dailyDose: 30, unit: 'mg', factor: 1.5, dailyMme: 45, converted: true }], false],
      ['hydrocodone 5 mg ×4 (CDC example)', 20, [opioid({ drug: 'hydrocodone', dose: 5, timesPerDay: 4 })], [{ drug: 'hydrocodone', dailyDose: 20, unit: 'mg', factor: 1, dailyMme: 20, converted: true }], false],
      ['oxycodone ER 10 mg ×2 (CDC example)', 30, [opioid({ formulation: 'ER', timesPerDay: 2 })], [{ drug: 'oxycodone', dailyDose: 20, unit: 'mg', factor: 1.5, dailyMme: 30, converted: true }], true],
      ['fentanyl patch 25 mcg/h', 60, [opioid({ drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 25, unit: 'mcg/h', timesPerDay: 1 })], [{ drug: 'fentanyl', dailyDose: 25, unit: 'mcg/h', factor: 2.4, dailyMme: 60, converted: true }], true],
      ['methadone IR 10 mg ×2 (long-acting whatever the label)', 94, [opioid({ drug: 'methadone', timesPerDay: 2 })], [{ drug: 'methadone', dailyDose: 20, unit: 'mg', factor: 4.7, dailyMme: 94, converted: true }], true],
      ['codeine 30 mg ×4 (no rounding noise)', 18, [opioid({ drug: 'codeine', dose: 30, timesPerDay: 4 })], [{ drug: 'codeine', dailyDose: 120, unit: 'mg', factor: 0.15, dailyMme: 18, converted: true }], false],
      ['a drug code in another case', 45, [opioid({ drug: 'OxyCodone' })], [{ drug: 'oxycodone', dailyDose: 30, unit: 'mg', factor: 1.5, dailyMme: 45, converted: true }], false],
    ])('%s → %d MME', async (_, total, opioids, lines, longActing) => {
      const result = await findings(assessmentBody({ opioids }));
      expect(result).toMatchObject({ totalDailyMme: total, factorTable: 'CDC2022', mme: lines, longActing });
    });

    it('sums two opioids, line by line, and recommends naloxone at 65 MME', async () => {
      const result = await findings(assessmentBody({ opioids: [opioid(), opioid({ drug: 'hydrocodone', dose: 5, timesPerDay: 4 })] }));
      expect(result.totalDailyMme).toBe(65);
      expect((result.mme as { dailyMme: number }[]).map((l) => l.dailyMme)).toEqual([45, 20]);
      expect(result.warnings).toEqual([{ code: 'NALOXONE_RECOMMENDED', message: expect.stringContaining('naloxone') }]);
    });

    it('lists buprenorphine unconverted with a warning and leaves it out of the total', async () => {
      const result = await findings(assessmentBody({ opioids: [opioid({ drug: 'buprenorphine', dose: 8, timesPerDay: 1 }), opioid()] }));
      expect(result.totalDailyMme).toBe(45);
      expect(result.mme).toEqual([
        { drug: 'buprenorphine', dailyDose: 8, unit: 'mg', factor: null, dailyMme: null, converted: false },
        { drug: 'oxycodone', dailyDose: 30, unit: 'mg', factor: 1.5, dailyMme: 45, converted: true },
      ]);
      expect(result.warnings).toEqual([{ code: 'BUPRENORPHINE_NOT_CONVERTED', message: expect.stringContaining('left out') }]);
    });

    it('recommends naloxone from 50 MME/day, not below', async () => {
      const at = await findings(assessmentBody({ opioids: [opioid({ drug: 'morphine', dose: 25, timesPerDay: 2 })] }));
      expect(at.totalDailyMme).toBe(50);
      expect(at.warnings).toEqual([{ code: 'NALOXONE_RECOMMENDED', message: expect.any(String) }]);
      const below = await findings(assessmentBody({ opioids: [opioid({ drug: 'morphine', dose: 24.5, timesPerDay: 2 })] }));
      expect(below.totalDailyMme).toBe(49);
      expect(below.warnings).toEqual([]);
    });
  });

  describe('DSM-5 and hyperalgesia through the API', () => {
    it.each([
      ['supervised tolerance + withdrawal only', 'PHYSICAL_DEPENDENCE', true, onlyYes('tolerance', 'withdrawal'),
        { criteriaMet: 2, criteriaCounted: 0, excluded: ['tolerance', 'withdrawal'], severity: 'NONE' }],
      ['the same answers, unsupervised', 'OPIOID_USE_DISORDER', false, onlyYes('tolerance', 'withdrawal'),
        { criteriaMet: 2, criteriaCounted: 2, excluded: [], severity: 'MILD' }],
      ['the same answers, unsupervised, plus craving', 'OPIOID_USE_DISORDER', false, onlyYes('tolerance', 'withdrawal', 'craving'),
        { criteriaMet: 3, criteriaCounted: 3, excluded: [], severity: 'MILD' }],
      ['supervised, two behavioural criteria', 'OPIOID_USE_DISORDER', true, onlyYes('craving', 'useDespiteHarm', 'tolerance'),
        { criteriaMet: 3, criteriaCounted: 2, excluded: ['tolerance'], severity: 'MILD' }],
      ['nothing answered yes', 'NO_DEPENDENCE_FOUND', true, onlyYes(),
        { criteriaMet: 0, criteriaCounted: 0, excluded: [], severity: 'NONE' }],
    ])('%s → %s', async (_, classification, takenAsPrescribed, dsm5, result) => {
      const response = await findings(assessmentBody({ takenAsPrescribed, dsm5 }));
      expect(response.dsm5).toEqual(result);
      expect(response.classification).toBe(classification);
      expect(response.classificationText).not.toMatch(/addict/i);
    });

    it.each([
      ['neither sign', false, {}, []],
      ['pain spread beyond the original site', true, { spreadBeyondOriginalSite: true }, ['OIH_PAIN_SPREAD']],
      ['pain worse between doses', true, { worseBetweenDoses: true }, ['OIH_WORSE_BETWEEN_DOSES']],
      ['both signs', true, { spreadBeyondOriginalSite: true, worseBetweenDoses: true }, ['OIH_PAIN_SPREAD', 'OIH_WORSE_BETWEEN_DOSES']],
      ['diffuse pain', true, { diffuse: true }, ['OIH_DIFFUSE_PAIN']],
      ['pain worse after a dose increase', true, { worseAfterDoseIncrease: true }, ['OIH_WORSE_AFTER_DOSE_INCREASE']],
    ])('hyperalgesia with %s: suspected %s', async (_, suspected, pain, codes) => {
      const response = await findings(assessmentBody({ pain }));
      expect(response.hyperalgesiaSuspected).toBe(suspected);
      expect((response.warnings as { code: string }[]).map((w) => w.code)).toEqual(codes);
    });
  });

  describe('refused assessments', () => {
    it.each([
      ['an unknown drug', [opioid(), opioid({ drug: 'oxycontin' })], 'UNKNOWN_OPIOID', 'opioids[1].drug'],
      ['mg on a fentanyl patch', [opioid({ drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 25, unit: 'mg', timesPerDay: 1 })], 'UNIT_MISMATCH', 'opioids[0].unit'],
      ['mcg/h for oxycodone tablets', [opioid({ unit: 'mcg/h', timesPerDay: 1 })], 'UNIT_MISMATCH', 'opioids[0].unit'],
      ['a patch applied 3 times a day', [opioid({ drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 25, unit: 'mcg/h', timesPerDay: 3 })], 'UNIT_MISMATCH', 'opioids[0].timesPerDay'],
      ['fentanyl as a tablet', [opioid({ drug: 'fentanyl', formulation: 'IR' })], 'NO_CONVERSION_FACTOR', 'opioids[0].formulation'],
    ])('%s is a 422 %s naming the field, and nothing is written', async (_, opioids, code, field) => {
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      const response = await assess(enquiryId, assessmentBody({ opioids })).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, code, details: [{ field, reason: expect.any(String) }] });
      await expectUntouched(enquiryId, patientsBefore);
      const audit = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE resource = 'assessment' AND action = 'CREATE' AND detail->>'enquiryId' = $1`, [enquiryId]);
      expect(audit.rows[0].n).toBe(0);
    });

    it.each([
      ['pain 11', assessmentBody({ pain: { score: 11 } }), 'pain.score', 'must not be greater than 10'],
      ['pain -1', assessmentBody({ pain: { score: -1 } }), 'pain.score', 'must not be less than 0'],
      ['pain 6.5', assessmentBody({ pain: { score: 6.5 } }), 'pain.score', 'must be an integer number'],
      ['pain as a string', assessmentBody({ pain: { score: '7' } }), 'pain.score', 'must be an integer number'],
      ['diffuse as a string', assessmentBody({ pain: { diffuse: 'yes' } }), 'pain.diffuse', 'must be a boolean value'],
      ['dose 0', assessmentBody({ opioids: [opioid({ dose: 0 })] }), 'opioids[0].dose', 'must not be less than 0.001'],
      ['a negative dose', assessmentBody({ opioids: [opioid(), opioid({ dose: -5 })] }), 'opioids[1].dose', 'must not be less than 0.001'],
      ['a dose with 4 decimals', assessmentBody({ opioids: [opioid({ dose: 10.0005 })] }), 'opioids[0].dose', 'must be a number conforming to the specified constraints'],
      ['timesPerDay 0', assessmentBody({ opioids: [opioid({ timesPerDay: 0 })] }), 'opioids[0].timesPerDay', 'must not be less than 1'],
      ['timesPerDay 25', assessmentBody({ opioids: [opioid({ timesPerDay: 25 })] }), 'opioids[0].timesPerDay', 'must not be greater than 24'],
      ['timesPerDay 1.5', assessmentBody({ opioids: [opioid({ timesPerDay: 1.5 })] }), 'opioids[0].timesPerDay', 'must be an integer number'],
      ['monthsOnTherapy -1', assessmentBody({ opioids: [opioid({ monthsOnTherapy: -1 })] }), 'opioids[0].monthsOnTherapy', 'must not be less than 0'],
      ['an unknown formulation', assessmentBody({ opioids: [opioid({ formulation: 'SR' })] }), 'opioids[0].formulation', 'must be one of the following values: IR, ER, TRANSDERMAL'],
      ['an unknown unit', assessmentBody({ opioids: [opioid({ unit: 'g' })] }), 'opioids[0].unit', 'must be one of the following values: mg, mcg/h'],
      ['dateOfBirth 2027-02-30', assessmentBody({ patient: { dateOfBirth: '2027-02-30' } }), 'patient.dateOfBirth', 'must be a real date written YYYY-MM-DD'],
      ['dateOfBirth 1970-13-01', assessmentBody({ patient: { dateOfBirth: '1970-13-01' } }), 'patient.dateOfBirth', 'must be a real date written YYYY-MM-DD'],
      ['a dateOfBirth that is not a date', assessmentBody({ patient: { dateOfBirth: 'March 9th' } }), 'patient.dateOfBirth', 'must be a real date written YYYY-MM-DD'],
      ['a dateOfBirth with a time', assessmentBody({ patient: { dateOfBirth: '1971-03-09T00:00:00Z' } }), 'patient.dateOfBirth', 'must be a real date written YYYY-MM-DD'],
      ['a missing dateOfBirth', without(assessmentBody(), 'patient.dateOfBirth'), 'patient.dateOfBirth', 'is required'],
      ['a blank given name', assessmentBody({ patient: { givenName: '  ' } }), 'patient.givenName', 'must be longer than or equal to 1 characters'],
      ['a sex outside the list', assessmentBody({ patient: { sex: 'F' } }), 'patient.sex', 'must be one of the following values: female, male, other, unknown'],
      ['a missing DSM-5 answer', without(assessmentBody(), 'dsm5.craving'), 'dsm5.craving', 'is required'],
      ['a DSM-5 answer that is not a boolean', assessmentBody({ dsm5: { craving: 'sometimes' } }), 'dsm5.craving', 'must be a boolean value'],
      ['an unknown nested field', assessmentBody({ pain: { location: 'lower back' } }), 'pain.location', 'property location should not exist'],
      ['an unknown field in an opioid', assessmentBody({ opioids: [opioid({ brand: 'OxyContin' })] }), 'opioids[0].brand', 'property brand should not exist'],
      ['an unknown top-level field', assessmentBody({ diagnosis: 'OUD' }), 'diagnosis', 'property diagnosis should not exist'],
      ['an empty opioids list', assessmentBody({ opioids: [] }), 'opioids', 'must contain at least 1 elements'],
      ['a missing opioids list', without(assessmentBody(), 'opioids'), 'opioids', 'is required'],
      ['a missing takenAsPrescribed', without(assessmentBody(), 'takenAsPrescribed'), 'takenAsPrescribed', 'is required'],
      ['a missing medical section', without(assessmentBody(), 'medical'), 'medical', 'is required'],
      ['an unknown pain condition', assessmentBody({ pain: { condition: 'MIGRAINE' } }), 'pain.condition', 'must be one of the following values: POST_SURGICAL, CANCER, MOTOR_VEHICLE_ACCIDENT, FIBROMYALGIA, CHRONIC_BACK, OTHER'],
      ['negative failed home tapers', assessmentBody({ social: { failedHomeTaperAttempts: -1 } }), 'social.failedHomeTaperAttempts', 'must not be less than 0'],
      ['a malformed patientId', assessmentBody({ patientId: 'patient-7' }), 'patientId', 'must be a UUID'],
    ])('%s is a 400 naming the field, and nothing is written', async (_, body, field, reason) => {
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      expectInvalid(await assess(enquiryId, body), [{ field, reason }]);
      await expectUntouched(enquiryId, patientsBefore);
    });

    it('lists every bad field of one request', async () => {
      const body = assessmentBody({ pain: { score: 11 }, opioids: [opioid(), opioid({ dose: 0, timesPerDay: 25 })] });
      const response = await assess(await newEnquiry(), body).expect(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          { field: 'pain.score', reason: 'must not be greater than 10' },
          { field: 'opioids[1].dose', reason: 'must not be less than 0.001' },
          { field: 'opioids[1].timesPerDay', reason: 'must not be greater than 24' },
        ]),
      );
      expect(response.body.details).toHaveLength(3);
    });

    it('never answers 500 to oddly shaped sections', async () => {
      const enquiryId = await newEnquiry();
      for (const body of [
        assessmentBody({ opioids: ['oxycodone'] }),
        assessmentBody({ opioids: { drug: 'oxycodone' } }),
        { ...assessmentBody(), dsm5: 'yes' },
        { ...assessmentBody(), patient: null },
        [assessmentBody()],
      ]) {
        const response = await assess(enquiryId, body as Json);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      await expectUntouched(enquiryId, await count('patients'));
    });

    it('refuses a date of birth after today in the clinic time zone', async () => {
      const today = t.clock.today(t.config.clinicTimeZone);
      const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      for (const dateOfBirth of [tomorrow, '2999-01-01']) {
        expectInvalid(await assess(enquiryId, assessmentBody({ patient: { dateOfBirth } })), [
          { field: 'patient.dateOfBirth', reason: `must not be in the future (today is ${today})` },
        ]);
      }
      await expectUntouched(enquiryId, patientsBefore);
      await assess(enquiryId, assessmentBody({ patient: { dateOfBirth: today } })).expect(201);
    });

    it('takes "today" from the clinic calendar (Asia/Bangkok), not from UTC', async () => {
      expect(t.config.clinicTimeZone).toBe('Asia/Bangkok');
      // Move to 20:00 UTC, when it is already 03:00 the next day in Bangkok.
      const now = t.clock.now();
      const evening = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 20);
      const shift = evening - now.getTime() + (evening < now.getTime() ? DAY_MS : 0);
      t.clock.advance(shift);
      try {
        const utcToday = t.clock.now().toISOString().slice(0, 10);
        const bangkokToday = t.clock.today('Asia/Bangkok');
        expect(bangkokToday > utcToday).toBe(true);
        await assess(await newEnquiry(), assessmentBody({ patient: { dateOfBirth: bangkokToday } })).expect(201);
      } finally {
        t.clock.advance(-shift);
      }
    });
  });

  describe('versions', () => {
    it('a second assessment is version 2; version 1 stays readable; the patient record follows the latest', async () => {
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      const first = (await assess(enquiryId).expect(201)).body;
      const corrected = assessmentBody({ patient: { familyName: 'Srisook', sex: 'other' }, opioids: [opioid({ dose: 20 })] });
      const second = (await assess(enquiryId, corrected).expect(201)).body;

      expect(second).toMatchObject({ version: 2, patientId: first.patientId, enquiryId, totalDailyMme: 90 });
      expect(second.id).not.toBe(first.id);
      expect(await count('patients')).toBe(patientsBefore + 1);
      expect((await get(`/enquiries/${enquiryId}/assessment`).expect(200)).body).toEqual(second);
      expect((await get(`/assessments/${first.id}`).expect(200)).body).toEqual(first);
      expect((await get(`/enquiries/${enquiryId}/assessments`).expect(200)).body).toEqual({ items: [first, second] });
      expect((await get(`/enquiries/${enquiryId}`).expect(200)).body).toMatchObject({ status: 'ASSESSED', patientId: first.patientId });
      const patient = await t.admin.query('SELECT given_name, family_name, sex FROM patients WHERE id = $1', [first.patientId]);
      expect(patient.rows).toEqual([{ given_name: 'Mali', family_name: 'Srisook', sex: 'other' }]);
    });

    it('a re-assessment that leaves out sex keeps the sex already recorded', async () => {
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId).expect(201)).body;
      const second = (await assess(enquiryId, without(assessmentBody(), 'patient.sex')).expect(201)).body;
      expect((second.input as { patient: Json }).patient.sex).toBe('female');
      const patient = await t.admin.query('SELECT sex FROM patients WHERE id = $1', [first.patientId]);
      expect(patient.rows[0].sex).toBe('female');
    });

    it('five simultaneous re-assessments get distinct consecutive versions and share one patient', async () => {
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId).expect(201)).body;
      const responses = await Promise.all(Array.from({ length: 5 }, () => assess(enquiryId)));
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(responses.map((r) => r.body.version).sort()).toEqual([2, 3, 4, 5, 6]);
      expect(new Set(responses.map((r) => r.body.patientId))).toEqual(new Set([first.patientId]));
      const stored = await t.admin.query('SELECT version FROM assessments WHERE enquiry_id = $1 ORDER BY version', [enquiryId]);
      expect(stored.rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await get(`/enquiries/${enquiryId}/assessment`).expect(200)).body.version).toBe(6);
    });

    it('simultaneous first assessments create one patient, not one each', async () => {
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      const responses = await Promise.all(Array.from({ length: 3 }, () => assess(enquiryId)));
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(responses.map((r) => r.body.version).sort()).toEqual([1, 2, 3]);
      expect(new Set(responses.map((r) => r.body.patientId)).size).toBe(1);
      expect(await count('patients')).toBe(patientsBefore + 1);
    });
  });

  describe('returning patients', () => {
    it('patientId attaches a new enquiry to an existing patient, without rewriting their record', async () => {
      const earlier = (await assess(await newEnquiry()).expect(201)).body;
      const patientsBefore = await count('patients');
      const enquiryId = await newEnquiry();
      const body = assessmentBody({ patientId: earlier.patientId, patient: { givenName: ' mali ', sex: 'other' } });
      const response = await assess(enquiryId, body).expect(201);
      expect(response.body).toMatchObject({ patientId: earlier.patientId, version: 1 });
      expect((response.body.input as { patient: Json }).patient.sex).toBe('female');
      expect(response.body.input).not.toHaveProperty('patientId');
      expect(await count('patients')).toBe(patientsBefore);
      expect((await get(`/enquiries/${enquiryId}`).expect(200)).body.patientId).toBe(earlier.patientId);
      const patient = await t.admin.query('SELECT given_name, sex FROM patients WHERE id = $1', [earlier.patientId]);
      expect(patient.rows[0]).toEqual({ given_name: 'Mali', sex: 'female' });
      const audit = await t.admin.query(`SELECT detail FROM audit_events WHERE resource = 'assessment' AND action = 'CREATE' AND resource_id = $1`, [response.body.id]);
      expect(audit.rows).toEqual([{ detail: { enquiryId, version: 1, patientCreated: false } }]);
    });

    it('refuses to attach a patient whose name or date of birth differ (a mistyped id), changing nothing', async () => {
      const earlier = (await assess(await newEnquiry()).expect(201)).body;
      for (const patient of [{ givenName: 'Malee' }, { familyName: 'Other' }, { dateOfBirth: '1971-03-10' }]) {
        const enquiryId = await newEnquiry();
        const patientsBefore = await count('patients');
        const response = await assess(enquiryId, assessmentBody({ patientId: earlier.patientId, patient })).expect(409);
        expect(response.body.code).toBe('PATIENT_DETAILS_MISMATCH');
        await expectUntouched(enquiryId, patientsBefore);
      }
      const stored = await t.admin.query('SELECT given_name, family_name, date_of_birth::text AS dob FROM patients WHERE id = $1', [earlier.patientId]);
      expect(stored.rows[0]).toEqual({ given_name: 'Mali', family_name: 'Srisuk', dob: '1971-03-09' });
    });

    it('an unknown patientId is a 404 and nothing is written', async () => {
      const enquiryId = await newEnquiry();
      const patientsBefore = await count('patients');
      const response = await assess(enquiryId, assessmentBody({ patientId: MISSING })).expect(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND', message: 'Patient not found.' });
      await expectUntouched(enquiryId, patientsBefore);
    });

    it('another patient than the one the enquiry is about is a 409 PATIENT_MISMATCH; the same one is fine', async () => {
      const other = (await assess(await newEnquiry()).expect(201)).body;
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId).expect(201)).body;
      const response = await assess(enquiryId, assessmentBody({ patientId: other.patientId, patient: { givenName: 'Changed' } })).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'PATIENT_MISMATCH' });
      expect((await get(`/enquiries/${enquiryId}/assessments`).expect(200)).body.items).toHaveLength(1);
      const names = await t.admin.query('SELECT given_name FROM patients WHERE id = ANY($1) ORDER BY given_name', [[other.patientId, first.patientId]]);
      expect(names.rows.map((r) => r.given_name)).toEqual(['Mali', 'Mali']);
      const same = await assess(enquiryId, assessmentBody({ patientId: first.patientId })).expect(201);
      expect(same.body).toMatchObject({ version: 2, patientId: first.patientId });
    });

    it('recognises the patient id in upper case as the same patient', async () => {
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId).expect(201)).body;
      const upper = (first.patientId as string).toUpperCase();
      const again = await assess(enquiryId, assessmentBody({ patientId: upper })).expect(201);
      expect(again.body).toMatchObject({ version: 2, patientId: first.patientId });
      const returning = await newEnquiry();
      const attached = await assess(returning, assessmentBody({ patientId: upper })).expect(201);
      expect(attached.body.patientId).toBe(first.patientId);
      expect((await get(`/enquiries/${returning}`).expect(200)).body.patientId).toBe(first.patientId);
    });
  });

  describe('returning patients: names compared as the duplicate guard compares them', () => {
    /** A first assessment without confirmNewPatient, so the duplicate guard speaks. */
    const firstOf = (patient: Json, extra: Json = {}) => assessmentBody({ patient, confirmNewPatient: undefined, ...extra });

    it('a name told "send their patientId" by the guard attaches with that id, whatever its accents, case or order; the record keeps its spelling', async () => {
      const jose = { givenName: 'José', familyName: 'Núñez-García', dateOfBirth: '1980-05-05' };
      const recorded = (await assess(await newEnquiry(), firstOf(jose)).expect(201)).body;
      const typed = { givenName: 'Jose', familyName: 'Nunez-Garcia', dateOfBirth: '1980-05-05' };
      const guard = await assess(await newEnquiry(), firstOf(typed)).expect(409);
      expect(guard.body).toMatchObject({ code: 'POSSIBLE_DUPLICATE_PATIENT', details: [{ field: 'patientId', reason: `may be ${recorded.hn} (${recorded.patientId})` }] });
      for (const patient of [typed, { givenName: 'JOSÉ', familyName: 'NÚÑEZ GARCÍA' }, { givenName: 'Nunez Garcia', familyName: 'jose' }, { givenName: 'Jose\u0301', familyName: 'Nu\u0303n\u0303ez-Garci\u0301a' }]) {
        const attached = await assess(await newEnquiry(), firstOf({ ...patient, dateOfBirth: '1980-05-05' }, { patientId: recorded.patientId })).expect(201);
        expect(attached.body).toMatchObject({ patientId: recorded.patientId, hn: recorded.hn });
      }
      const stored = await t.admin.query('SELECT given_name, family_name FROM patients WHERE id = $1', [recorded.patientId]);
      expect(stored.rows[0]).toEqual({ given_name: 'José', family_name: 'Núñez-García' });
      // Folding is not guessing: another name is still another person.
      const other = await assess(await newEnquiry(), firstOf({ givenName: 'Josefa', familyName: 'Nunez-Garcia', dateOfBirth: '1980-05-05' }, { patientId: recorded.patientId })).expect(409);
      expect(other.body.code).toBe('PATIENT_DETAILS_MISMATCH');
    });

    it('a Thai name typed with other spacing or a decomposed sara am attaches too', async () => {
      const nam = { givenName: 'น้ำ', familyName: 'ณ อยุธยา', dateOfBirth: '1979-01-02' };
      const recorded = (await assess(await newEnquiry(), firstOf(nam)).expect(201)).body;
      for (const patient of [
        { givenName: 'น\u0e49\u0e4d\u0e32', familyName: 'ณ อยุธยา' },
        { givenName: 'น้ำ', familyName: 'ณ  อยุธยา' },
        { givenName: 'น้ำ', familyName: 'ณ\u00a0อยุธยา' },
      ]) {
        const guard = await assess(await newEnquiry(), firstOf({ ...patient, dateOfBirth: '1979-01-02' })).expect(409);
        expect(guard.body.code).toBe('POSSIBLE_DUPLICATE_PATIENT');
        const attached = await assess(await newEnquiry(), firstOf({ ...patient, dateOfBirth: '1979-01-02' }, { patientId: recorded.patientId })).expect(201);
        expect(attached.body.patientId).toBe(recorded.patientId);
      }
      const stored = await t.admin.query('SELECT given_name, family_name FROM patients WHERE id = $1', [recorded.patientId]);
      expect(stored.rows[0]).toEqual({ given_name: 'น้ำ', family_name: 'ณ อยุธยา' });
    });

    it('a refused attach is on that patient’s audit trail (the id exists), as a DENIED read', async () => {
      const earlier = (await assess(await newEnquiry()).expect(201)).body;
      const enquiryId = await newEnquiry();
      const response = await assess(enquiryId, assessmentBody({ patientId: earlier.patientId, patient: { givenName: 'Malee' } })).expect(409);
      expect(response.body).toMatchObject({ code: 'PATIENT_DETAILS_MISMATCH', details: [{ field: 'patientId', reason: expect.any(String) }] });
      const rows = await t.admin.query(`SELECT action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1`, [response.headers['x-correlation-id']]);
      expect(rows.rows).toEqual([
        { action: 'READ', resource: 'patient', resource_id: earlier.patientId, patient_id: earlier.patientId, outcome: 'DENIED', detail: { refusal: 'PATIENT_DETAILS_MISMATCH', enquiryId } },
      ]);
    });
  });

  describe('who the patient is, on later versions', () => {
    const patientRow = async (id: string) =>
      (await t.admin.query('SELECT given_name, family_name, date_of_birth::text AS dob, sex FROM patients WHERE id = $1', [id])).rows[0];

    it('while the record is this enquiry’s alone, a later version corrects name, date of birth and sex, but never puts the birth after the first assessment (422)', async () => {
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId, assessmentBody({ assessedOn: '2024-05-10' })).expect(201)).body;
      const later = (patient: Json) => assess(enquiryId, assessmentBody({ assessedOn: '2024-06-01', patient }));

      const dayAfter = await later({ dateOfBirth: '2024-05-11' }).expect(422);
      expect(dayAfter.body).toMatchObject({
        code: 'DATE_OF_BIRTH_AFTER_CARE',
        details: [{ field: 'patient.dateOfBirth', reason: "must not be after the patient's first assessment (2024-05-10)" }],
      });
      expect(await patientRow(first.patientId)).toMatchObject({ dob: '1971-03-09' });
      await later({ dateOfBirth: '2024-05-10' }).expect(201);
      await later({ givenName: 'Malee', familyName: 'Srisook', dateOfBirth: '1972-03-09', sex: 'other' }).expect(201);
      expect(await patientRow(first.patientId)).toEqual({ given_name: 'Malee', family_name: 'Srisook', dob: '1972-03-09', sex: 'other' });
    });

    it('a patient in a stay is not renamed or re-dated by another enquiry’s later version (409 naming the fields); the same identity in other case is fine', async () => {
      const mali = { givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', sex: 'female' };
      const stay = await admitPatient(t, admissions, assessmentBody({ assessedOn: '2024-05-10', patient: mali }), '2024-05-12');
      const enquiryId = await newEnquiry();
      await assess(enquiryId, assessmentBody({ patientId: stay.patientId, patient: mali })).expect(201);

      const renamed = await assess(enquiryId, assessmentBody({ patient: { givenName: 'Someone', familyName: 'Else', dateOfBirth: '2024-05-13', sex: 'male' } })).expect(409);
      const reason = (what: string) => `is not the recorded ${what}: the record has a stay, so this enquiry's assessment may not change it`;
      expect(renamed.body).toMatchObject({
        code: 'PATIENT_DETAILS_MISMATCH',
        details: [
          { field: 'patient.givenName', reason: reason('name') },
          { field: 'patient.familyName', reason: reason('name') },
          { field: 'patient.dateOfBirth', reason: reason('date of birth') },
        ],
      });
      const oneDay = await assess(enquiryId, assessmentBody({ patient: { ...mali, dateOfBirth: '1971-03-10' } })).expect(409);
      expect(oneDay.body.details).toEqual([{ field: 'patient.dateOfBirth', reason: reason('date of birth') }]);
      expect(await patientRow(stay.patientId)).toEqual({ given_name: 'Mali', family_name: 'Srisuk', dob: '1971-03-09', sex: 'female' });
      expect((await get(`/enquiries/${enquiryId}/assessments`).expect(200)).body.items).toHaveLength(1);

      const sameInOtherCase = await assess(enquiryId, assessmentBody({ patient: { givenName: 'MALI', familyName: 'srisuk', dateOfBirth: '1971-03-09', sex: 'male' } })).expect(201);
      expect((sameInOtherCase.body.input as { patient: Json }).patient.sex).toBe('female');
      expect(await patientRow(stay.patientId)).toEqual({ given_name: 'Mali', family_name: 'Srisuk', dob: '1971-03-09', sex: 'female' });
    });

    it('once another enquiry shares the record, not even the enquiry that created it may rename the patient; an unknown sex is filled in', async () => {
      const enquiryId = await newEnquiry();
      const first = (await assess(enquiryId, without(assessmentBody(), 'patient.sex')).expect(201)).body;
      await assess(await newEnquiry(), assessmentBody({ patientId: first.patientId, patient: { sex: 'female' } })).expect(201);
      expect(await patientRow(first.patientId)).toMatchObject({ sex: 'female' });

      const renamed = await assess(enquiryId, assessmentBody({ patient: { familyName: 'Srisook' } })).expect(409);
      expect(renamed.body).toMatchObject({ code: 'PATIENT_DETAILS_MISMATCH', details: [{ field: 'patient.givenName' }, { field: 'patient.familyName' }] });
      expect(renamed.body.details[0].reason).toContain('belongs to another enquiry too');
      await assess(enquiryId, assessmentBody({ patient: { sex: 'male' } })).expect(201);
      expect(await patientRow(first.patientId)).toEqual({ given_name: 'Mali', family_name: 'Srisuk', dob: '1971-03-09', sex: 'female' });
    });
  });

  describe('roles', () => {
    it('only admissions may record an assessment', async () => {
      const enquiryId = await newEnquiry();
      const others = [psychiatrist, await signInFirstAdmin(t), ...(await Promise.all((['nurse', 'billing', 'aftercare'] as const).map((r) => createStaff(t, [r]))))];
      for (const staff of others) {
        const response = await assess(enquiryId, assessmentBody(), staff).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      await t.http.post(`${API}/enquiries/${enquiryId}/assessment`).send(assessmentBody()).expect(401);
      await expectUntouched(enquiryId, await count('patients'));
    });

    it('admissions and psychiatrists may read; nurse, billing, aftercare and admin may not; no token is 401', async () => {
      const enquiryId = await newEnquiry();
      const { id } = (await assess(enquiryId).expect(201)).body;
      const paths = [`/enquiries/${enquiryId}/assessment`, `/enquiries/${enquiryId}/assessments`, `/assessments/${id}`];
      const others = [await signInFirstAdmin(t), ...(await Promise.all((['nurse', 'billing', 'aftercare'] as const).map((r) => createStaff(t, [r]))))];
      for (const path of paths) {
        await get(path, admissions).expect(200);
        await get(path, psychiatrist).expect(200);
        for (const staff of others) await get(path, staff).expect(403);
        await t.http.get(`${API}${path}`).expect(401);
      }
    });
  });

  describe('audit', () => {
    it('records the creation and every read with the patient id and the actor', async () => {
      const enquiryId = await newEnquiry();
      const { id, patientId } = (await assess(enquiryId).expect(201)).body;
      await get(`/enquiries/${enquiryId}/assessment`, psychiatrist).expect(200);
      await get(`/assessments/${id}`).expect(200);
      await get(`/enquiries/${enquiryId}/assessments`, psychiatrist).expect(200);
      const rows = await t.admin.query(
        `SELECT action, resource_id, actor_id, patient_id, detail FROM audit_events
          WHERE resource = 'assessment' AND (resource_id = $1 OR detail->>'enquiryId' = $2) ORDER BY seq`,
        [id, enquiryId],
      );
      expect(rows.rows).toEqual([
        { action: 'CREATE', resource_id: id, actor_id: admissions.id, patient_id: patientId, detail: { enquiryId, version: 1, patientCreated: true } },
        { action: 'READ', resource_id: id, actor_id: psychiatrist.id, patient_id: patientId, detail: null },
        { action: 'READ', resource_id: id, actor_id: admissions.id, patient_id: patientId, detail: null },
        { action: 'READ', resource_id: null, actor_id: psychiatrist.id, patient_id: patientId, detail: { enquiryId, versions: 1 } },
      ]);
    });
  });
});
