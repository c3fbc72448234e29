import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Sequences of taper-order actions that each pass alone but together would stop a patient's
 * opioid abruptly or give a rotation beside the product it replaces (domain.md §7), replayed over
 * HTTP: each now meets its refusal, and the sequence that should pass still passes.
 * The patient takes oxycodone IR 10 mg four times a day (40 mg, 60 MME) from the intake.
 */
const API = '/api/v1';
const TODAY = '2027-01-04';

type Json = Record<string, unknown>;
type Order = Json & { id: string; drug: string; steps: { startsOn: string; dailyDose: number }[]; pauses: { from: string; days: number }[] };

const oxycodone = (startDate: string, changes: Json = {}) => apiExampleOrder({ startDailyDose: 40, startDate, ...changes });
const morphine = (startDate: string, startDailyDose: number, crossTaper: boolean) =>
  apiExampleOrder({ drug: 'morphine', startDailyDose, startDate, replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Oxycodone not tolerated', crossTaper });
const stepsOf = (order: Order) => order.steps.map((s) => [s.startsOn, s.dailyDose]);

describe('sequences of taper-order actions (domain.md §7)', () => {
  let t: TestApp;
  let staff: Record<'admissions' | 'psychiatrist' | 'nurse', Staff>;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.clock.setTo(`${TODAY}T10:00:00+07:00`));

  const admit = async () =>
    (await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true }] }), TODAY)).admissionId;
  const draft = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body);
  const sign = (id: string) => t.http.post(`${API}/taper-orders/${id}/sign`).set(bearer(staff.psychiatrist));
  async function signed(admissionId: string, body: Json): Promise<Order> {
    return (await sign((await draft(admissionId, body).expect(201)).body.id).expect(200)).body;
  }
  const discontinue = (id: string, body: Json) => t.http.post(`${API}/taper-orders/${id}/discontinue`).set(bearer(staff.psychiatrist)).send(body);
  const amend = (id: string, body: Json) => t.http.post(`${API}/taper-orders/${id}/amendments`).set(bearer(staff.psychiatrist)).send(body);
  const activeOxycodone = async (admissionId: string): Promise<Order> =>
    ((await t.http.get(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).expect(200)).body.items as Order[]).find((o) => o.drug === 'oxycodone' && o.status === 'ACTIVE')!;
  const dosesOn = async (admissionId: string, date: string): Promise<string[]> =>
    ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(staff.nurse)).expect(200)).body.items as Json[])
      .filter((i) => i.admissionId === admissionId && i.kind === 'TAPER')
      .map((i) => `${String(i.drug)} ${String(i.dailyDose)}`);

  it('F1a: an order started today is not stopped today (its step has started); from tomorrow the stop is from that step, abrupt without a reason', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, oxycodone(TODAY));
    const today = await discontinue(order.id, { effectiveFrom: TODAY, reason: 'Stop' }).expect(422);
    expect(today.body).toMatchObject({ code: 'STEP_ALREADY_STARTED', details: [{ field: 'effectiveFrom', reason: expect.stringContaining('stop from 2027-01-05 at the earliest') }] });
    expect((await discontinue(order.id, { effectiveFrom: '2027-01-05', reason: 'Stop' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
    const stopped: Order = (await discontinue(order.id, { effectiveFrom: '2027-01-05', reason: 'Stop', lifeThreateningReason: 'Respiratory depression' }).expect(201)).body;
    expect(stepsOf(stopped)).toEqual([[TODAY, 40], ['2027-01-05', 0]]);
    expect(await dosesOn(admissionId, TODAY)).toEqual(['oxycodone 40']);
  });

  it('F1b: an order stopped before its first dose takes nothing the clinic gave: accepted, naming the product left unordered (STOPPED_BEFORE_FIRST_DOSE); a stopped order still blocks a new one of the product', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, oxycodone('2027-01-09'));
    const stopped: Order = (await discontinue(order.id, { effectiveFrom: '2027-01-06', reason: 'Stop' }).expect(201)).body;
    expect(stepsOf(stopped)).toEqual([['2027-01-06', 0]]);
    expect(stopped.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'STOPPED_BEFORE_FIRST_DOSE', message: expect.stringContaining('oxycodone IR (intake), 40 a day, is not ordered from 2027-01-06 on') })]));
    expect(await dosesOn(admissionId, '2027-01-09')).toEqual([]);
    const again = await draft(admissionId, oxycodone('2027-01-10', { startDailyDose: 35 })).expect(201);
    expect((await sign(again.body.id).expect(409)).body.code).toBe('ACTIVE_ORDER_EXISTS');
  });

  it('F1c: a rotation of an intake-only product stopped before its first dose names the product it leaves unordered, a cross-taper too', async () => {
    for (const crossTaper of [false, true]) {
      const admissionId = await admit();
      const rotation = await signed(admissionId, morphine('2027-01-09', 20, crossTaper));
      const stopped: Order = (await discontinue(rotation.id, { effectiveFrom: '2027-01-09', reason: 'Changed plan' }).expect(201)).body;
      expect(stopped.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'STOPPED_BEFORE_FIRST_DOSE', message: expect.stringContaining('oxycodone IR (intake), 40 a day') })]));
    }
  });

  it('F2: a cross-taper stopped before it starts no longer counts as replacing: the replaced order may not then stop abruptly', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, oxycodone(TODAY));
    const rotation = await signed(admissionId, morphine('2027-01-14', 2.5, true));
    // The oxycodone order gives its dose meanwhile: stopping the rotation takes nothing away.
    await discontinue(rotation.id, { effectiveFrom: '2027-01-05', reason: 'Changed plan' }).expect(201);
    expect((await discontinue(order.id, { effectiveFrom: '2027-01-06', reason: 'Stop' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
    expect((await discontinue(order.id, { effectiveFrom: '2027-01-14', reason: 'Stop' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
    expect(await dosesOn(admissionId, '2027-01-06')).toEqual(['oxycodone 40']);
  });

  it('F2 (what passes): a running cross-taper lets the replaced order stop on its first day; the cross-taper then may not be stopped before its first dose', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, oxycodone(TODAY));
    const rotation = await signed(admissionId, morphine('2027-01-14', 2.5, true));
    await discontinue(order.id, { effectiveFrom: '2027-01-13', reason: 'Rotated' }).expect(422);
    await discontinue(order.id, { effectiveFrom: '2027-01-14', reason: 'Rotated' }).expect(201);
    expect((await discontinue(rotation.id, { effectiveFrom: '2027-01-10', reason: 'Changed plan' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
  });

  it('F3: the product a rotation (not a cross-taper) replaces is not ordered beside it: drafted after it, or an older draft signed after it → REPLACED_BY_ROTATION', async () => {
    const admissionId = await admit();
    const older = await draft(admissionId, oxycodone(TODAY, { startDailyDose: 32.5 })).expect(201);
    await signed(admissionId, morphine('2027-01-09', 5, false));
    const refused = await draft(admissionId, oxycodone(TODAY, { startDailyDose: 32.5 })).expect(422);
    expect(refused.body).toMatchObject({ code: 'REPLACED_BY_ROTATION', details: [{ field: 'drug', reason: expect.stringContaining('Amend or stop the rotation first') }] });
    expect((await sign(older.body.id).expect(422)).body.code).toBe('REPLACED_BY_ROTATION');
    expect(await dosesOn(admissionId, '2027-01-10')).toEqual(['morphine 5']);
    // Beside a cross-taper both are given for a while, as ordered.
    const crossed = await admit();
    await signed(crossed, morphine('2027-01-09', 5, true));
    await signed(crossed, oxycodone(TODAY, { startDailyDose: 32.5 }));
  });

  describe('F4–F6: an amendment of the order a rotation stopped keeps that stop on the rotation\'s first day', () => {
    async function rotated(pause?: Json): Promise<{ admissionId: string; replaced: Order }> {
      const admissionId = await admit();
      const order = await signed(admissionId, oxycodone(TODAY));
      if (pause) await amend(order.id, pause).expect(201);
      await signed(admissionId, morphine('2027-01-14', 2.5, false));
      return { admissionId, replaced: await activeOxycodone(admissionId) };
    }

    it('F4: a pause that moves the stop later → REPLACED_BY_ROTATION on pauseDays; F6: a new rate that drops it → on effectiveFrom', async () => {
      const { admissionId, replaced } = await rotated();
      expect(stepsOf(replaced).at(-1)).toEqual(['2027-01-14', 0]);
      const paused = await amend(replaced.id, { effectiveFrom: '2027-01-12', pauseDays: 7, reason: 'COWS 14' }).expect(422);
      expect(paused.body).toMatchObject({ code: 'REPLACED_BY_ROTATION', details: [{ field: 'pauseDays', reason: expect.stringContaining('move the stop to 2027-01-21') }] });
      const slower = await amend(replaced.id, { effectiveFrom: '2027-01-07', reductionPercent: 5, intervalDays: 7, reason: 'Slower' }).expect(422);
      expect(slower.body).toMatchObject({ code: 'REPLACED_BY_ROTATION', details: [{ field: 'effectiveFrom', reason: expect.stringMatching(/move the stop to 2027-09-28, so both would be given meanwhile/) }] });
      expect((await dosesOn(admissionId, '2027-01-14')).sort()).toEqual(['morphine 2.5', 'oxycodone 0']);
      expect(await dosesOn(admissionId, '2027-01-15')).toEqual(['morphine 2.5']);
    });

    it('F5: ending a pause early, which would move the stop before the rotation → REPLACED_BY_ROTATION', async () => {
      const { admissionId, replaced } = await rotated({ effectiveFrom: '2027-01-05', pauseDays: 14, reason: 'COWS 14' });
      expect(stepsOf(replaced)).toEqual([[TODAY, 40], ['2027-01-14', 0]]);
      const ended = await amend(replaced.id, { effectiveFrom: '2027-01-07', endPause: true, reason: 'COWS settled' }).expect(422);
      expect(ended.body).toMatchObject({ code: 'REPLACED_BY_ROTATION', details: [{ field: 'effectiveFrom', reason: expect.stringContaining('leaving days with neither') }] });
      expect(await dosesOn(admissionId, '2027-01-13')).toEqual(['oxycodone 40']);
    });
  });

  it('a rotation withdrawn before its first dose gives the order it stopped its schedule back: no day without oxycodone, nothing given of morphine', async () => {
    const admissionId = await admit();
    const running = await signed(admissionId, oxycodone(TODAY));
    const rotation = await signed(admissionId, morphine('2027-01-11', 40, false));
    expect(stepsOf(await activeOxycodone(admissionId)).at(-1)).toEqual(['2027-01-11', 0]);
    const withdrawn: Order = (await discontinue(rotation.id, { effectiveFrom: '2027-01-11', reason: 'Itching settled; stay on oxycodone' }).expect(201)).body;
    expect(stepsOf(withdrawn)).toEqual([['2027-01-11', 0]]);
    const restored = await activeOxycodone(admissionId);
    expect(stepsOf(restored)).toEqual(stepsOf(running));
    expect(restored).toMatchObject({ discontinued: false, amendmentReason: 'morphine IR withdrawn before its first dose; the order goes on as before: Itching settled; stay on oxycodone' });
    for (const date of ['2027-01-10', '2027-01-12', '2027-01-20']) {
      expect([date, (await dosesOn(admissionId, date)).filter((d) => !d.startsWith('morphine'))]).toEqual([date, [`oxycodone ${running.steps.filter((st) => st.startsOn <= date).at(-1)!.dailyDose}`]]);
    }
  });

  it('one rotation of a product at a time: a second one → 422 REPLACED_BY_ROTATION on replaces; once the first is withdrawn before its first dose, the second is signed', async () => {
    const admissionId = await admit();
    await signed(admissionId, oxycodone(TODAY));
    const first = await signed(admissionId, morphine('2027-01-11', 20, false));
    const hydromorphone = apiExampleOrder({ drug: 'hydromorphone', startDailyDose: 4, unitStrengths: [2], allowHalfTablets: false, startDate: '2027-01-13', replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Second choice', crossTaper: false });
    const refused = await draft(admissionId, hydromorphone).expect(422);
    expect(refused.body).toMatchObject({ code: 'REPLACED_BY_ROTATION', details: [{ field: 'replaces' }] });
    expect(refused.body.message).toContain('morphine IR already replaces oxycodone IR');
    await discontinue(first.id, { effectiveFrom: '2027-01-11', reason: 'Morphine not stocked' }).expect(201);
    await signed(admissionId, hydromorphone);
    expect(stepsOf(await activeOxycodone(admissionId)).at(-1)).toEqual(['2027-01-13', 0]);
    expect((await dosesOn(admissionId, '2027-01-14')).filter((d) => !d.endsWith(' 0'))).toEqual(['hydromorphone 4']);
  });

  it('withdrawn after the intake was corrected to less: the schedule given back is checked as any amendment (422, nothing changed)', async () => {
    const admissionId = await admit();
    await signed(admissionId, oxycodone(TODAY));
    const rotation = await signed(admissionId, morphine('2027-01-11', 40, false));
    const lower = exampleIntakeBody({ opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true }], assessedOn: TODAY });
    await t.http.post(`${API}/admissions/${admissionId}/assessment`).set(bearer(staff.psychiatrist)).send({ ...lower, correctionReason: 'Pharmacy record: 5 mg, not 10' }).expect(201);
    const refused = await discontinue(rotation.id, { effectiveFrom: '2027-01-11', reason: 'Changed plan' }).expect(422);
    expect(refused.body.code).toMatch(/^ABOVE_INTAKE/);
    expect(stepsOf(await activeOxycodone(admissionId)).at(-1)).toEqual(['2027-01-11', 0]);
  });

  it('F8: a pause from before a signed-ahead start moves the schedule and is not kept; one from the first day holds the start dose and is kept', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, oxycodone('2027-01-09'));
    const moved: Order = (await amend(order.id, { effectiveFrom: '2027-01-05', pauseDays: 3, reason: 'Not settled yet' }).expect(201)).body;
    expect(stepsOf(moved)[0]).toEqual(['2027-01-12', 40]);
    expect(moved.pauses).toEqual([]);
    const held: Order = (await amend(moved.id, { effectiveFrom: '2027-01-12', pauseDays: 3, reason: 'COWS 12' }).expect(201)).body;
    expect(held.pauses).toEqual([expect.objectContaining({ from: '2027-01-12', days: 3 })]);
  });
});
