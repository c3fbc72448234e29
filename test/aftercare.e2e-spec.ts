import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Bundle, Composition, Medication, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { cowsItemsTotalling } from '../src/clinical/cows.js';
import { readSnapshot } from '../src/common/database/read-snapshot.js';
import { AdmissionEntity } from '../src/modules/admissions/admission.entity.js';
import { AdministrationEntity } from '../src/modules/administrations/administration.entity.js';
import { AdministrationHistoryRepository } from '../src/modules/administrations/administration-history.repository.js';
import { CheckInEntity } from '../src/modules/aftercare/entities/check-in.entity.js';
import { DischargeEntity } from '../src/modules/aftercare/entities/discharge.entity.js';
import { ShareConsentEntity } from '../src/modules/aftercare/entities/share-consent.entity.js';
import { readHandoffRecords } from '../src/modules/handoff/handoff-reader.js';
import { AssessmentEntity } from '../src/modules/intake/assessment.entity.js';
import { ObservationEntity } from '../src/modules/observations/observation.entity.js';
import { AsNeededOrderEntity } from '../src/modules/pain-plan/as-needed-order.entity.js';
import { PainMedicationEntity } from '../src/modules/pain-plan/pain-medication.entity.js';
import { PainTherapyEntity } from '../src/modules/pain-plan/pain-therapy.entity.js';
import { PatientEntity } from '../src/modules/patients/patient.entity.js';
import { TaperOrderEntity } from '../src/modules/taper-orders/taper-order.entity.js';
import { TaperStepEntity } from '../src/modules/taper-orders/taper-step.entity.js';
import { addDays as plusDays } from '../src/clinical/calendar-dates.js';
import { admitPatient, assessmentBody } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, createStaff, type Staff, staffForEveryRole } from './support/staff.js';
import { apiExampleOrder } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { schemaMismatches, type OpenApiDocument } from './support/openapi-conformance.js';
import { readingBytes } from './support/responses.js';

const API = '/api/v1';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const TIME_ZONE = 'Asia/Bangkok';

type Json = Record<string, unknown>;
type Step = { step: number; startsOn: string; dailyDose: number; dailyMme: number };


/** The clinic's calendar date (Asia/Bangkok) of an instant. */
function clinicDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

const RECIPIENT = {
  name: 'Dr Jonathan Pierce',
  practice: 'Riverside Family Practice, Leeds',
  phone: '+44 113 496 0731',
  email: 'jonathan.pierce@riverside-practice.example',
};

const cowsBand = (score: number): string => (score < 5 ? 'NONE' : score <= 12 ? 'MILD' : score <= 24 ? 'MODERATE' : score <= 36 ? 'MODERATELY_SEVERE' : 'SEVERE');

/** Every `reference` string anywhere in the value. */
function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === 'reference' && typeof child === 'string' ? [child] : referencesIn(child)));
}

// ---------------------------------------------------------------------------------------------
// The realistic stay: a 70-day on-site oxycodone taper (the stay of handoff-fixture.ts, entered
// through the API). Day numbers count from the admission (day 0).
//
// Dates: the stay starts on the real clinic date when it is built (day 0), and the fake clock
// walks forward through it (setToday: FakeClock.advance takes any offset). Taper amendments take
// effect from "today" or later, so "today" must be inside the stay when each is made; observations
// and discharge may not lie in the future, so the clock must have reached their day. A stay at
// fixed dates would need the fake clock alone, but the database stamps some records itself with
// the real time (created_at of the assessment and of the pain-plan orders, which the summary shows
// as assessedOn and startedOn). So those are all entered on day 0, while the fake date is the
// real one, and everything else follows the fake clock. (Only a run across the clinic's midnight
// during the stay's setup could split day 0.)
// ---------------------------------------------------------------------------------------------

/** Pain scores (0-10) by day: they fall with the dose. */
const STAY_PAIN: [day: number, score: number][] = [
  [0, 7], [1, 8], [3, 7], [5, 7], [8, 7], [12, 6], [15, 7], [19, 6], [22, 7], [26, 6], [29, 6], [33, 5],
  [36, 6], [40, 5], [43, 5], [47, 5], [50, 4], [54, 4], [57, 5], [61, 4], [64, 4], [67, 3], [69, 4],
];
/** COWS totals by day: moderate withdrawal on day 22, after the step to 40 mg. */
const STAY_COWS: [day: number, score: number][] = [
  [0, 3], [3, 6], [10, 7], [17, 9], [20, 11], [22, 14], [25, 8], [29, 4], [31, 6], [38, 5], [45, 8], [49, 9], [52, 6], [59, 4], [66, 5], [69, 3],
];
const STAY_DAYS = 70;
const PAUSE_DAY = 22;
const IBUPROFEN_STOP_DAY = 28;
const SLOWER_DAY = 50;
const DISCHARGE_DAY = STAY_DAYS - 1;
const PAUSE_REASON = 'COWS 14 (moderate withdrawal) with broken sleep after the step to 40 mg; 40 mg a day held for 7 days.';
const SLOWER_REASON = 'Low mood and broken sleep after the step to 25 mg; psychiatrist and patient agreed on a slower pace of 2.5 mg a week.';
const IBUPROFEN_REASON = 'Epigastric pain and dyspepsia after four weeks; stopped to protect the stomach (no sign of bleeding).';
const THERAPIES = [
  { type: 'PHYSIOTHERAPY', frequency: '3 times a week', notes: 'Core stabilisation and graded walking (now 40 minutes); continue with a local physiotherapist.' },
  { type: 'CBT', frequency: 'weekly', notes: 'CBT for chronic pain, 9 sessions in the clinic; continuing by video with the same therapist.' },
  { type: 'SLEEP', frequency: 'nightly', notes: 'Fixed wake time at 07:00, no daytime naps, no screens after 22:00.' },
];
const CLASSIFICATION_TEXT =
  'Physical dependence: tolerance and/or withdrawal, an expected effect of long-term opioid treatment. ' +
  'This is not an opioid use disorder (1 of 11 DSM-5 criteria counted; tolerance and withdrawal not counted ' +
  'because the opioids were taken as prescribed under medical supervision; a use disorder needs at least 2).';
const TREND_TEXT =
  'Pain fell from a mean of 7.25 in the first week to 3.67 in the last while the daily dose fell from 75 to 27.32 MME ' +
  '(rank correlation 0.95). Opioid-induced hyperalgesia likely contributed to the pain; this is a finding to weigh, not a diagnosis.';
const RISK_MESSAGES = {
  TOLERANCE_LOST: 'Opioid tolerance is now much lower than at intake (75 MME/day then, 26.25 MME/day at discharge). A return to the old dose can cause fatal overdose.',
  DO_NOT_RESTART_AT_OLD_DOSE:
    'Do not restart opioids at the pre-taper dose. If an opioid is needed again, start low, as for a patient who has not taken opioids, and increase slowly.',
  NALOXONE: 'Naloxone is recommended: prescribe it and make sure the patient and family know how to use it.',
  TAPER_CONTINUES: 'The taper is not finished (oxycodone ER): please continue the remaining steps listed below at the same pace or slower, never faster.',
  GABAPENTINOID_WITH_OPIOID: 'A gabapentinoid is prescribed while an opioid continues: together they can depress breathing (FDA, December 2019).',
};

/** Oxycodone ER 20 mg twice a day + IR 5 mg twice a day: 75 MME; dependence only. */
const STAY_ASSESSMENT = assessmentBody({
  patient: { givenName: 'Margaret', familyName: 'Holloway', dateOfBirth: '1971-08-23', sex: 'female' },
  opioids: [
    { drug: 'oxycodone', formulation: 'ER', dose: 20, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 62, prescribed: true },
    { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 30, prescribed: true },
  ],
  pain: { condition: 'CHRONIC_BACK', score: 7, spreadBeyondOriginalSite: true, worseBetweenDoses: false },
});

/**
 * Oxycodone ER 50 mg a day (75 MME) from day 2, 10% of the start a week, 2.5 mg half tablets: the
 * IR doses are folded into the long-acting taper (a rotation of the IR, up to both products' MME).
 */
const stayOrder = (startDate: string): Json =>
  apiExampleOrder({ formulation: 'ER', startDailyDose: 50, startDate, replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'IR doses folded into the ER taper' });

/** The schedule the three versions leave, as [step, day, mg a day] (handoff-fixture.ts, hand-checked there). */
const STAY_SCHEDULE: [number, number, number][] = [
  [1, 2, 50], [2, 9, 45], [3, 16, 40],
  // the 7-day pause from day 23 moves the step to 35 mg from day 23 to day 30
  [4, 30, 35], [5, 37, 30], [6, 44, 25],
  // version 3 from day 51: 5% of the start (2.5 mg) a week
  [7, 51, 22.5], [8, 58, 20], [9, 65, 17.5],
  // after discharge (day 69); below 30% of the start each 2.5 mg cut waits longer
  [10, 72, 15], [11, 96, 12.5], [12, 124, 10], [13, 159, 7.5], [14, 206, 5], [15, 276, 2.5], [16, 283, 0],
];

describe('discharge, aftercare and the handoff summary', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let billing: Staff;
  let coordinator: Staff;
  /** A second nurse, who witnesses the opioid doses the nurse gives. */
  let witness: Staff;
  /** The real clinic date when the file started: day 0 of every stay below. */
  let today: string;
  let patientCount = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare: coordinator } = await staffForEveryRole(t));
    witness = await createStaff(t, ['nurse']);
    today = clinicDate(new Date());
  });
  // Read again before each test, in case the clinic's midnight passed while the file ran.
  beforeEach(() => {
    today = clinicDate(new Date());
  });
  afterAll(async () => {
    await t.close();
  });

  /** Moves the fake clock (either way) so that it is `date` on the clinic's calendar, at `time` local. */
  function setToday(date: string, time = '18:00:00'): void {
    t.clock.setTo(`${date}T${time}+07:00`);
  }

  /** Back to real time: the records the database dates itself agree with the clock again. */
  function realTime(): void {
    t.clock.advance(Date.now() - t.clock.now().getTime());
  }

  const day = (base: string, n: number): string => plusDays(base, n);

  async function admit(admittedOn: string, body: Json = assessmentBody({ patient: { givenName: 'Test', familyName: `Aftercare${String(++patientCount).padStart(3, '0')}` } })) {
    return admitPatient(t, clerk, body, admittedOn);
  }

  /** A patient of their own name with the realistic stay's intake (what stayOrder tapers). */
  const admitForStayOrder = (admittedOn: string) =>
    admit(admittedOn, { ...STAY_ASSESSMENT, patient: { ...(STAY_ASSESSMENT.patient as Json), familyName: `Aftercare${String(++patientCount).padStart(3, '0')}` } });

  const dischargeBody = (dischargedOn: string, overrides: Json = {}): Json => ({
    dischargedOn,
    outsidePrescriber: { ...RECIPIENT },
    consentToShare: { given: true, recordedOn: dischargedOn },
    ...overrides,
  });
  const discharge = (admissionId: string, body: Json, as: Staff = coordinator) => t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(as)).send(body);
  const consent = (admissionId: string, body: Json, as: Staff = coordinator) => t.http.post(`${API}/admissions/${admissionId}/consent`).set(bearer(as)).send(body);
  const handoff = (admissionId: string, format?: string, as: Staff = coordinator) =>
    t.http
      .get(`${API}/admissions/${admissionId}/handoff`)
      .query(format === undefined ? {} : { format })
      .set(bearer(as));
  /** The PDF handoff, its body collected as a Buffer. */
  const handoffPdf = (admissionId: string, as: Staff = coordinator) =>
    readingBytes(handoff(admissionId, 'pdf', as));
  const aftercarePlan = (admissionId: string, as: Staff = coordinator) => t.http.get(`${API}/admissions/${admissionId}/aftercare`).set(bearer(as));
  const updateCheckIn = (id: string, body: Json, as: Staff = coordinator) => t.http.patch(`${API}/aftercare/check-ins/${id}`).set(bearer(as)).send(body);
  const createOrder = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(body);
  const sign = (id: string) => t.http.post(`${API}/taper-orders/${id}/sign`).set(bearer(psychiatrist));
  const amend = (id: string, body: Json) => t.http.post(`${API}/taper-orders/${id}/amendments`).set(bearer(psychiatrist)).send(body);
  const observe = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/observations`).set(bearer(nurse)).send(body);
  const orderMedication = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send(body);
  const discontinue = (id: string, reason: string) => t.http.post(`${API}/pain-plan/medications/${id}/discontinue`).set(bearer(psychiatrist)).send({ reason });
  const addTherapy = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/pain-plan/therapies`).set(bearer(psychiatrist)).send(body);

  async function signedOrder(admissionId: string, body: Json): Promise<Json & { id: string; steps: Step[] }> {
    const draft = await createOrder(admissionId, body).expect(201);
    return (await sign(draft.body.id).expect(200)).body;
  }

  /** A PAIN score at 09:00 and a COWS reading at 08:30, clinic time, on `date`. */
  const painAt = (date: string, score: number): Json => ({ type: 'PAIN', recordedAt: new Date(`${date}T09:00:00+07:00`).toISOString(), score });
  const cowsAt = (date: string, score: number): Json => ({ type: 'COWS', recordedAt: new Date(`${date}T08:30:00+07:00`).toISOString(), items: cowsItemsTotalling(score) });

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  /**
   * Runs `requests` while this test holds the admission's row lock, and lets go only once
   * `waiters` requests are queued behind it: they all pass their own checks before any commits.
   */
  async function racing<T>(admissionId: string, waiters: number, requests: () => Promise<T>): Promise<T> {
    const client = await t.admin.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM admissions WHERE id = $1 FOR UPDATE', [admissionId]);
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

  // -------------------------------------------------------------------------------------------
  describe('POST /admissions/:id/discharge', () => {
    // A ten-day stay that ends today (real time).
    beforeEach(() => realTime());

    it('201: DISCHARGED, the prescriber, the consent and eight weekly check-ins from the discharge date', async () => {
      const { admissionId, patientId } = await admit(day(today, -10));
      const response = await discharge(admissionId, dischargeBody(today)).expect(201);
      expect(response.body).toEqual({
        admissionId,
        status: 'DISCHARGED',
        dischargedOn: today,
        outsidePrescriber: RECIPIENT,
        consent: { given: true, recordedOn: today, recipientName: RECIPIENT.name },
        checkIns: Array.from({ length: 8 }, (_, i) => ({ id: expect.any(String), sequence: i + 1, dueOn: day(today, 7 * (i + 1)), status: 'PLANNED', notes: null })),
      });
      const admission = await t.http.get(`${API}/admissions/${admissionId}`).set(bearer(clerk)).expect(200);
      expect(admission.body).toMatchObject({ id: admissionId, patientId, status: 'DISCHARGED' });
      const stored = await t.admin.query('SELECT status, discharged_on::text AS discharged_on FROM admissions WHERE id = $1', [admissionId]);
      expect(stored.rows).toEqual([{ status: 'DISCHARGED', discharged_on: today }]);
      expect(await auditOf(response)).toEqual([
        {
          actor_id: coordinator.id,
          action: 'UPDATE',
          resource: 'admission',
          resource_id: admissionId,
          patient_id: patientId,
          outcome: 'SUCCESS',
          detail: { status: 'DISCHARGED', consentGiven: true },
        },
      ]);
    });

    it('only the optional prescriber fields may be left out: they come back as null', async () => {
      const { admissionId } = await admit(day(today, -3));
      const response = await discharge(admissionId, dischargeBody(today, { outsidePrescriber: { name: '  Dr Ana Silva ' } })).expect(201);
      expect(response.body.outsidePrescriber).toEqual({ name: 'Dr Ana Silva', practice: null, phone: null, email: null });
    });

    it('a discharged patient leaves the nurses’ dose list', async () => {
      const { admissionId } = await admitForStayOrder(day(today, -10));
      await signedOrder(admissionId, stayOrder(day(today, -9)));
      const dosesFor = async () =>
        ((await t.http.get(`${API}/taper-doses`).query({ date: today }).set(bearer(nurse)).expect(200)).body.items as Json[]).filter((i) => i.admissionId === admissionId);
      expect(await dosesFor()).toHaveLength(1);
      await discharge(admissionId, dischargeBody(today)).expect(201);
      expect(await dosesFor()).toEqual([]);
    });

    it('discharging twice → 409 ALREADY_DISCHARGED, nothing new is written', async () => {
      const { admissionId } = await admit(day(today, -10));
      await discharge(admissionId, dischargeBody(day(today, -1))).expect(201);
      const response = await discharge(admissionId, dischargeBody(today)).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'ALREADY_DISCHARGED' });
      const rows = await t.admin.query(
        `SELECT (SELECT discharged_on::text FROM discharges WHERE admission_id = $1) AS discharged_on,
                (SELECT count(*)::int FROM aftercare_check_ins WHERE admission_id = $1) AS check_ins,
                (SELECT count(*)::int FROM share_consents WHERE admission_id = $1) AS consents`,
        [admissionId],
      );
      expect(rows.rows).toEqual([{ discharged_on: day(today, -1), check_ins: 8, consents: 1 }]);
    });

    it('two concurrent discharges: one 201, one 409', async () => {
      const { admissionId } = await admit(day(today, -10));
      const responses = await racing(admissionId, 2, () => Promise.all([discharge(admissionId, dischargeBody(today)), discharge(admissionId, dischargeBody(day(today, -1)))]));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)?.body.code).toBe('ALREADY_DISCHARGED');
      const counts = await t.admin.query(
        `SELECT (SELECT count(*)::int FROM discharges WHERE admission_id = $1) AS discharges,
                (SELECT count(*)::int FROM aftercare_check_ins WHERE admission_id = $1) AS check_ins`,
        [admissionId],
      );
      expect(counts.rows).toEqual([{ discharges: 1, check_ins: 8 }]);
    });

    it('dischargedOn in the future → 400; before the admission → 422 DISCHARGE_BEFORE_ADMISSION', async () => {
      const { admissionId } = await admit(day(today, -10));
      const future = await discharge(admissionId, dischargeBody(day(today, 1))).expect(400);
      expect(future.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'dischargedOn' }] });
      const early = await discharge(admissionId, dischargeBody(day(today, -11))).expect(422);
      expect(early.body).toMatchObject({ code: 'DISCHARGE_BEFORE_ADMISSION', details: [{ field: 'dischargedOn' }] });
      // The day of admission itself is a valid (one-day) stay.
      await discharge(admissionId, dischargeBody(day(today, -10))).expect(201);
    });

    it('a consent recorded in the future → 400', async () => {
      const { admissionId } = await admit(day(today, -10));
      const response = await discharge(admissionId, dischargeBody(today, { consentToShare: { given: true, recordedOn: day(today, 1) } })).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'consentToShare.recordedOn' }] });
      expect((await t.admin.query('SELECT status FROM admissions WHERE id = $1', [admissionId])).rows).toEqual([{ status: 'ACTIVE' }]);
    });

    it.each([
      ['no prescriber name', (d: string) => dischargeBody(d, { outsidePrescriber: { practice: 'Somewhere' } }), 'outsidePrescriber.name'],
      ['a blank prescriber name', (d: string) => dischargeBody(d, { outsidePrescriber: { name: '   ' } }), 'outsidePrescriber.name'],
      ['a bad e-mail', (d: string) => dischargeBody(d, { outsidePrescriber: { name: 'Dr X', email: 'not-an-email' } }), 'outsidePrescriber.email'],
      ['no outsidePrescriber', (d: string) => ({ dischargedOn: d, consentToShare: { given: true, recordedOn: d } }), 'outsidePrescriber'],
      ['no consentToShare', (d: string) => ({ dischargedOn: d, outsidePrescriber: RECIPIENT }), 'consentToShare'],
      ['consent given as a string', (d: string) => dischargeBody(d, { consentToShare: { given: 'yes', recordedOn: d } }), 'consentToShare.given'],
      ['30 February', () => dischargeBody('2027-02-30'), 'dischargedOn'],
      ['an unknown field', (d: string) => ({ ...dischargeBody(d), reason: 'x' }), 'reason'],
      ['an unknown prescriber field', (d: string) => dischargeBody(d, { outsidePrescriber: { ...RECIPIENT, fax: '123' } }), 'outsidePrescriber.fax'],
    ])('%s → 400 naming the field', async (_, body, field) => {
      const { admissionId } = await admit(day(today, -10));
      const response = await discharge(admissionId, body(today)).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await t.admin.query('SELECT status FROM admissions WHERE id = $1', [admissionId])).rows).toEqual([{ status: 'ACTIVE' }]);
    });

    it('only aftercare coordinators discharge: other roles 403 (audited), no token 401, unknown admission 404', async () => {
      const { admissionId } = await admit(day(today, -10));
      for (const staff of [nurse, psychiatrist, clerk, billing, admin]) {
        const response = await discharge(admissionId, dischargeBody(today), staff).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
        expect(await auditOf(response)).toMatchObject([{ actor_id: staff.id, action: 'CREATE', resource_id: admissionId, outcome: 'DENIED' }]);
      }
      await t.http.post(`${API}/admissions/${admissionId}/discharge`).send(dischargeBody(today)).expect(401);
      expect((await discharge(MISSING_ID, dischargeBody(today)).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.admin.query('SELECT status FROM admissions WHERE id = $1', [admissionId])).rows).toEqual([{ status: 'ACTIVE' }]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('consent and the handoff refusals', () => {
    beforeEach(() => realTime());

    it('before discharge → 409 NOT_DISCHARGED (and a consent cannot be recorded yet)', async () => {
      const { admissionId } = await admit(day(today, -10));
      const response = await handoff(admissionId).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'NOT_DISCHARGED' });
      expect((await auditOf(response)).filter((row) => row.action === 'EXPORT')).toEqual([]);
      expect((await consent(admissionId, { given: true, recordedOn: today }).expect(409)).body.code).toBe('NOT_DISCHARGED');
    });

    it('no consent at discharge → 409 CONSENT_REQUIRED; given later → 200; withdrawn → 409 again', async () => {
      const { admissionId, patientId } = await admit(day(today, -10));
      await discharge(admissionId, dischargeBody(day(today, -2), { consentToShare: { given: false, recordedOn: day(today, -2) } })).expect(201);
      for (const format of ['json', 'pdf', 'fhir']) {
        const refused = await handoff(admissionId, format).expect(409);
        expect(refused.body).toMatchObject({ statusCode: 409, code: 'CONSENT_REQUIRED' });
        expect(await auditOf(refused)).toEqual([]);
      }

      const given = await consent(admissionId, { given: true, recordedOn: day(today, -1) }).expect(201);
      expect(given.body).toEqual({ given: true, recordedOn: day(today, -1), recipientName: RECIPIENT.name });
      expect(await auditOf(given)).toMatchObject([{ action: 'UPDATE', resource: 'consent', resource_id: admissionId, patient_id: patientId, detail: { given: true } }]);
      const summary = await handoff(admissionId).expect(200);
      expect(summary.body.consent).toEqual({ recordedOn: day(today, -1) });

      const withdrawn = await consent(admissionId, { given: false, recordedOn: today }).expect(201);
      expect(withdrawn.body).toEqual({ given: false, recordedOn: today, recipientName: RECIPIENT.name });
      expect((await handoff(admissionId).expect(409)).body.code).toBe('CONSENT_REQUIRED');
      expect((await handoff(admissionId, 'pdf').expect(409)).body.code).toBe('CONSENT_REQUIRED');
    });

    it('consent: recordedOn in the future → 400, validation 400s, only aftercare, unknown admission 404', async () => {
      const { admissionId } = await admit(day(today, -10));
      await discharge(admissionId, dischargeBody(today, { consentToShare: { given: false, recordedOn: today } })).expect(201);
      expect((await consent(admissionId, { given: true, recordedOn: day(today, 1) }).expect(400)).body.details).toEqual([{ field: 'recordedOn', reason: expect.any(String) }]);
      expect((await consent(admissionId, { given: 'yes', recordedOn: today }).expect(400)).body.details.map((d: Json) => d.field)).toEqual(['given']);
      expect((await consent(admissionId, { given: true, recordedOn: today, recipient: 'x' }).expect(400)).body.details.map((d: Json) => d.field)).toEqual(['recipient']);
      for (const staff of [psychiatrist, nurse, clerk, billing, admin]) await consent(admissionId, { given: true, recordedOn: today }, staff).expect(403);
      await consent(MISSING_ID, { given: true, recordedOn: today }).expect(404);
      expect((await handoff(admissionId).expect(409)).body.code).toBe('CONSENT_REQUIRED');
    });

    it('an unknown admission → 404, a bad format → 400', async () => {
      expect((await handoff(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      const { admissionId } = await admit(day(today, -10));
      await discharge(admissionId, dischargeBody(today)).expect(201);
      for (const format of ['xml', 'PDF', '']) {
        const response = await handoff(admissionId, format).expect(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'format' }] });
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('the handoff of a realistic 70-day stay', () => {
    let d0: string;
    let admissionId: string;
    let patientId: string;
    let orderId: string;
    let finalVersionId: string;
    const stay = (n: number) => day(d0, n);
    const expectedSteps = (rows: [number, number, number][]): Step[] =>
      rows.map(([step, n, dose]) => ({ step, startsOn: stay(n), dailyDose: dose, dailyMme: dose * 1.5 }));

    beforeAll(async () => {
      // Day 0: admission, the intake (stamped by the database with the real date), the
      // psychiatrist's order from day 2, the pain plan (gabapentin flagged with the opioid).
      realTime();
      d0 = clinicDate(new Date());
      setToday(d0);
      const admitted = await admit(d0, STAY_ASSESSMENT);
      admissionId = admitted.admissionId;
      patientId = admitted.patientId;
      const v1 = await signedOrder(admissionId, stayOrder(stay(2)));
      orderId = v1.id;
      await orderMedication(admissionId, { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Low back pain' }).expect(201);
      const ibuprofen = (await orderMedication(admissionId, { drug: 'ibuprofen', dose: 400, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Low back pain' }).expect(201)).body;
      const gabapentin = await orderMedication(admissionId, { drug: 'gabapentin', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Left L5 radicular (neuropathic) pain' }).expect(201);
      expect(gabapentin.body.warnings.length).toBeGreaterThan(0);
      for (const therapy of THERAPIES) await addTherapy(admissionId, therapy).expect(201);

      // Then day by day, as the nurses record and the psychiatrist decides.
      let current = v1.id;
      for (let n = 0; n <= DISCHARGE_DAY; n++) {
        const pain = STAY_PAIN.find(([d]) => d === n);
        const cows = STAY_COWS.find(([d]) => d === n);
        if (!pain && !cows && ![PAUSE_DAY, IBUPROFEN_STOP_DAY, SLOWER_DAY, DISCHARGE_DAY].includes(n)) continue;
        setToday(stay(n));
        if (cows) {
          const reading = await observe(admissionId, cowsAt(stay(n), cows[1])).expect(201);
          expect(reading.body).toMatchObject({ score: cows[1], band: cowsBand(cows[1]) });
        }
        if (pain) await observe(admissionId, painAt(stay(n), pain[1])).expect(201);
        if (n === PAUSE_DAY) current = (await amend(current, { effectiveFrom: stay(n + 1), pauseDays: 7, reason: PAUSE_REASON }).expect(201)).body.id;
        if (n === IBUPROFEN_STOP_DAY) await discontinue(ibuprofen.id, IBUPROFEN_REASON).expect(200);
        if (n === SLOWER_DAY) current = (await amend(current, { effectiveFrom: stay(n + 1), reductionPercent: 5, reason: SLOWER_REASON }).expect(201)).body.id;
      }
      finalVersionId = current;
      setToday(stay(DISCHARGE_DAY));
      await discharge(admissionId, dischargeBody(stay(DISCHARGE_DAY))).expect(201);
    });

    it('the COWS reading of day 22 alerted the nurses during the active taper', async () => {
      const list = await t.http.get(`${API}/admissions/${admissionId}/observations`).query({ type: 'COWS', limit: 50 }).set(bearer(nurse)).expect(200);
      const moderate = (list.body.items as Json[]).filter((o) => o.score === 14);
      expect(moderate).toHaveLength(1);
      expect((moderate[0]!.alerts as Json[]).length).toBeGreaterThan(0);
    });

    it('JSON: every section as entered, field by field', async () => {
      const before = t.clock.now().getTime();
      const response = await handoff(admissionId).expect(200);
      const after = t.clock.now().getTime();
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const summary = response.body;
      const document: OpenApiDocument = (await t.http.get('/api/docs-json').expect(200)).body;
      expect(schemaMismatches(document, { $ref: '#/components/schemas/HandoffSummaryDto' }, summary)).toEqual([]);
      expect(Date.parse(summary.generatedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(summary.generatedAt)).toBeLessThanOrEqual(after);

      const dischargedOn = stay(DISCHARGE_DAY);
      const schedule = expectedSteps(STAY_SCHEDULE);
      const daily = Array.from({ length: STAY_DAYS }, (_, n) => ({ date: stay(n), mme: (schedule.filter((s) => s.startsOn <= stay(n)).at(-1) ?? schedule[0]!).dailyMme }));
      const cows = STAY_COWS.map(([n, score]) => ({ recordedAt: `${stay(n)}T01:30:00.000Z`, score, band: cowsBand(score) }));

      expect(summary).toEqual({
        generatedAt: expect.any(String),
        // The test app configures no clinic name or contact: the JSON says so as the PDF prints it (domain.md §11).
        clinic: { ...t.config.clinic, name: 'Clinic (clinic contact not configured)', contact: 'clinic contact not configured' },
        recipient: RECIPIENT,
        consent: { recordedOn: dischargedOn },
        patient: { id: patientId, hn: expect.stringMatching(/^HN-\d{6}$/), givenName: 'Margaret', familyName: 'Holloway', dateOfBirth: '1971-08-23', sex: 'female' },
        stay: { admissionId, admittedOn: d0, dischargedOn, days: STAY_DAYS, pathway: 'ONSITE_TAPER', viaPartnerHospital: false },
        // No dose was recorded in this stay (test/handoff-record.e2e-spec.ts has a stay with its record).
        lastOpioidDose: null,
        intake: {
          assessedOn: d0,
          correctionReason: null,
          opioids: [
            { drug: 'oxycodone', formulation: 'ER', dose: 20, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 40, dailyMme: 60, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 62, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null },
            { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 2, asNeeded: false, dailyDose: 10, dailyMme: 15, paracetamolPerUnitMg: null, paracetamolDailyMg: null, monthsOnTherapy: 30, prescribed: true, orderedDuringStay: true, stoppedAtAdmission: null },
          ],
          totalDailyMme: 75,
          factorTable: 'CDC2022',
          longActing: true,
          classification: 'PHYSICAL_DEPENDENCE',
          classificationText: CLASSIFICATION_TEXT,
          dsm5: { criteriaMet: 3, criteriaCounted: 1, excluded: ['tolerance', 'withdrawal'], severity: 'NONE' },
          pain: { condition: 'CHRONIC_BACK', score: 7 },
          hyperalgesiaSuspected: true,
        },
        tapers: [
          {
            orderId,
            drug: 'oxycodone',
            formulation: 'ER',
            unit: 'mg',
            start: { date: stay(2), dailyDose: 50, dailyMme: 75 },
            atDischarge: { since: stay(65), dailyDose: 17.5, dailyMme: 26.25 },
            completed: false,
            discontinued: null,
            targetDailyDose: 0,
            basis: 'START',
            reductionPercent: 5,
            intervalDays: 7,
            versions: [
              { version: 1, signedOn: d0, effectiveFrom: stay(2), reason: null, reductionPercent: 10, intervalDays: 7 },
              { version: 2, signedOn: stay(PAUSE_DAY), effectiveFrom: stay(PAUSE_DAY + 1), reason: PAUSE_REASON, reductionPercent: 10, intervalDays: 7 },
              { version: 3, signedOn: stay(SLOWER_DAY), effectiveFrom: stay(SLOWER_DAY + 1), reason: SLOWER_REASON, reductionPercent: 5, intervalDays: 7 },
            ],
            pauses: [{ from: stay(PAUSE_DAY + 1), days: 7, reason: PAUSE_REASON }],
            rotation: { replaces: { drug: 'oxycodone', formulation: 'IR' }, reason: 'IR doses folded into the ER taper' },
            overrideReason: null,
            lifeThreateningReason: null,
            // Kept through the amendments: the rotation; raised by version 3's rate: the long-term guidance (62 months on opioids).
            warnings: [
              { code: 'ROTATION_CROSS_TOLERANCE', message: expect.stringContaining('cross-tolerance is incomplete') },
              { code: 'INTERVAL_STRETCHED', message: expect.any(String) },
              { code: 'FASTER_THAN_LONG_TERM_GUIDANCE', message: expect.stringContaining('oxycodone for 62 months') },
            ],
            stepsTaken: schedule.slice(0, 9),
            remainingSteps: schedule.slice(9),
            // The day of discharge, with nothing recorded, is not counted: the patient may have left before its dose.
            scheduledDays: 67,
            daysGiven: 0,
            dosesGiven: [],
            daysHeld: [],
            daysRefused: [],
            daysOmitted: [],
            daysNotRecorded: Array.from({ length: 67 }, (_, i) => stay(2 + i)),
            adherence: `Given on 0 of 67 scheduled days; nothing recorded on 67 (${stay(2)} to ${stay(DISCHARGE_DAY - 1)}).`,
            lastGiven: null,
          },
        ],
        mme: { atIntake: 75, atTaperStart: 75, atDischarge: 26.25, daily, notCounted: [] },
        painPlan: {
          active: [
            { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', dailyDose: 3000, indication: 'Low back pain', startedOn: d0, override: null },
            { drug: 'gabapentin', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL', dailyDose: 900, indication: 'Left L5 radicular (neuropathic) pain', startedOn: d0, override: null },
          ],
          stopped: [{ drug: 'ibuprofen', dailyDose: 1200, unit: 'mg', startedOn: d0, stoppedOn: stay(IBUPROFEN_STOP_DAY), reason: IBUPROFEN_REASON }],
          asNeeded: [],
          therapies: THERAPIES,
        },
        cows: { readings: cows, highest: cows[5], last: cows.at(-1) },
        painScores: STAY_PAIN.map(([n, score]) => ({ recordedAt: `${stay(n)}T02:00:00.000Z`, score })),
        painTrend: {
          finding: 'HYPERALGESIA_LIKELY_CONTRIBUTED',
          rankCorrelation: 0.95,
          pairedDays: STAY_PAIN.length,
          firstWeek: { from: d0, to: stay(6), meanPain: 7.25, meanMme: 75, scores: 4 },
          lastWeek: { from: stay(63), to: dischargedOn, meanPain: 3.67, meanMme: 27.32, scores: 3 },
          text: TREND_TEXT,
        },
        risks: Object.entries(RISK_MESSAGES).map(([code, message]) => ({ code, message })),
        aftercare: { checkIns: Array.from({ length: 8 }, (_, i) => ({ dueOn: day(dischargedOn, 7 * (i + 1)), status: 'PLANNED', notes: null })) },
      });

      // The schedule is the signed order's, split at the discharge date.
      const order = await t.http.get(`${API}/taper-orders/${finalVersionId}`).set(bearer(psychiatrist)).expect(200);
      expect(order.body.steps.map((s: Step) => ({ step: s.step, startsOn: s.startsOn, dailyDose: s.dailyDose, dailyMme: s.dailyMme }))).toEqual(schedule);
      expect(summary.tapers[0].stepsTaken.every((s: Step) => s.startsOn <= dischargedOn)).toBe(true);
      expect(summary.tapers[0].remainingSteps.every((s: Step) => s.startsOn > dischargedOn)).toBe(true);
      // The careful wording: dependence, never a label.
      expect(JSON.stringify(summary)).not.toMatch(/addict/i);
      expect(summary.painTrend.text).toContain('a finding to weigh, not a diagnosis');
    });

    it('PDF: a real document with the patient, the recipient, the risks, the classification and the finding', async () => {
      const response = await handoffPdf(admissionId).expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const pdf = response.body as Buffer;
      // With HANDOFF_PDF_SAMPLES=/tmp the document is kept as /tmp/handoff-e2e.pdf, to look at.
      if (process.env.HANDOFF_PDF_SAMPLES) writeFileSync(path.join(process.env.HANDOFF_PDF_SAMPLES, 'handoff-e2e.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = extractPdfText(pdf).replace(/\s+/g, ' ');
      for (const phrase of ['Margaret Holloway', RECIPIENT.name, RECIPIENT.practice, CLASSIFICATION_TEXT, TREND_TEXT, ...Object.values(RISK_MESSAGES), PAUSE_REASON, IBUPROFEN_REASON]) {
        expect(text).toContain(phrase);
      }
      // Dates and codes in words: the first version's date, the pain condition.
      expect(text).toContain('Pain at intake: Chronic back pain, score 7 of 10.');
      expect(text).not.toContain('CHRONIC_BACK');
      expect(text).not.toMatch(/addict/i);
      // The test app configures no clinic name or contact: the document says so, with no placeholder.
      expect(text).toContain('Questions about this patient: Clinic (clinic contact not configured), clinic contact not configured.');
      // A rotation is on record with its reason.
      expect(text).toContain('Rotation: replaces oxycodone IR. Reason: IR doses folded into the ER taper');
    });

    it('FHIR: a document Bundle whose references all resolve, the taper as Dosage steps in sequence', async () => {
      const response = await handoff(admissionId, 'fhir').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const bundle = (Object.keys(response.body ?? {}).length ? response.body : JSON.parse(response.text)) as Bundle;
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.type).toBe('document');
      expect(bundle.identifier?.value).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(bundle.timestamp ?? ''))).toBe(false);

      const entries = bundle.entry ?? [];
      const composition = entries[0]?.resource as Composition;
      expect(composition.resourceType).toBe('Composition');
      expect(composition.type.coding).toContainEqual(expect.objectContaining({ system: 'http://loinc.org', code: '18842-5' }));
      expect(composition.author.length).toBeGreaterThan(0);
      expect((composition.section ?? []).length).toBeGreaterThan(3);
      const fullUrls = new Set(entries.map((e) => e.fullUrl));
      const references = referencesIn(bundle);
      expect(references.length).toBeGreaterThan(50);
      expect(references.filter((r) => !fullUrls.has(r))).toEqual([]);
      for (const reference of [composition.subject?.reference, ...composition.author.map((a) => a.reference)]) expect(fullUrls.has(reference)).toBe(true);

      const resources = entries.map((e) => e.resource as Resource);
      const patient = resources.find((r) => r.resourceType === 'Patient');
      expect(patient).toMatchObject({ name: [{ family: 'Holloway', given: ['Margaret'] }], birthDate: '1971-08-23', gender: 'female' });
      const tapers = resources.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && (r.category ?? []).some((c) => c.text === 'Opioid taper'));
      expect(tapers).toHaveLength(1);
      const dosages = tapers[0]!.dosageInstruction ?? [];
      expect(dosages.map((d) => [d.sequence, d.doseAndRate?.[0]?.doseQuantity?.value, d.timing?.repeat?.boundsPeriod?.start])).toEqual(
        expectedSteps(STAY_SCHEDULE).map((s) => [s.step, s.dailyDose, s.startsOn]),
      );
      const sequences = dosages.map((d) => d.sequence as number);
      expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1]!)).toBe(true);
      const notes = (tapers[0]!.note ?? []).map((n) => n.text);
      expect(notes).toContain(`Version 1 (signed ${d0}, in force from ${stay(2)}): 10% of the starting dose every 7 days.`);
      expect(notes).toContain(`Version 2 (signed ${stay(PAUSE_DAY)}, in force from ${stay(PAUSE_DAY + 1)}): 10% of the starting dose every 7 days. Reason: ${PAUSE_REASON}`);
      expect(notes).toContain(`Pause of 7 days from ${stay(PAUSE_DAY + 1)}: ${PAUSE_REASON}`);
      const painCondition = resources.find((r) => r.resourceType === 'Condition' && r.code?.text === 'Chronic back pain');
      expect(painCondition).toMatchObject({ subject: { reference: composition.subject?.reference }, recordedDate: d0 });
      expect(JSON.stringify(bundle)).not.toContain('CHRONIC_BACK');
      expect(JSON.stringify(bundle)).toContain(RECIPIENT.name);
      expect(JSON.stringify(bundle)).not.toMatch(/addict/i);
    });

    it('the Accept header chooses the format as ?format= does, and ?format= wins over it', async () => {
      const get = (accept: string, format?: string) => handoff(admissionId, format).set('accept', accept).buffer(true);
      const fhir = await get('application/fhir+json').expect(200);
      expect(fhir.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(fhir.headers.vary).toMatch(/accept/i);
      const bundle = JSON.parse(fhir.text) as Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document' });
      // The Bundle is what the OpenAPI document says it is.
      const document: OpenApiDocument = (await t.http.get('/api/docs-json').expect(200)).body;
      expect(schemaMismatches(document, { $ref: '#/components/schemas/FhirBundleDto' }, bundle)).toEqual([]);
      const pdf = await get('application/pdf').expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(Buffer.from(pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      for (const accept of ['application/json', '*/*', 'text/html', 'application/pdf;q=0.1, application/json']) {
        expect((await get(accept).expect(200)).headers['content-type']).toMatch(/^application\/json/);
      }
      expect((await get('application/pdf', 'json').expect(200)).headers['content-type']).toMatch(/^application\/json/);
      expect((await get('application/json', 'fhir').expect(200)).headers['content-type']).toMatch(/^application\/fhir\+json/);
    });

    it('aftercare coordinators and the psychiatrist read it; nurse, billing, admissions and admin 403; no token 401', async () => {
      await handoff(admissionId, 'json', psychiatrist).expect(200);
      for (const staff of [nurse, billing, clerk, admin]) {
        const response = await handoff(admissionId, 'json', staff).expect(403);
        expect(await auditOf(response)).toMatchObject([{ actor_id: staff.id, action: 'READ', outcome: 'DENIED' }]);
      }
      await t.http.get(`${API}/admissions/${admissionId}/handoff`).expect(401);
    });

    it('each production is one EXPORT audit row with the patient and the recipient', async () => {
      for (const [format, staff] of [['json', coordinator], ['pdf', psychiatrist], ['fhir', coordinator]] as const) {
        const response = format === 'pdf' ? await handoffPdf(admissionId, staff).expect(200) : await handoff(admissionId, format, staff).expect(200);
        expect(await auditOf(response)).toEqual([
          {
            actor_id: staff.id,
            action: 'EXPORT',
            resource: 'handoff',
            resource_id: admissionId,
            patient_id: patientId,
            outcome: 'SUCCESS',
            detail: { format, recipient: RECIPIENT.name, practice: RECIPIENT.practice },
          },
        ]);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('the handoff of a stay whose taper ended before discharge', () => {
    it('completed, dose 0 at discharge: no TAPER_CONTINUES, no gabapentinoid warning; benzodiazepines named; naloxone still', async () => {
      realTime();
      // 10 mg a day in 2.5 mg cuts, each interval stretched to keep within 10% a week: over in 61 days.
      const admittedOn = day(today, -70);
      const body = assessmentBody({
        patient: { givenName: 'Niran', familyName: 'Chaiyaporn', dateOfBirth: '1980-05-17', sex: 'male' },
        opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 14, prescribed: true }],
        medical: { benzodiazepineUse: true },
      });
      const { admissionId } = await admit(admittedOn, body);
      const order = await signedOrder(admissionId, {
        drug: 'oxycodone', formulation: 'IR', startDailyDose: 10, unit: 'mg', unitStrengths: [5], allowHalfTablets: true,
        reductionPercent: 10, intervalDays: 7, basis: 'START', startDate: day(admittedOn, 2), targetDailyDose: 0,
      });
      const lastStep = order.steps.at(-1)!;
      expect(lastStep.dailyDose).toBe(0);
      expect(lastStep.startsOn).toBe(day(admittedOn, 63));
      await orderMedication(admissionId, { drug: 'gabapentin', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL' }).expect(201);
      await discharge(admissionId, dischargeBody(today)).expect(201);

      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.stay).toMatchObject({ admittedOn, dischargedOn: today, days: 71 });
      expect(summary.tapers).toHaveLength(1);
      expect(summary.tapers[0]).toMatchObject({
        completed: true,
        discontinued: null,
        remainingSteps: [],
        stepsTaken: order.steps.map((s) => ({ step: s.step, startsOn: s.startsOn, dailyDose: s.dailyDose, dailyMme: s.dailyMme })),
        start: { date: day(admittedOn, 2), dailyDose: 10, dailyMme: 15 },
        atDischarge: { since: lastStep.startsOn, dailyDose: 0, dailyMme: 0 },
        versions: [{ version: 1, effectiveFrom: day(admittedOn, 2), reason: null }],
        pauses: [],
      });
      expect(summary.mme).toMatchObject({ atIntake: 15, atTaperStart: 15, atDischarge: 0 });
      expect(summary.mme.daily).toHaveLength(71);
      expect(summary.mme.daily.at(-1)).toEqual({ date: today, mme: 0 });
      expect(summary.risks.map((r: { code: string }) => r.code)).toEqual(['TOLERANCE_LOST', 'DO_NOT_RESTART_AT_OLD_DOSE', 'NALOXONE', 'BENZODIAZEPINES']);
      expect(summary.risks[0].message).toContain('(15 MME/day then, 0 MME/day at discharge)');
      // No scores: no finding, and it says so.
      expect(summary.painTrend).toMatchObject({ finding: 'INSUFFICIENT_DATA', rankCorrelation: null, pairedDays: 0 });
      expect(summary.cows).toEqual({ readings: [], highest: null, last: null });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('the handoff of a buprenorphine stay', () => {
    it('never prints 0 MME: the total does not apply, and pain is not read against an MME of 0', async () => {
      realTime();
      const body = assessmentBody({
        patient: { givenName: 'Lek', familyName: `Aftercare${String(++patientCount).padStart(3, '0')}` },
        opioids: [{ drug: 'buprenorphine', formulation: 'IR', dose: 4, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 20, prescribed: true }],
      });
      const { admissionId } = await admit(today, body);
      await discharge(admissionId, dischargeBody(today)).expect(201);
      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.painTrend).toMatchObject({ finding: 'INSUFFICIENT_DATA', rankCorrelation: null, text: expect.stringMatching(/^MME does not apply to buprenorphine/) });
      expect(summary.risks[0].message).toContain('(buprenorphine IR 8 mg/day at intake, stopped at admission)');
      const text = extractPdfText((await handoffPdf(admissionId).expect(200)).body as Buffer).replace(/\s+/g, ' ');
      expect(text).toContain('Total daily MME: does not apply (Buprenorphine: no MME factor)');
      expect(text).not.toMatch(/0 MME\/day|mean 0 MME/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('the handoff of an as-needed combination opioid, never ordered', () => {
    it('says "as needed, up to 4 a day" and the paracetamol in JSON, PDF and FHIR, and that it was stopped at admission', async () => {
      realTime();
      // Hydrocodone 5 mg + paracetamol 325 mg, up to 4 a day: at most 20 MME and 1,300 mg of paracetamol a day.
      const body = assessmentBody({
        patient: { givenName: 'Ploy', familyName: `Aftercare${String(++patientCount).padStart(3, '0')}` },
        opioids: [{ drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, asNeeded: true, paracetamolPerUnitMg: 325, monthsOnTherapy: 14, prescribed: true }],
      });
      const { admissionId } = await admit(today, body);
      await discharge(admissionId, dischargeBody(today)).expect(201);

      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.intake.opioids).toEqual([
        { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, asNeeded: true, dailyDose: 20, dailyMme: 20, paracetamolPerUnitMg: 325, paracetamolDailyMg: 1300, monthsOnTherapy: 14, prescribed: true, orderedDuringStay: false,
          stoppedAtAdmission: { on: today, text: expect.stringMatching(new RegExp(`^Stopped at admission: not ordered during the stay, so none was given by the clinic since ${today}\\. Tolerance to it is lost: do not restart it at the intake dose \\(20 mg/day\\)`)), orderStoppedBeforeFirstDose: null } },
      ]);
      // Nothing is given without an order: none of it at discharge, though the patient left the day of admission.
      expect(summary.mme).toMatchObject({ atIntake: 20, atDischarge: 0, daily: [{ date: today, mme: 0 }] });
      expect(summary.risks[0]).toEqual({
        code: 'TOLERANCE_LOST',
        message: 'Opioid tolerance is now much lower than at intake (20 MME/day then, 0 MME/day at discharge). A return to the old dose can cause fatal overdose.',
      });

      const text = extractPdfText((await handoffPdf(admissionId).expect(200)).body as Buffer).replace(/\s+/g, ' ');
      expect(text).toContain('Hydrocodone IR 5 mg as needed, up to 4 a day (at most 20 mg/day, 20 MME), with paracetamol 325 mg in each unit (at most 1,300 mg/day of paracetamol), stopped at admission');
      expect(text).not.toContain('x 4/day');
      // Never ordered: stopped at admission, not among the medicines now.
      expect(text).toContain('Hydrocodone IR was stopped at admission: not ordered during the stay, so none was given by the clinic since');
      expect(text).toContain('stopped at admission (never ordered, none given)');
      expect(text).not.toContain('counted in the MME at its intake dose');

      const fhir = await handoff(admissionId, 'fhir').buffer(true).expect(200);
      const bundle = JSON.parse(fhir.text) as Bundle;
      const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
      const statement = resources.find((r): r is MedicationStatement => r.resourceType === 'MedicationStatement');
      expect(statement?.dosage?.[0]).toMatchObject({ asNeededBoolean: true, maxDosePerPeriod: { numerator: { value: 20, unit: 'mg' }, denominator: { value: 1, code: 'd' } } });
      expect(statement?.dosage?.[0]?.timing).toBeUndefined();
      const medication = (bundle.entry ?? []).find((e) => e.fullUrl === statement?.medicationReference?.reference)?.resource as Medication | undefined;
      expect(medication?.ingredient?.map((i) => [i.itemCodeableConcept?.text, i.strength?.numerator?.value, i.strength?.numerator?.unit])).toEqual([
        ['Hydrocodone', 5, 'mg'],
        ['Paracetamol', 325, 'mg'],
      ]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('aftercare check-ins', () => {
    let admissionId: string;
    let patientId: string;
    let dischargedOn: string;

    beforeAll(async () => {
      realTime();
      dischargedOn = day(today, -20);
      ({ admissionId, patientId } = await admit(day(today, -40)));
      await discharge(admissionId, dischargeBody(dischargedOn)).expect(201);
    });
    beforeEach(() => realTime());

    it('GET lists the eight weekly check-ins, for the coordinator and the psychiatrist', async () => {
      for (const staff of [coordinator, psychiatrist]) {
        const response = await aftercarePlan(admissionId, staff).expect(200);
        expect(await auditOf(response)).toMatchObject([{ actor_id: staff.id, action: 'READ', resource: 'aftercare_check_in', patient_id: patientId, outcome: 'SUCCESS' }]);
        expect(response.body).toEqual({
          admissionId,
          checkIns: Array.from({ length: 8 }, (_, i) => ({ id: expect.any(String), sequence: i + 1, dueOn: day(dischargedOn, 7 * (i + 1)), status: 'PLANNED', notes: null })),
        });
      }
      for (const staff of [nurse, billing, clerk, admin]) await aftercarePlan(admissionId, staff).expect(403);
      await aftercarePlan(MISSING_ID).expect(404);
    });

    it('PATCH DONE / MISSED with notes → 200, shown in the plan and in the handoff', async () => {
      const [first, second] = (await aftercarePlan(admissionId).expect(200)).body.checkIns as { id: string; dueOn: string }[];
      const done = await updateCheckIn(first!.id, { status: 'DONE', notes: '  Video call: tapering as planned; pain 3/10.  ' }).expect(200);
      expect(done.body).toEqual({ id: first!.id, sequence: 1, dueOn: first!.dueOn, status: 'DONE', notes: 'Video call: tapering as planned; pain 3/10.' });
      expect(await auditOf(done)).toMatchObject([{ actor_id: coordinator.id, action: 'UPDATE', resource_id: first!.id, outcome: 'SUCCESS' }]);
      await updateCheckIn(second!.id, { status: 'MISSED', notes: 'No answer to two calls and an email.' }).expect(200);

      const plan = (await aftercarePlan(admissionId).expect(200)).body.checkIns as Json[];
      expect(plan.map((c) => [c.status, c.notes])).toEqual([
        ['DONE', 'Video call: tapering as planned; pain 3/10.'],
        ['MISSED', 'No answer to two calls and an email.'],
        ...Array(6).fill(['PLANNED', null]),
      ]);
      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.aftercare.checkIns.slice(0, 3)).toEqual([
        { dueOn: day(dischargedOn, 7), status: 'DONE', notes: 'Video call: tapering as planned; pain 3/10.' },
        { dueOn: day(dischargedOn, 14), status: 'MISSED', notes: 'No answer to two calls and an email.' },
        { dueOn: day(dischargedOn, 21), status: 'PLANNED', notes: null },
      ]);
    });

    it('a bad status or field → 400; an unknown check-in → 404; the psychiatrist reads but cannot write', async () => {
      const [, , third] = (await aftercarePlan(admissionId).expect(200)).body.checkIns as { id: string }[];
      for (const body of [{ status: 'CANCELLED' }, { status: 'done' }, {}, { status: 'DONE', notes: 42 }, { status: 'DONE', when: 'today' }]) {
        expect((await updateCheckIn(third!.id, body).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      expect((await updateCheckIn(MISSING_ID, { status: 'DONE' }).expect(404)).body.code).toBe('NOT_FOUND');
      await updateCheckIn('not-a-uuid', { status: 'DONE' }).expect(400);
      for (const staff of [psychiatrist, nurse, billing, clerk, admin]) await updateCheckIn(third!.id, { status: 'DONE' }, staff).expect(403);
      await t.http.patch(`${API}/aftercare/check-ins/${third!.id}`).send({ status: 'DONE' }).expect(401);
      const stored = await t.admin.query('SELECT status, notes FROM aftercare_check_ins WHERE id = $1', [third!.id]);
      expect(stored.rows).toEqual([{ status: 'PLANNED', notes: null }]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('building the summary', () => {
    /**
     * A stay of `days` days admitted today (real time), walked forward with the fake clock:
     * a signed taper with `amendments` more versions, a PAIN score every `painEvery` days and a
     * COWS reading every `cowsEvery` days, the `medications` (the first ones later stopped) and
     * `therapies`, `doses` taper doses (2.5 mg at 08:00 on each of the first days, then one held
     * and one voided), then discharge with consent.
     */
    async function stayOf(options: { days: number; amendments: number; painEvery: number; cowsEvery: number; medications: Json[]; asNeeded?: Json[]; stopped: number; therapies: number; doses: number }): Promise<string> {
      realTime();
      const d0 = today;
      setToday(d0);
      const { admissionId } = await admitForStayOrder(d0);
      const ordered: string[] = [];
      for (const medication of options.medications) ordered.push((await orderMedication(admissionId, medication).expect(201)).body.id);
      for (let i = 0; i < options.therapies; i++) await addTherapy(admissionId, THERAPIES[i % THERAPIES.length]!).expect(201);
      for (const { stop, ...order } of options.asNeeded ?? []) {
        const { id } = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send(order).expect(201)).body;
        if (stop) await t.http.post(`${API}/as-needed-orders/${id}/discontinue`).set(bearer(psychiatrist)).send({ reason: String(stop) }).expect(200);
      }
      const signed = await signedOrder(admissionId, stayOrder(d0));
      let version = signed.id;
      for (let i = 1; i <= options.amendments; i++) {
        const n = Math.floor((i * options.days) / (options.amendments + 1));
        setToday(day(d0, n));
        const change = i % 2 === 1 ? { pauseDays: 7 } : { intervalDays: 14 };
        version = (await amend(version, { effectiveFrom: day(d0, n + 1), ...change, reason: `Amendment ${i}` }).expect(201)).body.id;
      }
      for (let i = 0; i < options.stopped; i++) await discontinue(ordered[i]!, 'Stopped during the stay').expect(200);
      const last = day(d0, options.days - 1);
      setToday(last);
      // Staff enter observations after the fact: all of them now, each at its own time.
      const observations: Json[] = [];
      for (let n = 0; n < options.days; n++) {
        if (n % options.painEvery === 0) observations.push(painAt(day(d0, n), 7 - Math.floor((4 * n) / options.days)));
        if (n % options.cowsEvery === 0) observations.push(cowsAt(day(d0, n), (n * 7) % 13));
      }
      for (let i = 0; i < observations.length; i += 10) await Promise.all(observations.slice(i, i + 10).map((o) => observe(admissionId, o).expect(201)));
      await recordDoses(admissionId, signed.orderId as string, d0, options.doses);
      await discharge(admissionId, dischargeBody(last)).expect(201);
      return admissionId;
    }

    async function recordDoses(admissionId: string, orderId: string, d0: string, count: number): Promise<void> {
      const give = (n: number, extra: Json) =>
        t.http
          .post(`${API}/admissions/${admissionId}/administrations`)
          .set(bearer(nurse))
          .send({ orderKind: 'TAPER', orderId, dose: 2.5, unit: 'mg', givenAt: `${day(d0, n)}T08:00:00+07:00`, outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: randomUUID(), ...extra })
          .expect(201);
      for (let n = 0; n < count; n += 10) await Promise.all(Array.from({ length: Math.min(10, count - n) }, (_, i) => give(n + i, {})));
      await give(count, { outcome: 'HELD', witnessId: undefined, reason: 'Drowsy; RR 10.' });
      const mistaken = await give(count + 1, {});
      await t.http.post(`${API}/administrations/${mistaken.body.id}/void`).set(bearer(nurse)).send({ reason: 'Entered against the wrong day.' }).expect(200);
    }

    it('issues the same number of SQL statements for a 10-day and a 120-day stay', async () => {
      const short = await stayOf({
        days: 10,
        amendments: 0,
        painEvery: 5,
        cowsEvery: 5,
        medications: [{ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' }],
        stopped: 0,
        therapies: 1,
        doses: 1,
      });
      const long = await stayOf({
        days: 120,
        amendments: 4,
        painEvery: 1,
        cowsEvery: 2,
        medications: [
          { drug: 'ibuprofen', dose: 400, unit: 'mg', timesPerDay: 3, route: 'ORAL' },
          { drug: 'amitriptyline', dose: 10, unit: 'mg', timesPerDay: 1, route: 'ORAL' },
          { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' },
          { drug: 'gabapentin', dose: 300, unit: 'mg', timesPerDay: 3, route: 'ORAL' },
          { drug: 'duloxetine', dose: 30, unit: 'mg', timesPerDay: 1, route: 'ORAL' },
          { drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL' },
        ],
        stopped: 2,
        therapies: 5,
        doses: 40,
      });

      const shortRun = await recordStatements(t, () => handoff(short).expect(200));
      const longRun = await recordStatements(t, () => handoff(long).expect(200));
      const shortSummary = shortRun.result.body;
      const longSummary = longRun.result.body;
      // The long stay really has more of everything.
      expect(shortSummary.stay.days).toBe(10);
      expect(longSummary.stay.days).toBe(120);
      expect(longSummary.tapers[0].versions).toHaveLength(5);
      expect(longSummary.tapers[0].stepsTaken.length).toBeGreaterThan(shortSummary.tapers[0].stepsTaken.length + 5);
      expect(longSummary.painScores).toHaveLength(120);
      expect(longSummary.cows.readings).toHaveLength(60);
      expect(longSummary.painPlan.active).toHaveLength(4);
      expect(longSummary.painPlan.stopped).toHaveLength(2);
      expect(longSummary.painPlan.therapies).toHaveLength(5);
      expect(longSummary.mme.daily).toHaveLength(120);
      expect(shortSummary.painScores).toHaveLength(2);
      expect(longSummary.tapers[0].dosesGiven[0]).toEqual({ dailyDose: 2.5, firstDay: longSummary.stay.admittedOn, lastDay: day(longSummary.stay.admittedOn, 39), days: 40, partial: false });
      expect(shortSummary.tapers[0].dosesGiven).toHaveLength(1);

      // The signed-in user, BEGIN, twelve reads, COMMIT, the EXPORT audit row.
      expect(shortRun.statements).toHaveLength(17);
      expect(longRun.statements).toHaveLength(17);
      // One read per kind of record, however many rows it returns.
      for (const table of ['taper_orders', 'taper_steps', 'administrations', 'observations', 'pain_medications', 'pain_therapies', 'aftercare_check_ins']) {
        expect([table, longRun.statements.filter((sql) => new RegExp(`FROM "?${table}"?\\b`).test(sql)).length]).toEqual([table, 1]);
      }
    });

    it('reads the records exactly as the ORM loads them (same rows, same values, same types)', async () => {
      const admissionId = await stayOf({
        days: 21,
        amendments: 2,
        painEvery: 2,
        cowsEvery: 3,
        medications: [
          { drug: 'ibuprofen', dose: 400, unit: 'mg', timesPerDay: 3, route: 'ORAL' },
          { drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL' },
          { drug: 'paracetamol', dose: 333.333, unit: 'mg', timesPerDay: 3, route: 'ORAL' },
        ],
        asNeeded: [
          { drug: 'clonidine', dose: 0.075, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 3, indication: 'Sweating', cowsThreshold: 8 },
          { drug: 'loperamide', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 4, indication: 'Diarrhoea', stop: 'Settled.' },
        ],
        stopped: 1,
        therapies: 2,
        doses: 3,
      });
      const dataSource = t.app.get(DataSource);
      const records = await readSnapshot(dataSource, (query) => readHandoffRecords(query, admissionId, t.app.get(AdministrationHistoryRepository)));
      const orm = dataSource.manager;
      const where = { where: { admissionId } };
      const admission = await orm.findOneByOrFail(AdmissionEntity, { id: admissionId });
      const versions = await orm.find(TaperOrderEntity, { ...where, order: { createdAt: 'ASC', version: 'ASC' } });
      const steps = await orm.find(TaperStepEntity, { where: versions.map((v) => ({ versionId: v.id })), order: { versionId: 'ASC', step: 'ASC' } });
      expect(records).toEqual({
        admission,
        patient: await orm.findOneByOrFail(PatientEntity, { id: admission.patientId }),
        discharge: await orm.findOneByOrFail(DischargeEntity, { admissionId }),
        consent: await orm.findOneOrFail(ShareConsentEntity, { ...where, order: { position: 'DESC' } }),
        assessment: await orm.findOneOrFail(AssessmentEntity, { where: { enquiryId: admission.enquiryId }, order: { version: 'DESC' } }),
        taperVersions: versions,
        taperSteps: steps,
        administrations: await orm.find(AdministrationEntity, {
          select: { orderId: true, drug: true, formulation: true, dose: true, unit: true, givenAt: true, givenOn: true, outcome: true },
          where: { admissionId, orderKind: 'TAPER', voidedAt: IsNull() },
          order: { givenAt: 'ASC', position: 'ASC' },
        }),
        medications: await orm.find(PainMedicationEntity, { ...where, order: { createdAt: 'ASC', id: 'ASC' } }),
        asNeededOrders: await orm.find(AsNeededOrderEntity, {
          select: { id: true, drug: true, dose: true, unit: true, route: true, minIntervalHours: true, maxDosesPerDay: true, indication: true, cowsThreshold: true, status: true, createdAt: true, discontinuedAt: true, discontinueReason: true, overridden: true, overrideReason: true },
          ...where,
          order: { createdAt: 'ASC', id: 'ASC' },
        }),
        therapies: await orm.find(PainTherapyEntity, { ...where, order: { createdAt: 'ASC', id: 'ASC' } }),
        observations: await orm.find(ObservationEntity, { ...where, order: { recordedAt: 'ASC', position: 'ASC' } }),
        checkIns: await orm.find(CheckInEntity, { ...where, order: { sequence: 'ASC' } }),
      });
      // Spot checks that toEqual really compares values of the same type.
      expect(records.taperVersions).toHaveLength(3);
      expect(typeof records.medications[2]!.dose).toBe('number');
      expect(records.medications[2]!.dose).toBe(333.333);
      expect(records.observations[0]!.recordedAt).toBeInstanceOf(Date);
      expect(records.admission.admittedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Three given and one held; the voided entry is not read.
      expect(records.administrations.map((a) => [a.outcome, a.dose])).toEqual([['GIVEN', 2.5], ['GIVEN', 2.5], ['GIVEN', 2.5], ['HELD', 2.5]]);
      expect(records.administrations[0]!.givenAt).toBeInstanceOf(Date);
      // The as-needed orders reach the prescriber: in force and stopped, with their limits.
      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.painPlan.asNeeded).toEqual([
        expect.objectContaining({ drug: 'clonidine', dose: 0.075, minIntervalHours: 6, maxDosesPerDay: 3, maxDailyDose: 0.225, cowsThreshold: 8, indication: 'Sweating', stoppedOn: null, stopReason: null }),
        expect.objectContaining({ drug: 'loperamide', dose: 2, maxDailyDose: 8, cowsThreshold: null, stoppedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), stopReason: 'Settled.' }),
      ]);
    });
  });
});
