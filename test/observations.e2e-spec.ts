import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient } from './support/intake.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const MINUTE = 60_000;

type Json = Record<string, unknown>;
type Items = Record<string, number>;
type Page = { items: { id: string }[]; nextCursor: string | null };

const ZERO: Items = {
  pulse: 0, sweating: 0, restlessness: 0, pupils: 0, boneJointAches: 0, runnyNoseTearing: 0,
  giUpset: 0, tremor: 0, yawning: 0, anxietyIrritability: 0, gooseflesh: 0,
};
const cows = (scores: Items = {}): Items => ({ ...ZERO, ...scores });

/** Item sets at each band edge of domain.md §8; each really adds up to its total (checked below). */
const EXAMPLES: [number, string, Items][] = [
  [0, 'NONE', cows()],
  [4, 'NONE', cows({ pulse: 4 })],
  [5, 'MILD', cows({ pulse: 2, gooseflesh: 3 })],
  [12, 'MILD', cows({ pulse: 2, sweating: 1, restlessness: 3, pupils: 1, boneJointAches: 2, runnyNoseTearing: 1, tremor: 1, yawning: 1 })],
  [13, 'MODERATE', cows({ pulse: 2, sweating: 1, restlessness: 3, pupils: 1, boneJointAches: 2, runnyNoseTearing: 1, tremor: 1, yawning: 1, anxietyIrritability: 1 })],
  [24, 'MODERATE', cows({ pulse: 2, sweating: 2, restlessness: 3, pupils: 2, boneJointAches: 2, runnyNoseTearing: 2, giUpset: 2, tremor: 2, yawning: 2, anxietyIrritability: 2, gooseflesh: 3 })],
  [25, 'MODERATELY_SEVERE', cows({ pulse: 2, sweating: 3, restlessness: 3, pupils: 2, boneJointAches: 2, runnyNoseTearing: 2, giUpset: 2, tremor: 2, yawning: 2, anxietyIrritability: 2, gooseflesh: 3 })],
  [36, 'MODERATELY_SEVERE', cows({ pulse: 4, sweating: 4, restlessness: 5, pupils: 1, boneJointAches: 4, runnyNoseTearing: 4, giUpset: 2, tremor: 4, yawning: 4, anxietyIrritability: 4, gooseflesh: 0 })],
  [37, 'SEVERE', cows({ pulse: 4, sweating: 4, restlessness: 5, pupils: 2, boneJointAches: 4, runnyNoseTearing: 4, giUpset: 2, tremor: 4, yawning: 4, anxietyIrritability: 4, gooseflesh: 0 })],
  [48, 'SEVERE', cows({ pulse: 4, sweating: 4, restlessness: 5, pupils: 5, boneJointAches: 4, runnyNoseTearing: 4, giUpset: 5, tremor: 4, yawning: 4, anxietyIrritability: 4, gooseflesh: 5 })],
];
const itemsOf = (total: number): Items => EXAMPLES.find(([t]) => t === total)![2];

const PAUSE = { code: 'CONSIDER_PAUSING_TAPER', message: 'Moderate withdrawal (COWS 13–24) during an active taper: consider pausing the taper.' };
const REVIEW_MODERATELY_SEVERE = { code: 'MEDICAL_REVIEW', message: 'Moderately severe withdrawal (COWS 25–36) during an active taper: medical review; consider hospital transfer.' };
const REVIEW_SEVERE = { code: 'MEDICAL_REVIEW', message: 'Severe withdrawal (COWS above 36) during an active taper: medical review; consider hospital transfer.' };
const ALERTS_DURING_TAPER: Record<string, Json[]> = { NONE: [], MILD: [], MODERATE: [PAUSE], MODERATELY_SEVERE: [REVIEW_MODERATELY_SEVERE], SEVERE: [REVIEW_SEVERE] };
// Withdrawal needs attention whether or not a taper is in force (before the first order, after the last step).
const REVIEW_REGIMEN = { code: 'WITHDRAWAL_WITHOUT_TAPER', message: 'Moderate withdrawal (COWS 13–24) without a taper in force: review the regimen.' };
const ALERTS_WITHOUT_TAPER: Record<string, Json[]> = {
  NONE: [],
  MILD: [],
  MODERATE: [REVIEW_REGIMEN],
  MODERATELY_SEVERE: [{ code: 'MEDICAL_REVIEW', message: 'Moderately severe withdrawal (COWS 25–36) without a taper in force: medical review; consider hospital transfer.' }],
  SEVERE: [{ code: 'MEDICAL_REVIEW', message: 'Severe withdrawal (COWS above 36) without a taper in force: medical review; consider hospital transfer.' }],
};

describe('observations', () => {
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

  /**
   * A minute before the app's now, but not before the clinic's midnight (Bangkok, +07:00): recent,
   * certainly not in the future, and on the day a patient admitted today was admitted, even in
   * the first minute of the clinic's day.
   */
  const justNow = () => {
    const now = t.clock.now().getTime();
    const midnight = Date.parse(`${t.clock.today(t.config.clinicTimeZone)}T00:00:00+07:00`);
    return new Date(Math.max(now - MINUTE, midnight)).toISOString();
  };

  const post = (admissionId: string, body: Json, as: Staff = nurse) => t.http.post(`${ADMISSIONS}/${admissionId}/observations`).set(bearer(as)).send(body);
  const cowsBody = (items: Json, extra: Json = {}) => ({ type: 'COWS', recordedAt: justNow(), items, ...extra });
  const painBody = (score: unknown, extra: Json = {}) => ({ type: 'PAIN', recordedAt: justNow(), score, ...extra });
  const list = (admissionId: string, query: Json = {}, as: Staff = nurse) => t.http.get(`${ADMISSIONS}/${admissionId}/observations`).query(query).set(bearer(as));

  /** Admitted today (the clinic's calendar), so that an order can start today. */
  const admitted = async (on = t.clock.today(t.config.clinicTimeZone)) => admitPatient(t, clerk, exampleIntakeBody(), on);

  /** A taper order drafted by the psychiatrist, signed (ACTIVE) unless asked not to. */
  async function taperOrder(admissionId: string, sign = true): Promise<string> {
    const startDate = t.clock.today(t.config.clinicTimeZone);
    const order = await t.http
      .post(`${ADMISSIONS}/${admissionId}/taper-orders`)
      .set(bearer(psychiatrist))
      .send(apiExampleOrder({ startDate }))
      .expect(201);
    if (sign) {
      const signed = await t.http.post(`${API}/taper-orders/${order.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
      expect(signed.body.status).toBe('ACTIVE');
    }
    return order.body.id as string;
  }

  const observationsOf = async (admissionId: string): Promise<number> =>
    (await t.admin.query('SELECT count(*)::int AS n FROM observations WHERE admission_id = $1', [admissionId])).rows[0].n;

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  describe('COWS', () => {
    it('the example item sets add up to their totals', () => {
      for (const [total, , items] of EXAMPLES) expect(Object.values(items).reduce((a, b) => a + b, 0)).toBe(total);
    });

    it('records a COWS: total, band, items, and the alert of moderate withdrawal with no taper in force; stored and audited with the patient id', async () => {
      const { admissionId, patientId } = await admitted('2026-02-01');
      const recordedAt = '2026-03-01T15:30:00+07:00';
      const response = await post(admissionId, { type: 'COWS', recordedAt, items: itemsOf(13) }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        type: 'COWS',
        recordedAt: '2026-03-01T08:30:00.000Z',
        score: 13,
        band: 'MODERATE',
        items: itemsOf(13),
        alerts: [REVIEW_REGIMEN],
        recordedBy: nurse.id,
        createdAt: expect.any(String),
      });
      const stored = await t.admin.query('SELECT patient_id, type, recorded_at, score, band, items, alerts, recorded_by FROM observations WHERE id = $1', [response.body.id]);
      expect(stored.rows).toEqual([
        { patient_id: patientId, type: 'COWS', recorded_at: new Date('2026-03-01T08:30:00Z'), score: 13, band: 'MODERATE', items: itemsOf(13), alerts: [REVIEW_REGIMEN], recorded_by: nurse.id },
      ]);
      expect(await auditOf(response)).toEqual([
        {
          actor_id: nurse.id, action: 'CREATE', resource: 'observation', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS',
          detail: { admissionId, type: 'COWS', alerts: ['WITHDRAWAL_WITHOUT_TAPER'] },
        },
      ]);
    });

    it.each(EXAMPLES)('scores a total of %i as %s, with the alerts of domain.md §8 when no taper is in force', async (total, band, items) => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, cowsBody(items)).expect(201);
      expect(response.body).toMatchObject({ type: 'COWS', score: total, band, items, alerts: ALERTS_WITHOUT_TAPER[band] });
    });

    it('severe withdrawal (COWS 48) before the first order is signed asks for a medical review', async () => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, cowsBody(itemsOf(48))).expect(201);
      expect(response.body.alerts.map((a: Json) => a.code)).toEqual(['MEDICAL_REVIEW']);
    });

    it('after the last step (the taper has stopped), moderate withdrawal says no taper is in force', async () => {
      const { admissionId } = await admitted();
      const today = t.clock.today(t.config.clinicTimeZone);
      const order = await t.http.post(`${ADMISSIONS}/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder({ startDate: today })).expect(201);
      await t.http.post(`${API}/taper-orders/${order.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
      const afterStop = new Date(`${order.body.endsOn}T12:00:00+07:00`).getTime() + 86_400_000;
      t.clock.advance(afterStop - t.clock.now().getTime());
      try {
        const response = await post(admissionId, cowsBody(itemsOf(13))).expect(201);
        expect(response.body.alerts).toEqual([REVIEW_REGIMEN]);
      } finally {
        t.clock.advance(Date.now() - t.clock.now().getTime());
      }
    });

    describe('during an active (signed) taper', () => {
      let admissionId: string;
      beforeAll(async () => {
        ({ admissionId } = await admitted());
        await taperOrder(admissionId);
      });

      it.each(EXAMPLES)('a total of %i (%s) raises the alerts of domain.md §8', async (total, band, items) => {
        const response = await post(admissionId, cowsBody(items)).expect(201);
        expect(response.body).toMatchObject({ score: total, band, alerts: ALERTS_DURING_TAPER[band] });
        const stored = await t.admin.query('SELECT alerts FROM observations WHERE id = $1', [response.body.id]);
        expect(stored.rows[0].alerts).toEqual(ALERTS_DURING_TAPER[band]);
      });

      it('names the alerts in the audit row, and a pain score raises none', async () => {
        const cowsResponse = await post(admissionId, cowsBody(itemsOf(25)), psychiatrist).expect(201);
        expect(cowsResponse.body.recordedBy).toBe(psychiatrist.id);
        expect((await auditOf(cowsResponse))[0]!.detail).toEqual({ admissionId, type: 'COWS', alerts: ['MEDICAL_REVIEW'] });
        const pain = await post(admissionId, painBody(10)).expect(201);
        expect(pain.body).toMatchObject({ type: 'PAIN', score: 10, band: null, items: null, alerts: [] });
      });
    });

    it('during a pause already holding the taper, moderate withdrawal does not advise a pause but a review (WITHDRAWAL_DURING_PAUSE)', async () => {
      const { admissionId } = await admitted();
      const versionId = await taperOrder(admissionId);
      const today = t.clock.today(t.config.clinicTimeZone);
      const tomorrow = new Date(new Date(`${today}T12:00:00+07:00`).getTime() + 86_400_000).toISOString().slice(0, 10);
      await t.http.post(`${API}/taper-orders/${versionId}/amendments`).set(bearer(psychiatrist)).send({ effectiveFrom: tomorrow, pauseDays: 14, reason: 'Sleep poor.' }).expect(201);
      // Two days on, inside the pause.
      t.clock.advance(2 * 86_400_000);
      try {
        const moderate = await post(admissionId, cowsBody(itemsOf(13))).expect(201);
        expect(moderate.body.alerts).toEqual([
          { code: 'WITHDRAWAL_DURING_PAUSE', message: 'Moderate withdrawal (COWS 13–24) during a pause of the taper: the taper is already paused; review the regimen.' },
        ]);
        expect((await post(admissionId, cowsBody(itemsOf(25))).expect(201)).body.alerts.map((a: Json) => a.code)).toEqual(['MEDICAL_REVIEW']);
      } finally {
        t.clock.advance(Date.now() - t.clock.now().getTime());
      }
    });

    it('a draft (unsigned) order is no taper in force', async () => {
      const { admissionId } = await admitted();
      await taperOrder(admissionId, false);
      for (const [total, band] of [[13, 'MODERATE'], [25, 'MODERATELY_SEVERE'], [37, 'SEVERE']] as const) {
        expect((await post(admissionId, cowsBody(itemsOf(total))).expect(201)).body.alerts).toEqual(ALERTS_WITHOUT_TAPER[band]);
      }
    });

    it('another admission’s active taper is not this patient’s', async () => {
      const tapered = await admitted();
      await taperOrder(tapered.admissionId);
      const other = await admitted();
      expect((await post(other.admissionId, cowsBody(itemsOf(13))).expect(201)).body.alerts).toEqual([REVIEW_REGIMEN]);
    });

    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['a pulse of 3', { ...ZERO, pulse: 3 }, [{ field: 'items.pulse', reason: '3 is not a score of pulse; allowed scores are 0, 1, 2, 4.' }]],
      ['gooseflesh of 1', { ...ZERO, gooseflesh: 1 }, [{ field: 'items.gooseflesh', reason: '1 is not a score of gooseflesh; allowed scores are 0, 3, 5.' }]],
      ['restlessness of 2', { ...ZERO, restlessness: 2 }, [{ field: 'items.restlessness', reason: '2 is not a score of restlessness; allowed scores are 0, 1, 3, 5.' }]],
      ['a GI upset of 4', { ...ZERO, giUpset: 4 }, [{ field: 'items.giUpset', reason: '4 is not a score of giUpset; allowed scores are 0, 1, 2, 3, 5.' }]],
      ['sweating of 5', { ...ZERO, sweating: 5 }, [{ field: 'items.sweating', reason: '5 is not a score of sweating; allowed scores are 0, 1, 2, 3, 4.' }]],
      ['a negative score', { ...ZERO, yawning: -1 }, [{ field: 'items.yawning', reason: '-1 is not a score of yawning; allowed scores are 0, 1, 2, 4.' }]],
      ['a fractional score', { ...ZERO, tremor: 1.5 }, [{ field: 'items.tremor', reason: '1.5 is not a score of tremor; allowed scores are 0, 1, 2, 4.' }]],
      ['a score as text', { ...ZERO, pupils: '2' }, [{ field: 'items.pupils', reason: '"2" is not a score of pupils; allowed scores are 0, 1, 2, 5.' }]],
      ['a null score', { ...ZERO, anxietyIrritability: null }, [{ field: 'items.anxietyIrritability', reason: 'null is not a score of anxietyIrritability; allowed scores are 0, 1, 2, 4.' }]],
      ['a missing tremor', (({ tremor: _, ...rest }) => rest)(ZERO), [{ field: 'items.tremor', reason: 'tremor is missing; allowed scores are 0, 1, 2, 4.' }]],
      [
        'an unknown item',
        { ...ZERO, nausea: 2 },
        [{ field: 'items.nausea', reason: 'nausea is not a COWS item; the items are pulse, sweating, restlessness, pupils, boneJointAches, runnyNoseTearing, giUpset, tremor, yawning, anxietyIrritability, gooseflesh.' }],
      ],
      [
        'several bad items at once',
        { ...ZERO, pulse: 3, boneJointAches: 3 },
        [
          { field: 'items.pulse', reason: '3 is not a score of pulse; allowed scores are 0, 1, 2, 4.' },
          { field: 'items.boneJointAches', reason: '3 is not a score of boneJointAches; allowed scores are 0, 1, 2, 4.' },
        ],
      ],
    ])('refuses %s (400 naming the item) and writes nothing', async (_, items, details) => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, cowsBody(items)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect(await observationsOf(admissionId)).toBe(0);
      expect(await auditOf(response)).toEqual([]);
    });

    it('lists every missing item of an empty set', async () => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, cowsBody({})).expect(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(Object.keys(ZERO).map((item) => `items.${item}`));
    });
  });

  describe('pain', () => {
    it.each([0, 10])('records a pain score of %i (no band, no items, no alerts)', async (score) => {
      const { admissionId, patientId } = await admitted();
      const response = await post(admissionId, painBody(score)).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String), admissionId, patientId, type: 'PAIN', recordedAt: expect.any(String), score,
        band: null, items: null, alerts: [], recordedBy: nurse.id, createdAt: expect.any(String),
      });
      expect(await auditOf(response)).toEqual([
        { actor_id: nurse.id, action: 'CREATE', resource: 'observation', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId, type: 'PAIN', alerts: [] } },
      ]);
    });

    it.each<[string, unknown, string]>([
      ['11', 11, 'must not be greater than 10'],
      ['-1', -1, 'must not be less than 0'],
      ['5.5', 5.5, 'must be an integer number'],
      ['"7" (text)', '7', 'must be an integer number'],
      ['null', null, 'must be an integer number'],
    ])('refuses a score of %s (400 on score) and writes nothing', async (_, score, reason) => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, painBody(score)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field: 'score', reason }] });
      expect(await observationsOf(admissionId)).toBe(0);
      expect(await auditOf(response)).toEqual([]);
    });
  });

  describe('the request', () => {
    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['a wrong type', { type: 'CIWA', recordedAt: '2026-03-01T08:00:00Z', score: 3 }, [{ field: 'type', reason: 'must be one of the following values: COWS, PAIN' }]],
      ['no type', { recordedAt: '2026-03-01T08:00:00Z', score: 3 }, [{ field: 'type', reason: 'is required' }]],
      ['a score with a COWS', { type: 'COWS', recordedAt: '2026-03-01T08:00:00Z', items: itemsOf(5), score: 5 }, [{ field: 'score', reason: 'must not be given for a COWS observation; the score is the total of the items' }]],
      ['items with a PAIN', { type: 'PAIN', recordedAt: '2026-03-01T08:00:00Z', score: 5, items: itemsOf(5) }, [{ field: 'items', reason: 'must not be given for a PAIN observation' }]],
      ['a COWS without items', { type: 'COWS', recordedAt: '2026-03-01T08:00:00Z' }, [{ field: 'items', reason: 'is required for a COWS observation' }]],
      ['a PAIN without a score', { type: 'PAIN', recordedAt: '2026-03-01T08:00:00Z' }, [{ field: 'score', reason: 'is required for a PAIN observation' }]],
      ['items that are not an object', { type: 'COWS', recordedAt: '2026-03-01T08:00:00Z', items: [0, 1, 2] }, [{ field: 'items', reason: 'must be an object of COWS item scores' }]],
      ['null items', { type: 'COWS', recordedAt: '2026-03-01T08:00:00Z', items: null }, [{ field: 'items', reason: 'must be an object of COWS item scores' }]],
      ['no recordedAt', { type: 'PAIN', score: 3 }, [{ field: 'recordedAt', reason: 'is required' }]],
      ['a recordedAt without a time zone', { type: 'PAIN', recordedAt: '2026-03-01T08:00:00', score: 3 }, [{ field: 'recordedAt', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['a date for recordedAt', { type: 'PAIN', recordedAt: '2026-03-01', score: 3 }, [{ field: 'recordedAt', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['an impossible recordedAt', { type: 'PAIN', recordedAt: '2026-02-30T08:00:00Z', score: 3 }, [{ field: 'recordedAt', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['a leap second', { type: 'PAIN', recordedAt: '2026-03-01T23:59:60Z', score: 3 }, [{ field: 'recordedAt', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['recordedAt as a number', { type: 'PAIN', recordedAt: 1772352000000, score: 3 }, [{ field: 'recordedAt', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['a recordedAt before 1970', { type: 'PAIN', recordedAt: '1969-12-31T23:59:59.999Z', score: 3 }, [{ field: 'recordedAt', reason: 'must not be before 1970-01-01T00:00:00.000Z' }]],
      ['an unknown field', { type: 'PAIN', recordedAt: '2026-03-01T08:00:00Z', score: 3, note: 'x' }, [{ field: 'note', reason: 'property note should not exist' }]],
    ])('refuses %s (400 naming the field) and writes nothing', async (_, body, details) => {
      const { admissionId } = await admitted();
      const response = await post(admissionId, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect(await observationsOf(admissionId)).toBe(0);
      expect(await auditOf(response)).toEqual([]);
    });

    it('refuses a recordedAt in the future beyond 5 minutes of clock skew, accepts one within it', async () => {
      const { admissionId } = await admitted();
      const future = new Date(t.clock.now().getTime() + 6 * MINUTE).toISOString();
      const refused = await post(admissionId, painBody(4, { recordedAt: future })).expect(400);
      expect(refused.body.details).toEqual([{ field: 'recordedAt', reason: expect.stringMatching(/^must not be in the future/) }]);
      const farFuture = await post(admissionId, cowsBody(itemsOf(4), { recordedAt: '2031-01-01T00:00:00Z' })).expect(400);
      expect(farFuture.body.details).toEqual([{ field: 'recordedAt', reason: expect.stringMatching(/^must not be in the future/) }]);
      expect(await observationsOf(admissionId)).toBe(0);

      const skewed = new Date(t.clock.now().getTime() + 4 * MINUTE).toISOString();
      await post(admissionId, painBody(4, { recordedAt: skewed })).expect(201);
      // Once the clinic's clock has caught up, the earlier instant is no longer in the future.
      t.clock.advance(7 * MINUTE);
      await post(admissionId, painBody(4, { recordedAt: future })).expect(201);
      expect(await observationsOf(admissionId)).toBe(2);
    });

    it('reports a future recordedAt together with bad items', async () => {
      const { admissionId } = await admitted();
      const future = new Date(t.clock.now().getTime() + 60 * MINUTE).toISOString();
      const response = await post(admissionId, cowsBody({ ...ZERO, pulse: 3 }, { recordedAt: future })).expect(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['recordedAt', 'items.pulse']);
    });

    // Admitted on 2019-06-01: its first minute in the clinic's time zone (Asia/Bangkok) is the earliest instant of the stay.
    it.each(['2019-06-01T00:00:00+07:00', '2019-05-31T17:00:00Z', '2019-06-01T06:15:00Z', '2026-03-01T08:00:00.123456Z'])(
      'accepts a past instant within the stay, entered after the fact (%s)',
      async (recordedAt) => {
        const { admissionId } = await admitted('2019-06-01');
        const response = await post(admissionId, painBody(3, { recordedAt })).expect(201);
        expect(response.body.recordedAt).toBe(new Date(recordedAt).toISOString());
      },
    );

    it.each(['2019-05-31T23:59:59+07:00', '2019-05-31T16:59:59.999Z', '1970-01-01T00:00:00Z'])('refuses an instant before the day of admission, naming recordedAt (%s)', async (recordedAt) => {
      const { admissionId } = await admitted('2019-06-01');
      const response = await post(admissionId, painBody(3, { recordedAt })).expect(422);
      expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [expect.objectContaining({ field: 'recordedAt' })] });
    });

    it('accepts observations for a discharged admission (entered after the fact)', async () => {
      const { admissionId } = await admitted();
      await t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = admitted_on WHERE id = $1`, [admissionId]);
      await post(admissionId, painBody(2)).expect(201);
      await post(admissionId, cowsBody(itemsOf(5))).expect(201);
      expect(await observationsOf(admissionId)).toBe(2);
    });

    it('answers 404 for an unknown admission and 400 for a malformed id, writing nothing', async () => {
      const missing = await post(MISSING_ID, painBody(3)).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect(await auditOf(missing)).toEqual([]);
      expect(await observationsOf(MISSING_ID)).toBe(0);
      const malformed = await post('nope', painBody(3)).expect(400);
      expect(malformed.body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
      expect((await list(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await list('nope').expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });
  });

  describe('roles', () => {
    it('nurses and psychiatrists write; aftercare reads but cannot write', async () => {
      const { admissionId, patientId } = await admitted();
      await post(admissionId, painBody(3), nurse).expect(201);
      await post(admissionId, painBody(3), psychiatrist).expect(201);
      const denied = await post(admissionId, painBody(3), aftercare).expect(403);
      expect(await auditOf(denied)).toEqual([
        expect.objectContaining({ actor_id: aftercare.id, action: 'CREATE', resource_id: admissionId, patient_id: patientId, outcome: 'DENIED' }),
      ]);
      for (const who of [nurse, psychiatrist, aftercare]) expect((await list(admissionId, {}, who).expect(200)).body.items).toHaveLength(2);
      expect(await observationsOf(admissionId)).toBe(2);
    });

    it('billing, admissions and admin may neither write nor read; no token is a 401', async () => {
      const { admissionId } = await admitted();
      for (const who of [billing, clerk, admin]) {
        await post(admissionId, painBody(3), who).expect(403);
        await list(admissionId, {}, who).expect(403);
      }
      const anonymous = await t.http.post(`${ADMISSIONS}/${admissionId}/observations`).send(painBody(3)).expect(401);
      expect(await auditOf(anonymous)).toEqual([]);
      await t.http.get(`${ADMISSIONS}/${admissionId}/observations`).expect(401);
      expect(await observationsOf(admissionId)).toBe(0);
    });
  });

  describe('list', () => {
    let admissionId: string;
    let patientId: string;
    /** [type, recordedAt] in the order they were recorded. */
    const recorded: [string, string][] = [
      ['PAIN', '2026-03-01T08:00:00.000Z'],
      ['COWS', '2026-03-01T08:00:00.000Z'],
      ['COWS', '2026-03-01T09:00:00.000Z'],
      ['PAIN', '2026-03-02T08:00:00.000Z'],
      ['COWS', '2026-03-02T08:00:00.000Z'],
      ['COWS', '2026-03-02T08:00:00.000Z'],
      ['PAIN', '2026-02-28T23:59:59.999Z'],
      ['COWS', '2026-03-03T00:00:00.000Z'],
      ['PAIN', '2026-03-01T08:00:00.000Z'],
      ['COWS', '2026-03-01T08:00:00.001Z'],
      ['PAIN', '2026-03-04T12:00:00.000Z'],
      ['COWS', '2026-03-01T07:59:59.999Z'],
    ];
    const ids: string[] = [];

    beforeAll(async () => {
      ({ admissionId, patientId } = await admitted('2026-02-01'));
      for (const [type, recordedAt] of recorded) {
        const body = type === 'COWS' ? cowsBody(itemsOf(12), { recordedAt }) : painBody(5, { recordedAt });
        ids.push((await post(admissionId, body).expect(201)).body.id as string);
      }
      // Another admission's observations never show up.
      const other = await admitted('2026-02-01');
      await post(other.admissionId, painBody(1, { recordedAt: '2026-03-02T08:00:00Z' })).expect(201);
    });

    /** Expected ids: newest recordedAt first, then the later recorded first. */
    const expected = (keep: (type: string, at: string) => boolean = () => true) =>
      recorded
        .map(([type, at], i) => ({ type, at, i }))
        .filter(({ type, at }) => keep(type, at))
        .sort((a, b) => b.at.localeCompare(a.at) || b.i - a.i)
        .map(({ i }) => ids[i]);

    async function all(query: Json, limit: number): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = (await list(admissionId, { ...query, limit, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    }

    it('lists newest first (ties by order of recording), mapped like the created ones, audited as one READ', async () => {
      const response = await list(admissionId).expect(200);
      expect(response.body.items.map((o: { id: string }) => o.id)).toEqual(expected());
      expect(response.body.nextCursor).toBeNull();
      const first = response.body.items.find((o: { id: string }) => o.id === ids[7]);
      expect(first).toEqual({
        id: ids[7], admissionId, patientId, type: 'COWS', recordedAt: '2026-03-03T00:00:00.000Z', score: 12, band: 'MILD',
        items: itemsOf(12), alerts: [], recordedBy: nurse.id, createdAt: expect.any(String),
      });
      expect(await auditOf(response)).toEqual([
        { actor_id: nurse.id, action: 'READ', resource: 'observation', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId, type: null, count: 12 } },
      ]);
    });

    it('filters by type', async () => {
      for (const type of ['COWS', 'PAIN']) {
        const response = await list(admissionId, { type }).expect(200);
        expect(response.body.items.map((o: { id: string }) => o.id)).toEqual(expected((t) => t === type));
        expect((await auditOf(response))[0]!.detail).toEqual({ admissionId, type, count: response.body.items.length });
      }
    });

    it('filters by a time window, from inclusive and to exclusive, in any offset', async () => {
      const window = { from: '2026-03-01T08:00:00Z', to: '2026-03-02T08:00:00Z' };
      const response = await list(admissionId, window).expect(200);
      expect(response.body.items.map((o: { id: string }) => o.id)).toEqual(expected((_, at) => at >= '2026-03-01T08:00:00.000Z' && at < '2026-03-02T08:00:00.000Z'));
      expect(response.body.items).toHaveLength(5);
      const sameInBangkok = await list(admissionId, { from: '2026-03-01T15:00:00+07:00', to: '2026-03-02T15:00:00+07:00' }).expect(200);
      expect(sameInBangkok.body.items).toEqual(response.body.items);
      const cows = await list(admissionId, { ...window, type: 'COWS' }).expect(200);
      expect(cows.body.items.map((o: { id: string }) => o.id)).toEqual(expected((type, at) => type === 'COWS' && at >= '2026-03-01T08:00:00.000Z' && at < '2026-03-02T08:00:00.000Z'));
      const onlyFrom = await list(admissionId, { from: '2026-03-03T00:00:00Z' }).expect(200);
      expect(onlyFrom.body.items.map((o: { id: string }) => o.id)).toEqual([ids[10], ids[7]]);
      const onlyTo = await list(admissionId, { to: '2026-03-01T08:00:00Z' }).expect(200);
      expect(onlyTo.body.items.map((o: { id: string }) => o.id)).toEqual([ids[11], ids[6]]);
      const empty = await list(admissionId, { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' }).expect(200);
      expect(empty.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([1, 2, 3, 5])('pages through everything with limit %i, without gaps or repeats', async (limit) => {
      expect(await all({}, limit)).toEqual(expected());
      expect(await all({ type: 'COWS' }, limit)).toEqual(expected((type) => type === 'COWS'));
      expect(await all({ from: '2026-03-01T08:00:00Z', to: '2026-03-03T00:00:00Z' }, limit)).toEqual(
        expected((_, at) => at >= '2026-03-01T08:00:00.000Z' && at < '2026-03-03T00:00:00.000Z'),
      );
    });

    it('pages through many observations recorded at the same instant', async () => {
      const { admissionId: crowded } = await admitted('2026-03-01');
      const at = '2026-04-01T08:00:00.000Z';
      const made: string[] = [];
      for (let i = 0; i < 30; i++) {
        const recordedAt = i % 3 === 0 ? '2026-04-01T08:00:00.000400Z' : at; // sub-millisecond digits are dropped
        made.push((await post(crowded, painBody(i % 11, { recordedAt })).expect(201)).body.id as string);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = (await list(crowded, { limit: 7, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      const db = await t.admin.query('SELECT id FROM observations WHERE admission_id = $1 ORDER BY recorded_at DESC, position DESC', [crowded]);
      expect(seen).toEqual(db.rows.map((row) => row.id));
    });

    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['an unknown type', { type: 'CIWA' }, [{ field: 'type', reason: 'must be one of the following values: COWS, PAIN' }]],
      ['a from without a time zone', { from: '2026-03-01T08:00:00' }, [{ field: 'from', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['a to that is a date', { to: '2026-03-01' }, [{ field: 'to', reason: 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z' }]],
      ['a to before from', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, [{ field: 'to', reason: 'must be after from' }]],
      ['an empty window', { from: '2026-03-02T00:00:00Z', to: '2026-03-02T07:00:00+07:00' }, [{ field: 'to', reason: 'must be after from' }]],
      ['a limit over 200', { limit: 201 }, [{ field: 'limit', reason: 'must not be greater than 200' }]],
      ['a limit of 0', { limit: 0 }, [{ field: 'limit', reason: 'must not be less than 1' }]],
      ['a garbage cursor', { cursor: 'abc' }, [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]],
      ['a cursor of another list', { cursor: Buffer.from(JSON.stringify([12])).toString('base64url') }, [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]],
      ['a cursor with a negative part', { cursor: Buffer.from(JSON.stringify([1772352000000, -1])).toString('base64url') }, [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]],
      ['a cursor past the last representable instant', { cursor: Buffer.from(JSON.stringify([9e15, 1])).toString('base64url') }, [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]],
      ['a cursor with text parts', { cursor: Buffer.from(JSON.stringify(['2026-03-01', '1'])).toString('base64url') }, [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]],
      ['an unknown filter', { patientId: MISSING_ID }, [{ field: 'patientId', reason: 'property patientId should not exist' }]],
    ])('refuses %s (400) without auditing a read', async (_, query, details) => {
      const response = await list(admissionId, query).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect(await auditOf(response)).toEqual([]);
    });
  });
});
