import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { addDays as plusDays } from '../src/clinical/calendar-dates.js';
import type { TaperStep } from '../src/clinical/taper-types.js';
import { admitPatient } from './support/intake.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody, stepsOf, WORKED_EXAMPLE_STEPS } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;
type Step = TaperStep;

const codes = (warnings: { code: string }[]): string[] => warnings.map((w) => w.code);
const doses = (steps: readonly Step[]): [string, number][] => steps.map((s) => [s.startsOn, s.dailyDose]);

const oxycodone = apiExampleOrder;

const morphine = (overrides: Json = {}): Json => oxycodone({ drug: 'morphine', startDailyDose: 30, ...overrides });

const WORKED_EXAMPLE = WORKED_EXAMPLE_STEPS;

/** The intake line of one opioid (six months on it: weeks-to-months guidance). */
const intakeOpioid = (drug: string, formulation: string, dose: number, timesPerDay: number, unit = 'mg') => ({ drug, formulation, dose, unit, timesPerDay, monthsOnTherapy: 6, prescribed: true });

/**
 * A regimen holding every product the tests below taper, each at least at the dose they start
 * from: oxycodone IR 60 mg, morphine IR 30 mg, hydromorphone IR 8 mg and a fentanyl 50 mcg/h patch.
 */
const WARD_INTAKE = [
  EXAMPLE_INTAKE_OPIOID,
  intakeOpioid('morphine', 'IR', 10, 3),
  intakeOpioid('hydromorphone', 'IR', 4, 2),
  intakeOpioid('fentanyl', 'TRANSDERMAL', 50, 1, 'mcg/h'),
];

describe('taper orders', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let billing: Staff;
  let aftercare: Staff;
  let patientCount = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare } = await staffForEveryRole(t));
  });
  afterAll(async () => {
    await t.close();
  });
  // Every test starts on a known clinic day, whatever the real date: the worked example has not begun yet.
  beforeEach(() => setToday('2027-01-01'));

  /** Moves the fake clock so that it is `date` on the clinic's calendar (Asia/Bangkok), at `time` local. */
  function setToday(date: string, time = '10:00:00'): void {
    setNow(new Date(`${date}T${time}+07:00`));
  }

  function setNow(instant: Date): void {
    t.clock.setTo(instant);
  }

  /** A new patient (own name, so the ward list sorts predictably) admitted through the API. */
  async function admit(familyName = `Patient${String(++patientCount).padStart(3, '0')}`, givenName = 'Test', opioids: Json[] = WARD_INTAKE, admittedOn = '2027-01-04'): Promise<{ admissionId: string; patientId: string; name: string }> {
    const admitted = await admitPatient(t, clerk, exampleIntakeBody({ patient: { givenName, familyName }, opioids }), admittedOn);
    return { admissionId: admitted.admissionId, patientId: admitted.patientId, name: `${givenName} ${familyName}` };
  }

  const create = (admissionId: string, body: Json = oxycodone(), as: Staff = psychiatrist) =>
    t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(as)).send(body);
  const sign = (id: string, as: Staff = psychiatrist) => t.http.post(`${API}/taper-orders/${id}/sign`).set(bearer(as));
  const amend = (id: string, body: Json, as: Staff = psychiatrist) => t.http.post(`${API}/taper-orders/${id}/amendments`).set(bearer(as)).send(body);
  const getOrder = (id: string, as: Staff = psychiatrist) => t.http.get(`${API}/taper-orders/${id}`).set(bearer(as));
  const listOrders = (admissionId: string, as: Staff = psychiatrist) => t.http.get(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(as));
  const dosesOn = (date: string, as: Staff = nurse) => t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(as));

  async function draft(admissionId: string, body: Json = oxycodone()): Promise<Json & { id: string; steps: Step[] }> {
    return (await create(admissionId, body).expect(201)).body;
  }

  async function signed(admissionId: string, body: Json = oxycodone()): Promise<Json & { id: string; steps: Step[] }> {
    const order = await draft(admissionId, body);
    return (await sign(order.id).expect(200)).body;
  }

  /** The items of the ward list that belong to these admissions. */
  async function dosesFor(date: string, admissionIds: string[]): Promise<Json[]> {
    const response = await dosesOn(date).expect(200);
    expect(response.body.date).toBe(date);
    return response.body.items.filter((item: Json) => admissionIds.includes(item.admissionId as string));
  }

  async function discharge(admissionId: string): Promise<void> {
    await t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = admitted_on WHERE id = $1`, [admissionId]);
  }

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  /**
   * Runs `requests` while this test holds a row lock, and lets go only once `waiters` requests are
   * queued behind it: they all pass their own checks before any of them can commit.
   */
  async function racing<T>(table: 'taper_orders' | 'admissions', id: string, waiters: number, requests: () => Promise<T>): Promise<T> {
    const client = await t.admin.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
      const pending = requests();
      for (let i = 0; ; i++) {
        const waiting = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (waiting.rows[0].n >= waiters) break;
        if (i > 500) throw new Error(`Only ${waiting.rows[0].n} of ${waiters} requests ever waited for the lock`);
        await sleep(10);
      }
      await client.query('COMMIT');
      return await pending;
    } finally {
      client.release();
    }
  }

  const statusesOf = async (orderId: string): Promise<string[]> =>
    (await t.admin.query('SELECT status FROM taper_orders WHERE order_id = $1 ORDER BY version', [orderId])).rows.map((r: { status: string }) => r.status);

  const storedStepsOf = async (versionId: string): Promise<[string, number][]> =>
    (await t.admin.query(`SELECT starts_on::text AS starts_on, daily_dose::float8 AS dose FROM taper_steps WHERE version_id = $1 ORDER BY step`, [versionId])).rows.map(
      (r: { starts_on: string; dose: number }) => [r.starts_on, r.dose],
    );

  describe('drafting an order', () => {
    it('turns the worked example into a DRAFT, version 1, with every step, the end date and the warnings', async () => {
      const { admissionId, patientId } = await admit();
      const response = await create(admissionId).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        orderId: response.body.id,
        version: 1,
        status: 'DRAFT',
        admissionId,
        patientId,
        drug: 'oxycodone',
        formulation: 'IR',
        unit: 'mg',
        startDailyDose: 60,
        unitStrengths: [5, 10],
        allowHalfTablets: true,
        reductionPercent: 10,
        intervalDays: 7,
        basis: 'START',
        startDate: '2027-01-04',
        targetDailyDose: 0,
        overrideReason: null,
        lifeThreateningReason: null,
        replaces: null,
        rotationReason: null,
        crossTaper: false,
        steps: WORKED_EXAMPLE,
        endsOn: '2027-06-26',
        discontinued: false,
        warnings: [{ code: 'INTERVAL_STRETCHED', message: expect.any(String) }],
        pauses: [],
        supersedesId: null,
        effectiveFrom: null,
        amendmentReason: null,
        supersededFrom: null,
        createdBy: psychiatrist.id,
        createdAt: expect.any(String),
        signedBy: null,
        signedAt: null,
      });
      // What was stored is what was answered.
      const read = await getOrder(response.body.id).expect(200);
      const { versions, ...rest } = read.body;
      expect(rest).toEqual(response.body);
      expect(versions).toEqual([
        { id: response.body.id, version: 1, status: 'DRAFT', effectiveFrom: null, amendmentReason: null, supersededFrom: null, createdAt: response.body.createdAt },
      ]);
      expect(await storedStepsOf(response.body.id)).toEqual(doses(WORKED_EXAMPLE));
    });

    it('takes the drug code in any case and stores it in lower case', async () => {
      const { admissionId } = await admit();
      const response = await create(admissionId, oxycodone({ drug: '  OxyCodone ' })).expect(201);
      expect(response.body.drug).toBe('oxycodone');
      expect(response.body.steps).toEqual(WORKED_EXAMPLE);
    });

    it('basis CURRENT cuts 10% of the current dose, stretching from 22.5 mg on', async () => {
      const { admissionId } = await admit();
      const response = await create(admissionId, oxycodone({ basis: 'CURRENT' })).expect(201);
      expect(response.body.basis).toBe('CURRENT');
      expect(response.body.steps).toHaveLength(22);
      expect(response.body.steps.slice(3, 6)).toEqual(
        stepsOf([
          [4, '2027-01-25', 45, 67.5, 10, 75],
          [5, '2027-02-01', 42.5, 63.75, 5.56, 70.83],
          [6, '2027-02-08', 40, 60, 5.88, 66.67],
        ]),
      );
      expect(doses(response.body.steps.slice(12))).toEqual([
        ['2027-03-29', 22.5],
        ['2027-04-06', 20],
        ['2027-04-15', 17.5],
        ['2027-04-25', 15],
        ['2027-05-07', 12.5],
        ['2027-05-21', 10],
        ['2027-06-08', 7.5],
        ['2027-07-02', 5],
        ['2027-08-06', 2.5],
        ['2027-08-13', 0],
      ]);
      expect(response.body.endsOn).toBe('2027-08-13');
      expect(codes(response.body.warnings)).toEqual(['INTERVAL_STRETCHED']);
    });

    it('a target above zero ends there: 20 mg on the ninth step, nothing stretched', async () => {
      const { admissionId } = await admit();
      const response = await create(admissionId, oxycodone({ targetDailyDose: 20 })).expect(201);
      expect(response.body.steps).toEqual(WORKED_EXAMPLE.slice(0, 9));
      expect(response.body).toMatchObject({ targetDailyDose: 20, endsOn: '2027-03-01', warnings: [] });
    });

    it('a fentanyl patch in mcg/h: one 12.5 patch at a time', async () => {
      const { admissionId } = await admit();
      const body = oxycodone({ drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 50, unitStrengths: [12.5, 25, 50], allowHalfTablets: false });
      const response = await create(admissionId, body).expect(201);
      expect(codes(response.body.warnings)).toContain('FENTANYL_PATCH_CAUTION');
      expect(response.body.steps.map((s: Step) => [s.startsOn, s.dailyDose, s.dailyMme])).toEqual([
        ['2027-01-04', 50, 120],
        ['2027-01-22', 37.5, 90],
        ['2027-02-09', 25, 60],
        ['2027-02-27', 12.5, 30],
        ['2027-03-06', 0, 0],
      ]);
    });

    it('a start date in the past is accepted (orders are often entered after the fact)', async () => {
      const { admissionId } = await admit();
      setToday('2027-03-10');
      const response = await create(admissionId).expect(201);
      expect(response.body.steps).toEqual(WORKED_EXAMPLE);
    });
  });

  describe('guidance (422)', () => {
    let admissionId: string;
    beforeAll(async () => {
      ({ admissionId } = await admit());
    });

    it('FASTER_THAN_GUIDANCE: 10% every 5 days (14% a week) is refused without an override reason', async () => {
      const response = await create(admissionId, oxycodone({ intervalDays: 5 })).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, code: 'FASTER_THAN_GUIDANCE', details: [{ field: 'reductionPercent', reason: expect.stringContaining('14% per week') }] });
      expect(response.body.message).toContain('14% per week');
      expect(response.body.correlationId).toBe(response.headers['x-correlation-id']);
    });

    it('FASTER_THAN_GUIDANCE: accepted with an override reason, which is stored; the warning stays', async () => {
      const reason = 'Patient asked for a faster pace after review with the team';
      const response = await create(admissionId, oxycodone({ intervalDays: 5, overrideReason: reason })).expect(201);
      expect(response.body.overrideReason).toBe(reason);
      expect(codes(response.body.warnings)).toEqual(['FASTER_THAN_GUIDANCE', 'INTERVAL_STRETCHED']);
      expect(response.body.steps.slice(0, 3).map((s: Step) => [s.startsOn, s.dailyDose])).toEqual([
        ['2027-01-04', 60],
        ['2027-01-09', 55],
        ['2027-01-14', 50],
      ]);
      const stored = await t.admin.query('SELECT override_reason, warnings FROM taper_orders WHERE id = $1', [response.body.id]);
      expect(stored.rows[0].override_reason).toBe(reason);
      expect(codes(stored.rows[0].warnings)).toEqual(['FASTER_THAN_GUIDANCE', 'INTERVAL_STRETCHED']);
      expect((await getOrder(response.body.id).expect(200)).body.overrideReason).toBe(reason);
    });

    it('a blank override reason is no reason (trimmed to empty: 400)', async () => {
      const response = await create(admissionId, oxycodone({ intervalDays: 5, overrideReason: '   ' })).expect(400);
      expect(response.body.details).toEqual([{ field: 'overrideReason', reason: expect.any(String) }]);
    });

    it('ABRUPT_DISCONTINUATION: 50% of the start weekly from 60 mg would stop from 30 mg', async () => {
      const halving = oxycodone({ reductionPercent: 50, overrideReason: 'Reviewed with the patient' });
      const refused = await create(admissionId, halving).expect(422);
      expect(refused.body).toMatchObject({ code: 'ABRUPT_DISCONTINUATION', details: [{ field: 'reductionPercent' }] });
      // Without the override the rate is refused first.
      expect((await create(admissionId, oxycodone({ reductionPercent: 50 })).expect(422)).body.code).toBe('FASTER_THAN_GUIDANCE');

      const reason = 'Life-threatening respiratory depression';
      const allowed = await create(admissionId, { ...halving, lifeThreateningReason: reason }).expect(201);
      expect(allowed.body.steps).toEqual(
        stepsOf([
          [1, '2027-01-04', 60, 90, 0, 100],
          [2, '2027-01-11', 30, 45, 50, 50],
          [3, '2027-01-18', 0, 0, 100, 0],
        ]),
      );
      expect(allowed.body).toMatchObject({ lifeThreateningReason: reason, endsOn: '2027-01-18' });
      expect(codes(allowed.body.warnings)).toEqual(['FASTER_THAN_GUIDANCE', 'ABRUPT_DISCONTINUATION', 'LARGE_SINGLE_CUT']);
    });

    it('ABRUPT_DISCONTINUATION even within the weekly rate (50% every 35 days)', async () => {
      const slow = oxycodone({ reductionPercent: 50, intervalDays: 35 });
      expect((await create(admissionId, slow).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
      const allowed = await create(admissionId, { ...slow, lifeThreateningReason: 'Respiratory depression' }).expect(201);
      expect(doses(allowed.body.steps)).toEqual([
        ['2027-01-04', 60],
        ['2027-02-08', 30],
        ['2027-03-15', 0],
      ]);
      // 60 → 30 also halves the dose in one step.
      expect(codes(allowed.body.warnings)).toEqual(['ABRUPT_DISCONTINUATION', 'LARGE_SINGLE_CUT']);
    });

    it('LARGE_SINGLE_CUT: 60 → 7.5 mg in one step is refused although the 63-day wait keeps the weekly rate; with a reason it is kept, flagged', async () => {
      const cut = oxycodone({ targetDailyDose: 7.5, reductionPercent: 87.5, intervalDays: 63 });
      const refused = await create(admissionId, cut).expect(422);
      expect(refused.body).toMatchObject({ code: 'LARGE_SINGLE_CUT', details: [{ field: 'reductionPercent' }] });
      const reason = 'Oversedation at 60 mg; reviewed with the patient';
      const created = await create(admissionId, { ...cut, overrideReason: reason }).expect(201);
      expect(doses(created.body.steps)).toEqual([
        ['2027-01-04', 60],
        ['2027-03-08', 7.5],
      ]);
      expect(codes(created.body.warnings)).toEqual(['LARGE_SINGLE_CUT']);
      const read = await t.http.get(`${API}/taper-orders/${created.body.id}`).set(bearer(psychiatrist)).expect(200);
      expect(read.body).toMatchObject({ overrideReason: reason });
      expect(codes(read.body.warnings)).toEqual(['LARGE_SINGLE_CUT']);
    });

    it('LARGE_SINGLE_CUT at its boundary: a 25% cut passes, the next achievable one (60 → 42.5, 29%) does not; 60 → 30 → 15 every 35 days neither', async () => {
      expect((await create(admissionId, oxycodone({ targetDailyDose: 45, reductionPercent: 25, intervalDays: 18 })).expect(201)).body.warnings).toEqual([]);
      const over = await create(admissionId, oxycodone({ targetDailyDose: 42.5, reductionPercent: 29.17, intervalDays: 21 })).expect(422);
      expect(over.body.code).toBe('LARGE_SINGLE_CUT');
      const halving = await create(admissionId, oxycodone({ targetDailyDose: 15, reductionPercent: 50, intervalDays: 35, basis: 'CURRENT' })).expect(422);
      expect(halving.body.code).toBe('LARGE_SINGLE_CUT');
    });

    it.each([
      ['a start of 61 mg (quantum 2.5)', 'startDailyDose', { startDailyDose: 61 }],
      ['a start of 2.5 mg without halves', 'startDailyDose', { startDailyDose: 2.5, allowHalfTablets: false }],
      ['a target of 21 mg', 'targetDailyDose', { targetDailyDose: 21 }],
      ['a target of 2.5 mg without halves', 'targetDailyDose', { targetDailyDose: 2.5, allowHalfTablets: false }],
      ['a target equal to the start', 'targetDailyDose', { targetDailyDose: 60 }],
      ['a target above the start', 'targetDailyDose', { targetDailyDose: 80 }],
    ])('DOSE_NOT_ACHIEVABLE: %s, naming %s', async (_, field, change) => {
      const response = await create(admissionId, oxycodone(change)).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, code: 'DOSE_NOT_ACHIEVABLE', details: [{ field, reason: expect.any(String) }] });
    });

    it.each([
      ['an unknown drug', 'UNKNOWN_OPIOID', 'drug', { drug: 'heroin' }],
      ['a unit the drug is not dosed in (oxycodone in mcg/h)', 'UNIT_MISMATCH', 'unit', { unit: 'mcg/h' }],
      ['a patch halved', 'PATCH_NOT_DIVISIBLE', 'allowHalfTablets', { drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 50, unitStrengths: [12.5] }],
      ['an opioid not in the intake regimen', 'NOT_IN_INTAKE_REGIMEN', 'drug', { drug: 'tapentadol', startDailyDose: 100, unitStrengths: [50] }],
      ['too many steps', 'SCHEDULE_TOO_LONG', 'reductionPercent', { drug: 'morphine', startDailyDose: 1000, unitStrengths: [1], allowHalfTablets: false, reductionPercent: 1, basis: 'CURRENT' }],
    ])('other clinical refusals are 422 too: %s → %s on %s', async (_, code, field, change) => {
      const response = await create(admissionId, oxycodone(change)).expect(422);
      expect(response.body).toMatchObject({ code, details: [{ field }] });
    });

    it('nothing refused is stored', async () => {
      const stored = await t.admin.query(`SELECT count(*)::int AS n FROM taper_orders WHERE admission_id = $1`, [admissionId]);
      expect(stored.rows[0].n).toBe(5); // the override, the two life-threatening orders, the large cut with its reason and the 25% cut
    });
  });

  describe('validation (400)', () => {
    let admissionId: string;
    beforeAll(async () => {
      ({ admissionId } = await admit());
    });

    const missing = (field: string): Json => {
      const body = oxycodone();
      delete body[field];
      return body;
    };

    it.each([
      ['a missing drug', 'drug', missing('drug')],
      ['a missing formulation', 'formulation', missing('formulation')],
      ['a missing start dose', 'startDailyDose', missing('startDailyDose')],
      ['a negative start dose', 'startDailyDose', oxycodone({ startDailyDose: -60 })],
      ['a start dose of 0', 'startDailyDose', oxycodone({ startDailyDose: 0 })],
      ['a start dose with 4 decimals', 'startDailyDose', oxycodone({ startDailyDose: 60.0001 })],
      ['a start dose as a string', 'startDailyDose', oxycodone({ startDailyDose: '60' })],
      ['a missing target', 'targetDailyDose', missing('targetDailyDose')],
      ['a negative target', 'targetDailyDose', oxycodone({ targetDailyDose: -5 })],
      ['a target with 4 decimals', 'targetDailyDose', oxycodone({ targetDailyDose: 2.5001 })],
      ['a missing unit', 'unit', missing('unit')],
      ['an unknown unit', 'unit', oxycodone({ unit: 'g' })],
      ['an unknown formulation', 'formulation', oxycodone({ formulation: 'PATCH' })],
      ['empty unit strengths', 'unitStrengths', oxycodone({ unitStrengths: [] })],
      ['a unit strength of 0', 'unitStrengths', oxycodone({ unitStrengths: [5, 0] })],
      ['a negative unit strength', 'unitStrengths', oxycodone({ unitStrengths: [-5] })],
      ['unit strengths not a list', 'unitStrengths', oxycodone({ unitStrengths: 5 })],
      ['a missing allowHalfTablets', 'allowHalfTablets', missing('allowHalfTablets')],
      ['a reduction of 0%', 'reductionPercent', oxycodone({ reductionPercent: 0 })],
      ['a reduction of 101%', 'reductionPercent', oxycodone({ reductionPercent: 101 })],
      ['a reduction with 3 decimals', 'reductionPercent', oxycodone({ reductionPercent: 5.125 })],
      ['an interval of 0 days', 'intervalDays', oxycodone({ intervalDays: 0 })],
      ['an interval of 7.5 days', 'intervalDays', oxycodone({ intervalDays: 7.5 })],
      ['an interval over a year', 'intervalDays', oxycodone({ intervalDays: 366 })],
      ['an unknown basis', 'basis', oxycodone({ basis: 'ORIGINAL' })],
      ['30 February', 'startDate', oxycodone({ startDate: '2027-02-30' })],
      ['a timestamp for a date', 'startDate', oxycodone({ startDate: '2027-01-04T00:00:00Z' })],
      ['a missing start date', 'startDate', missing('startDate')],
      ['an unknown field', 'dosePerTablet', oxycodone({ dosePerTablet: 5 })],
    ])('%s → 400 naming %s', async (_, field, body) => {
      const response = await create(admissionId, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.details.map((d: { field: string }) => d.field.replace(/\[\d+\]$/, ''))).toEqual([field]);
    });

    it('a body that is not a JSON object → 400', async () => {
      await create(admissionId, [oxycodone()] as unknown as Json).expect(400);
    });

    it('the path id must be a UUID (400) of an existing admission (404)', async () => {
      await t.http.post(`${API}/admissions/not-a-uuid/taper-orders`).set(bearer(psychiatrist)).send(oxycodone()).expect(400);
      const response = await create(MISSING_ID).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('nothing invalid is stored', async () => {
      const stored = await t.admin.query(`SELECT count(*)::int AS n FROM taper_orders WHERE admission_id = $1`, [admissionId]);
      expect(stored.rows[0].n).toBe(0);
    });
  });

  describe('signing', () => {
    it('DRAFT → ACTIVE, with who signed and when; the schedule does not change', async () => {
      setNow(new Date('2027-01-02T03:04:05.000Z'));
      const { admissionId } = await admit();
      const order = await draft(admissionId);
      const response = await sign(order.id).expect(200);
      expect(response.body).toEqual({ ...order, status: 'ACTIVE', signedBy: psychiatrist.id, signedAt: expect.any(String) });
      expect(Math.abs(Date.parse(response.body.signedAt) - Date.parse('2027-01-02T03:04:05.000Z'))).toBeLessThan(60_000);
      const read = await getOrder(order.id).expect(200);
      expect(read.body).toMatchObject({ status: 'ACTIVE', signedBy: psychiatrist.id, signedAt: response.body.signedAt, steps: WORKED_EXAMPLE });
    });

    it('signing twice → 409 ALREADY_SIGNED, and the first signature stands', async () => {
      const { admissionId } = await admit();
      const order = await signed(admissionId);
      const again = await sign(order.id).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'ALREADY_SIGNED' });
      expect((await getOrder(order.id).expect(200)).body).toMatchObject({ status: 'ACTIVE', signedAt: order.signedAt });
    });

    it('a second draft of the same drug can be created, but signing it → 409 ACTIVE_ORDER_EXISTS', async () => {
      const { admissionId } = await admit();
      const first = await signed(admissionId);
      const second = await draft(admissionId, oxycodone({ drug: 'OXYCODONE', reductionPercent: 5 }));
      expect(second.status).toBe('DRAFT');
      const response = await sign(second.id).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'ACTIVE_ORDER_EXISTS' });
      expect(await statusesOf(second.id)).toEqual(['DRAFT']);
      expect(await statusesOf(first.id)).toEqual(['ACTIVE']);
    });

    it('two drafts of one drug signed at the same moment: exactly one becomes ACTIVE', async () => {
      const { admissionId } = await admit();
      const [a, b] = [await draft(admissionId), await draft(admissionId, oxycodone({ basis: 'CURRENT' }))];
      // Both drafts are locked and checked, then both wait for the admission.
      const responses = await racing('admissions', admissionId, 2, () => Promise.all([sign(a.id), sign(b.id)]));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('ACTIVE_ORDER_EXISTS');
      const active = await t.admin.query(`SELECT id FROM taper_orders WHERE admission_id = $1 AND status = 'ACTIVE'`, [admissionId]);
      expect(active.rows).toEqual([{ id: responses.find((r) => r.status === 200)!.body.id }]);
    });

    it('a draft of another drug is signed alongside', async () => {
      const { admissionId } = await admit();
      await signed(admissionId);
      const other = await draft(admissionId, morphine());
      const response = await sign(other.id).expect(200);
      expect(response.body).toMatchObject({ drug: 'morphine', status: 'ACTIVE' });
      const active = await t.admin.query(`SELECT drug FROM taper_orders WHERE admission_id = $1 AND status = 'ACTIVE' ORDER BY drug`, [admissionId]);
      expect(active.rows).toEqual([{ drug: 'morphine' }, { drug: 'oxycodone' }]);
    });

    it('a signed order cannot change: there is no edit route, only amendments', async () => {
      const { admissionId } = await admit();
      const order = await signed(admissionId);
      for (const method of ['patch', 'put', 'delete'] as const) {
        await t.http[method](`${API}/taper-orders/${order.id}`).set(bearer(psychiatrist)).send({ reductionPercent: 5 }).expect(404);
      }
      expect((await getOrder(order.id).expect(200)).body).toMatchObject({ status: 'ACTIVE', reductionPercent: 10, steps: WORKED_EXAMPLE });
    });

    it('a missing order → 404; a non-UUID id → 400', async () => {
      expect((await sign(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      await sign('123').expect(400);
    });
  });

  describe('amendments', () => {
    const PAUSE_REASON = 'COWS 14 on two days; holding the dose.';

    it('a 7-day pause from a date: the old version SUPERSEDED from then, a new ACTIVE version 2 with later steps shifted', async () => {
      const { admissionId, patientId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10'); // steps 1–6 have started
      const response = await amend(v1.id, { effectiveFrom: '2027-02-12', pauseDays: 7, reason: PAUSE_REASON }).expect(201);
      const v2 = response.body;
      expect(v2).toMatchObject({
        orderId: v1.id,
        version: 2,
        status: 'ACTIVE',
        admissionId,
        patientId,
        drug: 'oxycodone',
        reductionPercent: 10,
        intervalDays: 7,
        startDate: '2027-01-04',
        supersedesId: v1.id,
        effectiveFrom: '2027-02-12',
        amendmentReason: PAUSE_REASON,
        supersededFrom: null,
        pauses: [{ from: '2027-02-12', days: 7, reason: PAUSE_REASON }],
        endsOn: '2027-07-03',
        createdBy: psychiatrist.id,
        signedBy: psychiatrist.id,
      });
      expect(v2.id).not.toBe(v1.id);
      // Steps before the date untouched, every later one exactly 7 days on.
      expect(v2.steps.slice(0, 6)).toEqual(WORKED_EXAMPLE.slice(0, 6));
      expect(v2.steps.slice(6)).toEqual(WORKED_EXAMPLE.slice(6).map((s) => ({ ...s, startsOn: plusDays(s.startsOn, 7) })));
      // The schedule still stretches its tail: the warning describes the new version too.
      expect(codes(v2.warnings)).toEqual(['INTERVAL_STRETCHED']);

      const old = await getOrder(v1.id).expect(200);
      expect(old.body).toMatchObject({ id: v1.id, version: 1, status: 'SUPERSEDED', supersededFrom: '2027-02-12', steps: WORKED_EXAMPLE, pauses: [] });
      expect(await storedStepsOf(v1.id)).toEqual(doses(WORKED_EXAMPLE));
      expect(await statusesOf(v1.id)).toEqual(['SUPERSEDED', 'ACTIVE']);
    });

    it('a pause that ends before the order has started moves the whole schedule and its start date; one running past the start holds the start dose', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-02', pauseDays: 2, reason: 'Start two days later' }).expect(201)).body;
      expect(v2.steps).toEqual(WORKED_EXAMPLE.map((s) => ({ ...s, startsOn: plusDays(s.startsOn, 2) })));
      expect(v2.startDate).toBe('2027-01-06');
      expect(v2.steps[0].startsOn).toBe(v2.startDate);
      // A later change of rate starts from the moved start date, not the original one.
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-01-03', intervalDays: 14, reason: 'Slower' }).expect(201)).body;
      expect(v3.startDate).toBe('2027-01-06');
      expect(doses(v3.steps.slice(0, 3))).toEqual([
        ['2027-01-06', 60],
        ['2027-01-20', 55],
        ['2027-02-03', 50],
      ]);
      // Running past the start, a pause holds the start dose from the signed start instead.
      const other = await signed((await admit()).admissionId);
      const held = (await amend(other.id, { effectiveFrom: '2027-01-02', pauseDays: 7, reason: 'Settle in first' }).expect(201)).body;
      expect(held.startDate).toBe(other.startDate);
      expect(held.pauses).toEqual([expect.objectContaining({ from: other.startDate, days: 5 })]);
    });

    it('a new rate from a date: the steps started are kept, the rest regenerated at 5% of the start', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10');
      const response = await amend(v1.id, { effectiveFrom: '2027-02-10', reductionPercent: 5, reason: 'Withdrawal symptoms at 10%' }).expect(201);
      const v2 = response.body;
      expect(v2).toMatchObject({ version: 2, status: 'ACTIVE', reductionPercent: 5, intervalDays: 7, effectiveFrom: '2027-02-10', pauses: [], overrideReason: null });
      expect(v2.steps.slice(0, 6)).toEqual(WORKED_EXAMPLE.slice(0, 6));
      // From 35 mg: cut 3 mg (5% of 60) rounded up to 2.5 mg steps while above 18 mg; then one 2.5 mg
      // quantum on intervals of ceil(7 × 2.5 ÷ (5% of the dose)) days: 20, 24, 28, 35, 47, 70.
      expect(doses(v2.steps.slice(6))).toEqual([
        ['2027-02-15', 32.5],
        ['2027-02-22', 30],
        ['2027-03-01', 27.5],
        ['2027-03-08', 25],
        ['2027-03-15', 22.5],
        ['2027-03-22', 20],
        ['2027-03-29', 17.5],
        ['2027-04-18', 15],
        ['2027-05-12', 12.5],
        ['2027-06-09', 10],
        ['2027-07-14', 7.5],
        ['2027-08-30', 5],
        ['2027-11-08', 2.5],
        ['2027-11-15', 0],
      ]);
      expect(v2.steps.map((s: Step) => s.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(v2.steps[6]).toEqual({ step: 7, startsOn: '2027-02-15', dailyDose: 32.5, dailyMme: 48.75, reductionPercent: 7.14, percentOfStart: 54.17 });
      expect(v2.endsOn).toBe('2027-11-15');
      expect(codes(v2.warnings)).toEqual(['INTERVAL_STRETCHED']);
    });

    it('a new interval from a date', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10');
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-02-20', intervalDays: 14, reason: 'Slower pace' }).expect(201)).body;
      expect(v2).toMatchObject({ reductionPercent: 10, intervalDays: 14 });
      // Step 7 (due 02-15) has not started but is before the date: kept. Step 8 is 14 days after it.
      expect(v2.steps.slice(0, 7)).toEqual(WORKED_EXAMPLE.slice(0, 7));
      expect(doses(v2.steps.slice(7, 9))).toEqual([
        ['2027-03-01', 25],
        ['2027-03-15', 20],
      ]);
    });

    it('a faster-than-guidance new rate → 422 unless overrideReason, which the new version then carries', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10');
      const refused = await amend(v1.id, { effectiveFrom: '2027-02-10', reductionPercent: 15, reason: 'Patient wants to go faster' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'FASTER_THAN_GUIDANCE', details: [{ field: 'reductionPercent' }] });
      expect(await statusesOf(v1.id)).toEqual(['ACTIVE']);

      const reason = 'Discussed the risks; the patient insists';
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-02-10', reductionPercent: 15, reason: 'Patient wants to go faster', overrideReason: reason }).expect(201)).body;
      expect(v2).toMatchObject({ version: 2, reductionPercent: 15, overrideReason: reason });
      expect(codes(v2.warnings)).toContain('FASTER_THAN_GUIDANCE');
      expect(doses(v2.steps.slice(6, 9))).toEqual([
        ['2027-02-15', 27.5],
        ['2027-02-22', 20],
        ['2027-03-01', 12.5],
      ]);
    });

    it('an override does not carry over to a later new rate, but does over a pause', async () => {
      const { admissionId } = await admit();
      const reason = 'Agreed faster pace';
      const v1 = await signed(admissionId, oxycodone({ intervalDays: 5, overrideReason: reason }));
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-02', pauseDays: 3, reason: 'Travel' }).expect(201)).body;
      expect(v2.overrideReason).toBe(reason);
      expect(codes(v2.warnings)).toContain('FASTER_THAN_GUIDANCE');
      expect((await amend(v2.id, { effectiveFrom: '2027-01-02', reductionPercent: 12, reason: 'Faster still' }).expect(422)).body.code).toBe('FASTER_THAN_GUIDANCE');
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-01-02', intervalDays: 7, reason: 'Back to guidance' }).expect(201)).body;
      expect(v3).toMatchObject({ intervalDays: 7, overrideReason: null });
      expect(codes(v3.warnings)).not.toContain('FASTER_THAN_GUIDANCE');
    });

    it('a pause keeps an allowed abrupt stop on record: reason and warning', async () => {
      const { admissionId } = await admit();
      const reason = 'Respiratory depression';
      const v1 = await signed(admissionId, oxycodone({ reductionPercent: 50, intervalDays: 35, lifeThreateningReason: reason }));
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-20', pauseDays: 7, reason: 'Hold' }).expect(201)).body;
      expect(doses(v2.steps)).toEqual([
        ['2027-01-04', 60],
        ['2027-02-15', 30],
        ['2027-03-22', 0],
      ]);
      expect(v2.lifeThreateningReason).toBe(reason);
      expect(codes(v2.warnings)).toEqual(['ABRUPT_DISCONTINUATION', 'LARGE_SINGLE_CUT']);
    });

    it('amending the superseded version → 409 SUPERSEDED', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      await amend(v1.id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: PAUSE_REASON }).expect(201);
      const response = await amend(v1.id, { effectiveFrom: '2027-03-01', pauseDays: 3, reason: 'Again' }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'SUPERSEDED' });
      expect(await statusesOf(v1.id)).toEqual(['SUPERSEDED', 'ACTIVE']);
      // Nor can a superseded version be signed.
      expect((await sign(v1.id).expect(409)).body.code).toBe('ALREADY_SIGNED');
    });

    it('amending a draft → 409 NOT_SIGNED', async () => {
      const { admissionId } = await admit();
      const order = await draft(admissionId);
      const response = await amend(order.id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: PAUSE_REASON }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'NOT_SIGNED' });
      expect(await statusesOf(order.id)).toEqual(['DRAFT']);
    });

    it('effectiveFrom before today on the clinic calendar (Asia/Bangkok) → 400; today itself is fine', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      // 18:00 UTC on 9 February is already 10 February in Bangkok.
      setNow(new Date('2027-02-09T18:00:00Z'));
      const response = await amend(v1.id, { effectiveFrom: '2027-02-09', pauseDays: 7, reason: PAUSE_REASON }).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'effectiveFrom', reason: expect.stringContaining('2027-02-10') }] });
      await amend(v1.id, { effectiveFrom: '2027-02-10', pauseDays: 7, reason: PAUSE_REASON }).expect(201);
    });

    it('every step already started → 422 NOTHING_TO_AMEND', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId, oxycodone({ targetDailyDose: 20 }));
      setToday('2027-03-05');
      const response = await amend(v1.id, { effectiveFrom: '2027-03-05', pauseDays: 7, reason: PAUSE_REASON }).expect(422);
      expect(response.body.code).toBe('NOTHING_TO_AMEND');
    });

    it.each([
      ['an empty amendment', {}, ['effectiveFrom', 'reason']],
      ['no pauseDays, reductionPercent nor intervalDays', { effectiveFrom: '2027-02-01', reason: 'Nothing' }, ['(body)']],
      ['no reason', { effectiveFrom: '2027-02-01', pauseDays: 7 }, ['reason']],
      ['a blank reason', { effectiveFrom: '2027-02-01', pauseDays: 7, reason: '   ' }, ['reason']],
      ['pauseDays 0', { effectiveFrom: '2027-02-01', pauseDays: 0, reason: 'x' }, ['pauseDays']],
      ['pauseDays 2.5', { effectiveFrom: '2027-02-01', pauseDays: 2.5, reason: 'x' }, ['pauseDays']],
      ['a reduction of 0%', { effectiveFrom: '2027-02-01', reductionPercent: 0, reason: 'x' }, ['reductionPercent']],
      ['an interval of 0 days', { effectiveFrom: '2027-02-01', intervalDays: 0, reason: 'x' }, ['intervalDays']],
      ['30 February', { effectiveFrom: '2027-02-30', pauseDays: 7, reason: 'x' }, ['effectiveFrom']],
      ['an unknown field', { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'x', holdDays: 7 }, ['holdDays']],
    ])('%s → 400', async (_, body, fields) => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      const response = await amend(v1.id, body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(fields);
      expect(await statusesOf(v1.id)).toEqual(['ACTIVE']);
    });

    it('two concurrent amendments of the same version: exactly one 201, the other 409', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      const responses = await racing('taper_orders', v1.id, 2, () =>
        Promise.all([
          amend(v1.id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'First nurse report' }),
          amend(v1.id, { effectiveFrom: '2027-02-01', reductionPercent: 5, reason: 'Second opinion' }),
        ]),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const loser = responses.find((r) => r.status === 409)!;
      expect(loser.body).toMatchObject({ statusCode: 409, code: 'SUPERSEDED' });
      const winner = responses.find((r) => r.status === 201)!;
      const versions = await t.admin.query('SELECT id, version, status FROM taper_orders WHERE order_id = $1 ORDER BY version', [v1.id]);
      expect(versions.rows).toEqual([
        { id: v1.id, version: 1, status: 'SUPERSEDED' },
        { id: winner.body.id, version: 2, status: 'ACTIVE' },
      ]);
    });

    it('ten concurrent amendments: one wins, nine get 409', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => amend(v1.id, { effectiveFrom: '2027-02-01', pauseDays: i + 1, reason: `Report ${i}` })));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(9).fill('SUPERSEDED'));
      expect(await statusesOf(v1.id)).toEqual(['SUPERSEDED', 'ACTIVE']);
    });

    it('a missing order → 404', async () => {
      expect((await amend(MISSING_ID, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('reading orders', () => {
    it('GET /taper-orders/:id: that version with every version in order, from any version id', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10');
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-02-12', pauseDays: 7, reason: 'Hold' }).expect(201)).body;
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-03-01', reductionPercent: 5, reason: 'Slower' }).expect(201)).body;
      const expectedVersions = [
        { id: v1.id, version: 1, status: 'SUPERSEDED', effectiveFrom: null, amendmentReason: null, supersededFrom: '2027-02-12', createdAt: expect.any(String) },
        { id: v2.id, version: 2, status: 'SUPERSEDED', effectiveFrom: '2027-02-12', amendmentReason: 'Hold', supersededFrom: '2027-03-01', createdAt: expect.any(String) },
        { id: v3.id, version: 3, status: 'ACTIVE', effectiveFrom: '2027-03-01', amendmentReason: 'Slower', supersededFrom: null, createdAt: expect.any(String) },
      ];
      for (const [version, expected] of [[v1, 1], [v2, 2], [v3, 3]] as const) {
        const response = await getOrder(version.id).expect(200);
        expect(response.body).toMatchObject({ id: version.id, orderId: v1.id, version: expected, steps: version.steps });
        expect(response.body.versions).toEqual(expectedVersions);
      }
      expect((await getOrder(v2.id).expect(200)).body.pauses).toEqual([{ from: '2027-02-12', days: 7, reason: 'Hold' }]);
      // The pause of version 2 is kept by version 3, with its own reason.
      expect(v3.pauses).toEqual([{ from: '2027-02-12', days: 7, reason: 'Hold' }]);
    });

    it('GET /admissions/:id/taper-orders: drafts and the active version, never a superseded one', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      const option = await draft(admissionId, oxycodone({ basis: 'CURRENT' }));
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'Hold' }).expect(201)).body;
      const other = await draft(admissionId, morphine());
      const response = await listOrders(admissionId).expect(200);
      expect(response.body.items.map((o: Json) => [o.id, o.status, o.version]).sort()).toEqual(
        [
          [option.id, 'DRAFT', 1],
          [v2.id, 'ACTIVE', 2],
          [other.id, 'DRAFT', 1],
        ].sort(),
      );
      const active = response.body.items.find((o: Json) => o.id === v2.id);
      expect(active).toEqual(v2);
      expect(response.body.items.find((o: Json) => o.id === option.id).steps).toEqual(option.steps);
    });

    it('an admission without orders lists none; a missing admission → 404', async () => {
      const { admissionId } = await admit();
      expect((await listOrders(admissionId).expect(200)).body).toEqual({ items: [], nextCursor: null });
      await listOrders(MISSING_ID).expect(404);
      await getOrder(MISSING_ID).expect(404);
    });
  });

  describe('the day’s doses (GET /taper-doses)', () => {
    it('every active admission’s current step per active order: several patients, several drugs, no drafts, not before the start', async () => {
      const first = await admit('Aaronson', 'Anna');
      const second = await admit('Aaronson', 'Ben');
      const oxy = await signed(first.admissionId);
      const morph = await signed(first.admissionId, morphine());
      await draft(first.admissionId, oxycodone({ drug: 'hydromorphone', startDailyDose: 8, unitStrengths: [2, 4] }));
      await draft(first.admissionId, oxycodone({ basis: 'CURRENT' })); // a second oxycodone draft
      const later = await signed(second.admissionId, oxycodone({ startDate: '2027-01-11', basis: 'CURRENT' }));
      const ids = [first.admissionId, second.admissionId];

      expect(await dosesFor('2027-01-03', ids)).toEqual([]);
      expect(await dosesFor('2027-01-04', ids)).toEqual([
        {
          admissionId: first.admissionId,
          patientId: first.patientId,
          patientName: 'Anna Aaronson',
          hn: expect.stringMatching(/^HN-\d{6}$/),
          kind: 'TAPER',
          drug: 'morphine',
          formulation: 'IR',
          unit: 'mg',
          dose: null,
          dailyDose: 30,
          dailyMme: 30,
          orderId: morph.id,
          versionId: morph.id,
          version: 1,
          step: 1,
          stepStartedOn: '2027-01-04',
          paused: false,
          givenSoFar: 0,
          remaining: 30,
          dosesGiven: 0,
          lastGivenAt: null,
          limitedBy: null,
          patchOnUntil: null,
          minIntervalHours: null,
          maxDosesPerDay: null,
          cowsThreshold: null,
          discontinuedAt: null,
        },
        {
          admissionId: first.admissionId,
          patientId: first.patientId,
          patientName: 'Anna Aaronson',
          hn: expect.stringMatching(/^HN-\d{6}$/),
          kind: 'TAPER',
          drug: 'oxycodone',
          formulation: 'IR',
          unit: 'mg',
          dose: null,
          dailyDose: 60,
          dailyMme: 90,
          orderId: oxy.id,
          versionId: oxy.id,
          version: 1,
          step: 1,
          stepStartedOn: '2027-01-04',
          paused: false,
          givenSoFar: 0,
          remaining: 60,
          dosesGiven: 0,
          lastGivenAt: null,
          limitedBy: null,
          patchOnUntil: null,
          minIntervalHours: null,
          maxDosesPerDay: null,
          cowsThreshold: null,
          discontinuedAt: null,
        },
      ]);
      // The day before a step: still the previous one. On the step's day: the new one.
      const onTenth = await dosesFor('2027-01-10', ids);
      expect(onTenth.map((i) => [i.patientName, i.drug, i.dailyDose, i.step, i.stepStartedOn])).toEqual([
        ['Anna Aaronson', 'morphine', 30, 1, '2027-01-04'],
        ['Anna Aaronson', 'oxycodone', 60, 1, '2027-01-04'],
      ]);
      const onEleventh = await dosesFor('2027-01-11', ids);
      expect(onEleventh.map((i) => [i.patientName, i.drug, i.dailyDose, i.dailyMme, i.step, i.stepStartedOn, i.orderId])).toEqual([
        ['Anna Aaronson', 'morphine', 27.5, 27.5, 2, '2027-01-11', morph.id],
        ['Anna Aaronson', 'oxycodone', 55, 82.5, 2, '2027-01-11', oxy.id],
        ['Ben Aaronson', 'oxycodone', 60, 90, 1, '2027-01-11', later.id],
      ]);
      // Deep into the schedule: a stretched step, on its first day and its last.
      expect((await dosesFor('2027-03-20', [first.admissionId])).find((i) => i.drug === 'oxycodone')).toMatchObject({ dailyDose: 12.5, step: 11, stepStartedOn: '2027-03-20' });
      expect((await dosesFor('2027-04-02', [first.admissionId])).find((i) => i.drug === 'oxycodone')).toMatchObject({ dailyDose: 12.5, step: 11, stepStartedOn: '2027-03-20' });
      expect((await dosesFor('2027-04-03', [first.admissionId])).find((i) => i.drug === 'oxycodone')).toMatchObject({ dailyDose: 10, step: 12, stepStartedOn: '2027-04-03' });
    });

    it('a pause: paused inside its window, not outside; the version after the amendment', async () => {
      const { admissionId } = await admit();
      const v1 = await signed(admissionId);
      setToday('2027-02-10');
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-02-12', pauseDays: 7, reason: 'Hold' }).expect(201)).body;
      const on = async (date: string) => {
        const items = await dosesFor(date, [admissionId]);
        expect(items).toHaveLength(1);
        return [items[0]!.dailyDose, items[0]!.step, items[0]!.stepStartedOn, items[0]!.paused, items[0]!.version, items[0]!.versionId];
      };
      expect(await on('2027-02-11')).toEqual([35, 6, '2027-02-08', false, 2, v2.id]);
      expect(await on('2027-02-12')).toEqual([35, 6, '2027-02-08', true, 2, v2.id]);
      expect(await on('2027-02-18')).toEqual([35, 6, '2027-02-08', true, 2, v2.id]);
      expect(await on('2027-02-19')).toEqual([35, 6, '2027-02-08', false, 2, v2.id]);
      expect(await on('2027-02-21')).toEqual([35, 6, '2027-02-08', false, 2, v2.id]);
      expect(await on('2027-02-22')).toEqual([30, 7, '2027-02-22', false, 2, v2.id]);
      const all = await dosesOn('2027-02-22').expect(200);
      expect(all.body.items.find((i: Json) => i.admissionId === admissionId).orderId).toBe(v1.id);
    });

    it('a discharged admission is left out', async () => {
      const staying = await admit();
      const leaving = await admit();
      await signed(staying.admissionId);
      await signed(leaving.admissionId);
      expect(await dosesFor('2027-01-05', [staying.admissionId, leaving.admissionId])).toHaveLength(2);
      await discharge(leaving.admissionId);
      expect((await dosesFor('2027-01-05', [staying.admissionId, leaving.admissionId])).map((i) => i.admissionId)).toEqual([staying.admissionId]);
    });

    it.each([['2027-02-30'], ['2027-1-5'], ['tomorrow'], ['']])('a bad date %j → 400', async (date) => {
      const response = await dosesOn(date).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'date' }] });
    });

    it('a missing date → 400', async () => {
      const response = await t.http.get(`${API}/taper-doses`).set(bearer(nurse)).expect(400);
      expect(response.body.details).toEqual([{ field: 'date', reason: 'is required' }]);
    });

    it('one statement for the list whatever the number of patients', async () => {
      // Orders starting in 2026: no other test's order has begun on this date.
      const DAY = '2026-03-02';
      async function statementsFor(date: string): Promise<{ statements: string[]; items: Json[] }> {
        const { result, statements } = await recordStatements(t, () => dosesOn(date).expect(200));
        return { statements, items: result.body.items };
      }

      const one = await admit('Countwell', 'One', WARD_INTAKE, DAY);
      await signed(one.admissionId, oxycodone({ startDate: DAY }));
      const withOne = await statementsFor(DAY);
      expect(withOne.items.map((i) => i.admissionId)).toEqual([one.admissionId]);

      for (let i = 0; i < 4; i++) {
        const patient = await admit('Countwell', `More${i}`, WARD_INTAKE, DAY);
        await signed(patient.admissionId, oxycodone({ startDate: DAY }));
        await signed(patient.admissionId, morphine({ startDate: DAY }));
      }
      const withFive = await statementsFor(DAY);
      expect(new Set(withFive.items.map((i) => i.admissionId)).size).toBe(5);
      expect(withFive.items).toHaveLength(9);
      expect(withFive.statements.length).toBe(withOne.statements.length);
      expect(withFive.statements.filter((s) => /taper_(orders|steps)/.test(s))).toHaveLength(1);
    });

    it('the read is audited once per patient on the list', async () => {
      const { admissionId, patientId } = await admit();
      await signed(admissionId);
      const response = await dosesOn('2027-01-04').expect(200);
      const patients = [...new Set<string>(response.body.items.map((i: Json) => i.patientId))].sort();
      expect(patients).toContain(patientId);
      const rows = await auditOf(response);
      expect(rows.map((r) => r.patient_id).sort()).toEqual(patients);
      expect(rows.every((r) => r.action === 'READ' && r.resource === 'taper_doses' && r.actor_id === nurse.id && r.resource_id === null)).toBe(true);
      // A day with nobody on the list is still on the trail, without a patient.
      const empty = await dosesOn('2020-01-01').expect(200);
      expect(empty.body.items).toEqual([]);
      expect(await auditOf(empty)).toEqual([{ actor_id: nurse.id, action: 'READ', resource: 'taper_doses', resource_id: null, patient_id: null, outcome: 'SUCCESS' }]);
    });
  });

  describe('a discharged admission', () => {
    it('refuses new orders, signatures and amendments (409 ADMISSION_NOT_ACTIVE) but can still be read', async () => {
      const { admissionId } = await admit();
      const pending = await draft(admissionId);
      const active = await signed(admissionId, morphine());
      await discharge(admissionId);
      expect((await create(admissionId).expect(409)).body.code).toBe('ADMISSION_NOT_ACTIVE');
      expect((await sign(pending.id).expect(409)).body.code).toBe('ADMISSION_NOT_ACTIVE');
      expect((await amend(active.id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'Hold' }).expect(409)).body.code).toBe('ADMISSION_NOT_ACTIVE');
      expect(await statusesOf(pending.id)).toEqual(['DRAFT']);
      expect(await statusesOf(active.id)).toEqual(['ACTIVE']);
      expect((await listOrders(admissionId).expect(200)).body.items).toHaveLength(2);
      await getOrder(active.id).expect(200);
    });
  });

  describe('roles', () => {
    let admissionId: string;
    let order: Json & { id: string };
    beforeAll(async () => {
      ({ admissionId } = await admit());
      order = await signed(admissionId);
    });
    const amendment = { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'Hold' };

    it('the psychiatrist writes and reads everything', async () => {
      const other = await draft(admissionId, morphine());
      await sign(other.id).expect(200);
      await getOrder(order.id).expect(200);
      await listOrders(admissionId).expect(200);
      await dosesOn('2027-01-04', psychiatrist).expect(200);
    });

    it('a nurse reads orders and the doses but writes none (403)', async () => {
      await getOrder(order.id, nurse).expect(200);
      await listOrders(admissionId, nurse).expect(200);
      await dosesOn('2027-01-04', nurse).expect(200);
      await create(admissionId, oxycodone(), nurse).expect(403);
      await sign(order.id, nurse).expect(403);
      await amend(order.id, amendment, nurse).expect(403);
    });

    it('aftercare reads orders but not the doses, and writes none (403)', async () => {
      await getOrder(order.id, aftercare).expect(200);
      await listOrders(admissionId, aftercare).expect(200);
      await dosesOn('2027-01-04', aftercare).expect(403);
      await create(admissionId, oxycodone(), aftercare).expect(403);
      await sign(order.id, aftercare).expect(403);
      await amend(order.id, amendment, aftercare).expect(403);
    });

    it.each([['admissions'], ['billing'], ['admin']])('%s staff: 403 on every route, audited as DENIED', async (role) => {
      const as = { admissions: clerk, billing, admin }[role]!;
      const responses = [
        await create(admissionId, oxycodone(), as).expect(403),
        await sign(order.id, as).expect(403),
        await amend(order.id, amendment, as).expect(403),
        await getOrder(order.id, as).expect(403),
        await listOrders(admissionId, as).expect(403),
        await dosesOn('2027-01-04', as).expect(403),
      ];
      expect(responses.every((r) => r.body.code === 'FORBIDDEN')).toBe(true);
      expect(await auditOf(responses[3]!)).toEqual([
        // Under the patient the order is about: the patient's trail shows who was refused.
        { actor_id: as.id, action: 'READ', resource: '/api/v1/taper-orders/:id', resource_id: order.id, patient_id: order.patientId, outcome: 'DENIED' },
      ]);
      expect(await statusesOf(order.id)).toEqual(['ACTIVE']);
    });

    it('no token: 401 on every route', async () => {
      await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).send(oxycodone()).expect(401);
      await t.http.post(`${API}/taper-orders/${order.id}/sign`).expect(401);
      await t.http.post(`${API}/taper-orders/${order.id}/amendments`).send(amendment).expect(401);
      await t.http.get(`${API}/taper-orders/${order.id}`).expect(401);
      await t.http.get(`${API}/admissions/${admissionId}/taper-orders`).expect(401);
      await t.http.get(`${API}/taper-doses?date=2027-01-04`).expect(401);
    });
  });

  describe('audit', () => {
    it('CREATE, SIGN, UPDATE and READ rows with the patient id', async () => {
      const { admissionId, patientId } = await admit();
      const created = await create(admissionId).expect(201);
      const id = created.body.id as string;
      const row = (action: string, resourceId: string | null, actor = psychiatrist) => ({
        actor_id: actor.id,
        action,
        resource: 'taper_order',
        resource_id: resourceId,
        patient_id: patientId,
        outcome: 'SUCCESS',
      });
      expect(await auditOf(created)).toEqual([row('CREATE', id)]);
      expect(await auditOf(await sign(id).expect(200))).toEqual([row('SIGN', id)]);
      const amended = await amend(id, { effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'Hold' }).expect(201);
      expect(await auditOf(amended)).toEqual([row('UPDATE', amended.body.id)]);
      expect(await auditOf(await getOrder(id, nurse).expect(200))).toEqual([row('READ', id, nurse)]);
      expect(await auditOf(await listOrders(admissionId, aftercare).expect(200))).toEqual([row('READ', null, aftercare)]);
    });

    it('a refused write leaves no CREATE row', async () => {
      const { admissionId } = await admit();
      const refused = await create(admissionId, oxycodone({ intervalDays: 5 })).expect(422);
      expect((await auditOf(refused)).filter((r) => r.action === 'CREATE')).toEqual([]);
    });
  });
});
