import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/clinical/calendar-dates.js';
import { admitPatient } from './support/intake.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Taper orders checked against the patient, not one at a time (domain.md §7): each scenario was
 * found by trying the service as a psychiatrist and a nurse would, and each record was valid on
 * its own. The patient's intake is oxycodone IR 60 mg a day (90 MME) unless a test says otherwise.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';

type Json = Record<string, unknown>;
type Step = { step: number; startsOn: string; dailyDose: number; dailyMme: number | null };
type Order = Json & { id: string; orderId: string; steps: Step[]; pauses: { from: string; days: number }[]; warnings: { code: string }[]; endsOn: string };

const oxycodoneIR = apiExampleOrder;
const codes = (warnings: { code: string }[]): string[] => warnings.map((w) => w.code);
const intakeLine = (drug: string, formulation: string, dose: number, timesPerDay: number) => ({ drug, formulation, dose, unit: 'mg', timesPerDay, monthsOnTherapy: 6, prescribed: true });

describe('taper orders against the patient’s regimen', () => {
  let t: TestApp;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions: clerk, psychiatrist, nurse } = await staffForEveryRole(t));
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => setToday('2027-01-01'));

  function setToday(date: string): void {
    t.clock.setTo(`${date}T10:00:00+07:00`);
  }

  const admit = async (opioids: Json[] = [{ ...EXAMPLE_INTAKE_OPIOID }]) => (await admitPatient(t, clerk, exampleIntakeBody({ opioids }), ADMITTED_ON)).admissionId;
  const create = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(body);
  const sign = (id: string) => t.http.post(`${API}/taper-orders/${id}/sign`).set(bearer(psychiatrist));
  const amend = (id: string, body: Json) => t.http.post(`${API}/taper-orders/${id}/amendments`).set(bearer(psychiatrist)).send(body);
  async function signed(admissionId: string, body: Json): Promise<Order> {
    const draft = await create(admissionId, body).expect(201);
    return (await sign(draft.body.id).expect(200)).body;
  }
  const dosesOn = async (admissionId: string, date: string): Promise<Json[]> =>
    ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(nurse)).expect(200)).body.items as Json[]).filter((i) => i.admissionId === admissionId);

  describe('the product must be the patient’s, at no more than the intake dose', () => {
    it('morphine 200 mg a day for a patient on oxycodone IR → 422 NOT_IN_INTAKE_REGIMEN; as a rotation of the oxycodone, still refused above its 90 MME', async () => {
      const admissionId = await admit();
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 200, unitStrengths: [10, 30] });
      expect((await create(admissionId, morphine).expect(422)).body).toMatchObject({ code: 'NOT_IN_INTAKE_REGIMEN', details: [{ field: 'drug' }] });
      const rotation = { ...morphine, replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' };
      expect((await create(admissionId, rotation).expect(422)).body).toMatchObject({ code: 'ROTATION_ABOVE_INTAKE_MME', details: [{ field: 'startDailyDose' }] });
      // At its intake MME a rotation is accepted, with the cross-tolerance warning, and the nurses see only the morphine.
      const accepted = await signed(admissionId, { ...rotation, startDailyDose: 90 });
      expect(codes(accepted.warnings)).toContain('ROTATION_CROSS_TOLERANCE');
      expect(accepted).toMatchObject({ replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' });
      expect((await dosesOn(admissionId, ADMITTED_ON)).map((i) => [i.drug, i.dailyDose, i.dailyMme])).toEqual([['morphine', 90, 90]]);
    });

    it('a rotation without its reason, or naming a product the patient never took → 422 NOT_IN_INTAKE_REGIMEN on that field', async () => {
      const admissionId = await admit();
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10, 30] });
      const noReason = await create(admissionId, { ...morphine, replaces: { drug: 'oxycodone', formulation: 'IR' } }).expect(422);
      expect(noReason.body).toMatchObject({ code: 'NOT_IN_INTAKE_REGIMEN', details: [{ field: 'rotationReason' }] });
      const notTaken = await create(admissionId, { ...morphine, replaces: { drug: 'oxycodone', formulation: 'ER' }, rotationReason: 'Nausea' }).expect(422);
      expect(notTaken.body).toMatchObject({ code: 'NOT_IN_INTAKE_REGIMEN', details: [{ field: 'replaces' }] });
      expect((await create(admissionId, { ...morphine, rotationReason: 'Nausea' }).expect(400)).body.details).toEqual([{ field: 'replaces', reason: expect.any(String) }]);
    });

    it('an oxycodone start of 120 mg, double the intake → 422 ABOVE_INTAKE_DOSE; with an override reason it is kept, flagged', async () => {
      const admissionId = await admit();
      const double = oxycodoneIR({ startDailyDose: 120 });
      expect((await create(admissionId, double).expect(422)).body).toMatchObject({ code: 'ABOVE_INTAKE_DOSE', details: [{ field: 'startDailyDose' }] });
      const reason = 'The intake under-recorded the evening doses';
      const accepted = await create(admissionId, { ...double, overrideReason: reason }).expect(201);
      expect(codes(accepted.body.warnings)).toEqual(expect.arrayContaining(['ABOVE_INTAKE_DOSE', 'ABOVE_INTAKE_MME']));
      expect(accepted.body.overrideReason).toBe(reason);
    });

    it('a start at the intake dose is accepted; just above it (62.5 mg) is not', async () => {
      const admissionId = await admit();
      expect((await create(admissionId, oxycodoneIR()).expect(201)).body.warnings.map((w: Json) => w.code)).not.toContain('ABOVE_INTAKE_DOSE');
      expect((await create(admissionId, oxycodoneIR({ startDailyDose: 62.5 })).expect(422)).body.code).toBe('ABOVE_INTAKE_DOSE');
    });

    it('a start below the intake is a first cut from it: 45 mg (25%) passes, 42.5 mg (29%) is a large single cut', async () => {
      const admissionId = await admit();
      await create(admissionId, oxycodoneIR({ startDailyDose: 45 })).expect(201);
      const cut = await create(admissionId, oxycodoneIR({ startDailyDose: 42.5 })).expect(422);
      expect(cut.body).toMatchObject({ code: 'LARGE_SINGLE_CUT', details: [{ field: 'startDailyDose' }] });
    });

    it('a start 30 days before the admission → 422 START_BEFORE_ADMISSION; the admission day itself is fine', async () => {
      const admissionId = await admit();
      const early = await create(admissionId, oxycodoneIR({ startDate: addDays(ADMITTED_ON, -30) })).expect(422);
      expect(early.body).toMatchObject({ code: 'START_BEFORE_ADMISSION', details: [{ field: 'startDate' }] });
      await create(admissionId, oxycodoneIR({ startDate: ADMITTED_ON })).expect(201);
    });
  });

  describe('one active order per product', () => {
    it('oxycodone ER and oxycodone IR of one patient are tapered side by side; a second active IR order → 409', async () => {
      const admissionId = await admit([intakeLine('oxycodone', 'ER', 20, 2), intakeLine('oxycodone', 'IR', 10, 2)]);
      const er = await signed(admissionId, oxycodoneIR({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20] }));
      const ir = await signed(admissionId, oxycodoneIR({ startDailyDose: 20 }));
      expect([er.status, ir.status]).toEqual(['ACTIVE', 'ACTIVE']);
      const list = await dosesOn(admissionId, ADMITTED_ON);
      expect(list.map((i) => [i.drug, i.formulation, i.dailyDose])).toEqual(expect.arrayContaining([['oxycodone', 'ER', 40], ['oxycodone', 'IR', 20]]));
      const again = await create(admissionId, oxycodoneIR({ startDailyDose: 20, reductionPercent: 5 })).expect(201);
      expect((await sign(again.body.id).expect(409)).body.code).toBe('ACTIVE_ORDER_EXISTS');
    });
  });

  describe('the total MME in force, every day of the schedule', () => {
    it('a cross-taper that would raise the total above the intake → 422 ABOVE_INTAKE_MME', async () => {
      const admissionId = await admit();
      await signed(admissionId, oxycodoneIR());
      // The oxycodone taper runs on while morphine starts: both are taken, 90 + 60 MME on the first day.
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10, 30], replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Cross-taper to morphine', crossTaper: true });
      const refused = await create(admissionId, morphine).expect(422);
      expect(refused.body).toMatchObject({ code: 'ABOVE_INTAKE_MME', details: [{ field: 'startDailyDose' }] });
      expect(refused.body.message).toContain('above the intake total of 90 MME/day');
    });

    it('a rotation that is not a cross-taper stops the replaced order on its first day when signed: no override, one opioid on the nurses’ list', async () => {
      const admissionId = await admit();
      const oxycodone = await signed(admissionId, oxycodoneIR());
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10, 30], startDate: '2027-01-11', replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' });
      const rotation = await signed(admissionId, morphine);
      expect(rotation).toMatchObject({ crossTaper: false, overrideReason: null });
      expect(codes(rotation.warnings)).not.toContain('ABOVE_INTAKE_MME');
      const history = (await t.http.get(`${API}/taper-orders/${oxycodone.id}`).set(bearer(psychiatrist)).expect(200)).body;
      expect(history.versions.map((v: Json) => [v.version, v.status])).toEqual([[1, 'SUPERSEDED'], [2, 'ACTIVE']]);
      const stopped = (await t.http.get(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).expect(200)).body.items.find((o: Order) => o.orderId === oxycodone.orderId) as Order;
      expect(stopped.steps.map((s) => [s.startsOn, s.dailyDose])).toEqual([['2027-01-04', 60], ['2027-01-11', 0]]);
      expect(stopped.amendmentReason).toBe('Replaced by morphine IR from 2027-01-11 (rotation): Itching on oxycodone');
      expect((await dosesOn(admissionId, '2027-01-10')).map((i) => [i.drug, i.dailyDose])).toEqual([['oxycodone', 60]]);
      expect((await dosesOn(admissionId, '2027-01-12')).map((i) => [i.drug, i.dailyDose])).toEqual([['morphine', 60]]);
      // Stopping the replaced order from a day already past would rewrite steps already started.
      const late = await admit();
      await signed(late, oxycodoneIR());
      setToday('2027-01-12');
      const backDated = await create(late, { ...morphine, startDate: '2027-01-11' }).expect(201);
      const refusedLate = await sign(backDated.body.id).expect(422);
      expect(refusedLate.body).toMatchObject({ code: 'ROTATION_START_IN_PAST', details: [{ field: 'startDate' }] });
      const fromToday = await create(late, { ...morphine, startDate: '2027-01-12' }).expect(201);
      await sign(fromToday.body.id).expect(200);
      // crossTaper is a rotation's alone.
      const notRotation = await create(admissionId, oxycodoneIR({ crossTaper: true })).expect(400);
      expect(notRotation.body.details).toEqual([{ field: 'crossTaper', reason: expect.any(String) }]);
    });

    it('a draft that passed becomes refused at signing once another order is in force', async () => {
      const admissionId = await admit();
      // Alone, a rotation to morphine stands in for the oxycodone: 60 MME, within the intake's 90.
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10, 30], replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Cross-taper to morphine', crossTaper: true });
      const draft = await create(admissionId, morphine).expect(201);
      // Then an oxycodone taper is signed: both would be taken, 90 + 60 MME.
      await signed(admissionId, oxycodoneIR());
      const refused = await sign(draft.body.id).expect(422);
      expect(refused.body.code).toBe('ABOVE_INTAKE_MME');
      expect((await t.http.get(`${API}/taper-orders/${draft.body.id}`).set(bearer(psychiatrist)).expect(200)).body.status).toBe('DRAFT');
    });
  });

  describe('pauses that hold', () => {
    it('a 14-day pause, then the same day a slower rate: the pause stays, no step starts inside it, and the nurses’ list agrees with the schedule every day', async () => {
      const admissionId = await admit();
      const v1 = await signed(admissionId, oxycodoneIR());
      setToday('2027-01-20');
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-20', pauseDays: 14, reason: 'COWS 14 on two days' }).expect(201)).body as Order;
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-01-20', reductionPercent: 5, reason: 'Slower from here' }).expect(201)).body as Order;
      expect(v3.pauses).toEqual([{ from: '2027-01-20', days: 14, reason: 'COWS 14 on two days' }]);
      const inPause = v3.steps.filter((s) => s.startsOn >= '2027-01-20' && s.startsOn < '2027-02-03');
      expect(inPause).toEqual([]);
      expect(v3.steps.find((s) => s.startsOn >= '2027-01-20')).toMatchObject({ startsOn: '2027-02-03' });

      for (let date = ADMITTED_ON; date <= addDays(v3.endsOn, 1); date = addDays(date, 1)) {
        const expected = dayOf(v3, date);
        const listed = (await dosesOn(admissionId, date)).map((i) => ({ dailyDose: i.dailyDose, stepStartedOn: i.stepStartedOn, paused: i.paused, version: i.version }));
        expect([date, listed]).toEqual([date, expected ? [{ ...expected, version: 3 }] : []]);
      }
    });

    it('a pause from the first step’s own day, signed ahead of it, holds the start dose from the signed start: never a day without a dose', async () => {
      const admissionId = await admit();
      const v1 = await signed(admissionId, oxycodoneIR());
      expect(v1.steps[0]).toMatchObject({ startsOn: ADMITTED_ON, dailyDose: 60 });
      const v2 = (await amend(v1.id, { effectiveFrom: ADMITTED_ON, pauseDays: 7, reason: 'Hold the start dose a week before the first cut' }).expect(201)).body as Order;
      expect(v2).toMatchObject({ startDate: ADMITTED_ON, pauses: [{ from: ADMITTED_ON, days: 7 }] });
      expect(v2.steps[0]).toMatchObject({ startsOn: ADMITTED_ON, dailyDose: 60 });
      expect(v2.steps[1].startsOn).toBe(addDays(v1.steps[1].startsOn, 7));
      // A slower rate from before the start, later: the held start stays, and the nurses' list with it.
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-01-02', reductionPercent: 5, reason: 'Slower from the start' }).expect(201)).body as Order;
      expect(v3).toMatchObject({ startDate: ADMITTED_ON, pauses: [{ from: ADMITTED_ON, days: 7 }] });
      expect(v3.steps[0]).toMatchObject({ startsOn: ADMITTED_ON, dailyDose: 60 });
      for (let date = ADMITTED_ON; date < v3.steps[1].startsOn; date = addDays(date, 1)) {
        const listed = (await dosesOn(admissionId, date)).map((i) => ({ dailyDose: i.dailyDose, paused: i.paused }));
        expect([date, listed]).toEqual([date, [{ dailyDose: 60, paused: date !== ADMITTED_ON && date < addDays(ADMITTED_ON, 7) }]]);
      }
    });

    it('a pause from the day before a signed-ahead start, running past it, holds the start dose from the start for the days it covers', async () => {
      const admissionId = await admit();
      const v1 = await signed(admissionId, oxycodoneIR());
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-03', pauseDays: 3, reason: 'Settle in first' }).expect(201)).body as Order;
      expect(v2).toMatchObject({ startDate: ADMITTED_ON, pauses: [{ from: ADMITTED_ON, days: 2 }] });
      expect(v2.steps[1].startsOn).toBe(addDays(v1.steps[1].startsOn, 2));
      for (const date of [ADMITTED_ON, '2027-01-05', '2027-01-06']) {
        expect([date, (await dosesOn(admissionId, date)).map((i) => i.dailyDose)]).toEqual([date, [60]]);
      }
    });

    it('a pause that would start a rotation after the replaced order stops → 422 ABRUPT_DISCONTINUATION on pauseDays; from the rotation’s first day it holds the new product’s start dose', async () => {
      const admissionId = await admit();
      await signed(admissionId, oxycodoneIR());
      const morphine = oxycodoneIR({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10, 30], startDate: '2027-01-11', replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' });
      const rotation = await signed(admissionId, morphine);
      setToday('2027-01-05');
      const moved = await amend(rotation.id, { effectiveFrom: '2027-01-06', pauseDays: 3, reason: 'Wait for the itching to settle' }).expect(422);
      expect(moved.body).toMatchObject({ code: 'ABRUPT_DISCONTINUATION', details: [{ field: 'pauseDays' }] });
      expect(moved.body.message).toContain('neither from 2027-01-11');
      const held = (await amend(rotation.id, { effectiveFrom: '2027-01-11', pauseDays: 10, reason: 'Wait for the itching to settle' }).expect(201)).body as Order;
      expect(held.steps[0]).toMatchObject({ startsOn: '2027-01-11', dailyDose: 60 });
      for (const date of ['2027-01-10', '2027-01-11', '2027-01-15', '2027-01-20']) {
        const listed = (await dosesOn(admissionId, date)).filter((i) => i.dailyDose !== 0).map((i) => [i.drug, i.dailyDose]);
        expect([date, listed]).toEqual([date, [[date < '2027-01-11' ? 'oxycodone' : 'morphine', 60]]]);
      }
    });

    it('endPause ends the pause in force early, with its reason; without a pause in force it is refused', async () => {
      const admissionId = await admit();
      const v1 = await signed(admissionId, oxycodoneIR());
      setToday('2027-01-20');
      const v2 = (await amend(v1.id, { effectiveFrom: '2027-01-20', pauseDays: 14, reason: 'Flu' }).expect(201)).body as Order;
      setToday('2027-01-25');
      const v3 = (await amend(v2.id, { effectiveFrom: '2027-01-25', endPause: true, reason: 'Recovered from the flu' }).expect(201)).body as Order;
      expect(v3.pauses).toEqual([{ from: '2027-01-20', days: 5, reason: 'Flu' }]);
      const refused = await amend(v3.id, { effectiveFrom: '2027-01-26', endPause: true, reason: 'Again' }).expect(422);
      expect(refused.body.code).toBe('NO_PAUSE_IN_FORCE');
    });
  });

  describe('cautions that travel with the order', () => {
    it('methadone always carries METHADONE_CAUTION; buprenorphine is tapered with steps without MME', async () => {
      const admissionId = await admit([intakeLine('methadone', 'IR', 10, 3), { ...intakeLine('buprenorphine', 'IR', 8, 1) }]);
      const methadone = await create(admissionId, oxycodoneIR({ drug: 'methadone', startDailyDose: 30, unitStrengths: [5, 10] })).expect(201);
      expect(codes(methadone.body.warnings)).toContain('METHADONE_CAUTION');
      const buprenorphine = await signed(admissionId, oxycodoneIR({ drug: 'buprenorphine', startDailyDose: 8, unitStrengths: [2, 8], allowHalfTablets: false, intervalDays: 14 }));
      expect(buprenorphine.steps.every((s) => s.dailyMme === null)).toBe(true);
      expect(codes(buprenorphine.warnings)).toContain('MME_NOT_APPLICABLE');
      expect((await dosesOn(admissionId, ADMITTED_ON)).map((i) => [i.drug, i.dailyDose, i.dailyMme])).toEqual([['buprenorphine', 8, null]]);
    });

    it('a patient on opioids for a year or more: the 10%-a-week pattern is accepted with FASTER_THAN_LONG_TERM_GUIDANCE', async () => {
      const admissionId = await admit([{ ...EXAMPLE_INTAKE_OPIOID, monthsOnTherapy: 12 }]);
      const order = await create(admissionId, oxycodoneIR()).expect(201);
      expect(codes(order.body.warnings)).toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
      const monthly = await create(admissionId, oxycodoneIR({ reductionPercent: 10, intervalDays: 28 })).expect(201);
      expect(codes(monthly.body.warnings)).not.toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
    });
  });
});

/** What the nurses' list must show on `date` for a version: the last step started; paused inside a pause, never on a step day. */
function dayOf(order: Order, date: string): { dailyDose: number; stepStartedOn: string; paused: boolean } | null {
  const step = order.steps.filter((s) => s.startsOn <= date).at(-1);
  if (!step || (step.dailyDose === 0 && step.startsOn < date)) return null;
  const inPause = order.pauses.some((p) => date >= p.from && date < addDays(p.from, p.days));
  return { dailyDose: step.dailyDose, stepStartedOn: step.startsOn, paused: inPause && step.startsOn !== date };
}
