import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Bundle, MedicationRequest } from '@medplum/fhirtypes';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { bearer, createStaff, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { readingBytes } from './support/responses.js';

/**
 * Stopping a taper order (domain.md §7): a new version keeps the steps already started and ends
 * with a step of 0; never abruptly from more than the smallest strength unless life-threatening or
 * a signed rotation already replaces the product. An order whose first dose would come after the
 * discharge is stopped first. The handoff's daily MME follows the rule the orders are checked by:
 * an intake product is taken at its intake dose until its order starts, and 0 once it is stopped.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';

type Json = Record<string, unknown>;
type Step = { step: number; startsOn: string; dailyDose: number; dailyMme: number | null };
type Order = Json & { id: string; orderId: string; version: number; steps: Step[]; warnings: { code: string }[]; endsOn: string; discontinued: boolean };

const intakeLine = (drug: string, formulation: string, dose: number, timesPerDay: number) => ({ drug, formulation, dose, unit: 'mg', timesPerDay, monthsOnTherapy: 6, prescribed: true });
const stepsOf = (order: Order) => order.steps.map((s) => [s.startsOn, s.dailyDose]);

describe('discontinuing a taper order', () => {
  let t: TestApp;
  let staff: Record<'admissions' | 'psychiatrist' | 'nurse' | 'aftercare', Staff>;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => setToday('2027-01-01'));

  function setToday(date: string): void {
    t.clock.setTo(`${date}T10:00:00+07:00`);
  }

  const admit = async (opioids: Json[] = [{ ...EXAMPLE_INTAKE_OPIOID }]) => (await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids }), ADMITTED_ON)).admissionId;
  async function signed(admissionId: string, body: Json): Promise<Order> {
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body).expect(201);
    return (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body;
  }
  const discontinue = (id: string, body: Json) => t.http.post(`${API}/taper-orders/${id}/discontinue`).set(bearer(staff.psychiatrist)).send(body);
  const dosesOn = async (admissionId: string, date: string): Promise<Json[]> =>
    ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(staff.nurse)).expect(200)).body.items as Json[]).filter((i) => i.admissionId === admissionId && i.kind === 'TAPER');
  const discharge = (admissionId: string, dischargedOn: string) =>
    t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare))
      .send({ dischargedOn, outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: dischargedOn } });

  const handoff = (admissionId: string, format?: string) => t.http.get(`${API}/admissions/${admissionId}/handoff`).query(format ? { format } : {}).set(bearer(staff.aftercare));
  const requestsOf = (bundle: string): MedicationRequest[] =>
    ((JSON.parse(bundle) as Bundle).entry ?? []).flatMap((e) => (e.resource?.resourceType === 'MedicationRequest' && e.resource.category?.[0]?.text === 'Opioid taper' ? [e.resource] : []));

  it('keeps the steps started, stops with 0 on the day, and the nurses list nothing after it; abrupt only with a life-threatening reason', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, apiExampleOrder());
    setToday('2027-01-12');
    expect((await discontinue(order.id, { effectiveFrom: '2027-01-11', reason: 'Transfer' }).expect(400)).body.details).toEqual([{ field: 'effectiveFrom', reason: expect.stringContaining('today or later') }]);
    const abrupt = await discontinue(order.id, { effectiveFrom: '2027-01-13', reason: 'Transfer to hospital' }).expect(422);
    expect(abrupt.body).toMatchObject({ code: 'ABRUPT_DISCONTINUATION', details: [{ field: 'effectiveFrom' }] });

    const stopped: Order = (await discontinue(order.id, { effectiveFrom: '2027-01-13', reason: 'Transfer to hospital', lifeThreateningReason: 'Respiratory depression' }).expect(201)).body;
    expect(stopped).toMatchObject({ orderId: order.orderId, version: 2, status: 'ACTIVE', endsOn: '2027-01-13', targetDailyDose: 0 });
    expect(stepsOf(stopped)).toEqual([['2027-01-04', 60], ['2027-01-11', 55], ['2027-01-13', 0]]);
    // The plan's own warnings (INTERVAL_STRETCHED of steps that will not come) go with it.
    expect(stopped.warnings.map((w) => w.code)).toEqual(['ABRUPT_DISCONTINUATION']);
    expect((await dosesOn(admissionId, '2027-01-12')).map((i) => i.dailyDose)).toEqual([55]);
    expect((await dosesOn(admissionId, '2027-01-13')).map((i) => i.dailyDose)).toEqual([0]);
    expect(await dosesOn(admissionId, '2027-01-14')).toEqual([]);

    expect((await discontinue(stopped.id, { effectiveFrom: '2027-01-14', reason: 'Again' }).expect(422)).body.code).toBe('TAPER_ALREADY_STOPPED');
    expect((await discontinue(order.id, { effectiveFrom: '2027-01-14', reason: 'Again' }).expect(409)).body.code).toBe('SUPERSEDED');
    // An unknown order is 404; a malformed id, a missing reason or date 400 naming the field.
    expect((await discontinue('00000000-0000-4000-8000-000000000000', { effectiveFrom: '2027-01-14', reason: 'Stop' }).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await discontinue('nope', { effectiveFrom: '2027-01-14', reason: 'Stop' }).expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    expect((await discontinue(stopped.id, { effectiveFrom: '2027-01-14' }).expect(400)).body.details.map((d: Json) => d.field)).toEqual(['reason']);
    expect((await discontinue(stopped.id, { reason: 'Stop' }).expect(400)).body.details.map((d: Json) => d.field)).toEqual(['effectiveFrom']);
  });

  it('stops without a reason from the smallest strength a day (5 mg), not from just above it (7.5 mg)', async () => {
    const admissionId = await admit([intakeLine('oxycodone', 'IR', 2.5, 3)]);
    const order = await signed(admissionId, apiExampleOrder({ startDailyDose: 7.5 }));
    const atFive = order.steps.find((s) => s.dailyDose === 5)!;
    const onFive = new Date(Date.parse(`${atFive.startsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await discontinue(order.id, { effectiveFrom: atFive.startsOn, reason: 'Stop' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
    const stopped: Order = (await discontinue(order.id, { effectiveFrom: onFive, reason: 'Stop' }).expect(201)).body;
    expect(stepsOf(stopped).at(-1)).toEqual([onFive, 0]);
    expect(stopped.warnings.map((w) => w.code)).not.toContain('ABRUPT_DISCONTINUATION');
  });

  it('a cross-taper rotation signed to start on a day lets the replaced product stop that day without a reason, not the day before', async () => {
    const admissionId = await admit();
    const oxycodone = await signed(admissionId, apiExampleOrder());
    const rotation = apiExampleOrder({
      drug: 'morphine', startDailyDose: 60, unitStrengths: [10], allowHalfTablets: false, startDate: '2027-01-10',
      replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone', crossTaper: true, overrideReason: 'Both for a few days',
    });
    await signed(admissionId, rotation);
    expect((await discontinue(oxycodone.id, { effectiveFrom: '2027-01-09', reason: 'Rotated' }).expect(422)).body.code).toBe('ABRUPT_DISCONTINUATION');
    const stopped: Order = (await discontinue(oxycodone.id, { effectiveFrom: '2027-01-10', reason: 'Rotated to morphine' }).expect(201)).body;
    expect(stepsOf(stopped)).toEqual([['2027-01-04', 60], ['2027-01-10', 0]]);
    expect((await dosesOn(admissionId, '2027-01-11')).map((i) => [i.drug, i.dailyDose])).toEqual([['morphine', 60]]);
  });

  it('a rotation withdrawn before its first dose gives the replaced order its schedule back; once it has given doses, stopping it is judged on its own dose', async () => {
    const admissionId = await admit();
    const oxycodone = await signed(admissionId, apiExampleOrder());
    const rotation = await signed(admissionId, apiExampleOrder({
      drug: 'morphine', startDailyDose: 60, unitStrengths: [10], allowHalfTablets: false, startDate: '2027-01-10',
      replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone',
    }));
    setToday('2027-01-12');
    expect((await discontinue(rotation.id, { effectiveFrom: '2027-01-12', reason: 'Nausea' }).expect(422)).body.message).toContain('Stopping from 60 a day');
    setToday('2027-01-09');
    await discontinue(rotation.id, { effectiveFrom: '2027-01-10', reason: 'Changed our mind' }).expect(201);
    const history = (await t.http.get(`${API}/taper-orders/${oxycodone.id}`).set(bearer(staff.psychiatrist)).expect(200)).body;
    expect(history.versions.map((v: Json) => [v.version, v.status])).toEqual([[1, 'SUPERSEDED'], [2, 'SUPERSEDED'], [3, 'ACTIVE']]);
    expect((await dosesOn(admissionId, '2027-01-12')).map((i) => [i.drug, i.dailyDose])).toEqual([['oxycodone', 55]]);
  });

  it('the handoff says a stopped order was stopped, from when and why, never that it reached its target', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, apiExampleOrder());
    setToday('2027-01-12');
    const stopped: Order = (await discontinue(order.id, { effectiveFrom: '2027-01-13', reason: 'Transfer to hospital', lifeThreateningReason: 'Respiratory depression' }).expect(201)).body;
    expect(stopped.discontinued).toBe(true);
    setToday('2027-01-13');
    await discharge(admissionId, '2027-01-13').expect(201);
    const summary = (await handoff(admissionId).expect(200)).body;
    expect(summary.tapers[0]).toMatchObject({ completed: false, discontinued: { from: '2027-01-13', reason: 'Transfer to hospital' }, atDischarge: { since: '2027-01-13', dailyDose: 0 }, remainingSteps: [] });
    const pdf = extractPdfText((await readingBytes(handoff(admissionId, 'pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
    expect(pdf).toContain('Stopped at once (life-threatening) from 13 Jan 2027: Transfer to hospital');
    expect(pdf).not.toContain('target 0 mg/day reached');
    // The detail gives the stop where a running taper gives its rate, which the stopping version only kept.
    expect(pdf).toContain('60 mg/day from 4 Jan 2027, 0 mg/day at discharge; stopped at once (life-threatening) from 13 Jan 2027: Transfer to hospital.');
    expect(pdf).toContain('2 12 Jan 2027 13 Jan 2027 Stopped from 13 Jan 2027 Transfer to hospital');
    expect(pdf).not.toContain('now 10% every 7 days');
    const request = requestsOf((await handoff(admissionId, 'fhir').expect(200)).text)[0];
    expect(request).toMatchObject({ status: 'stopped', statusReason: { text: 'Transfer to hospital' } });

    // A product replaced by a rotation stops for it: stopped, with the rotation as the reason; the rotation itself is followed to discharge.
    setToday('2027-01-01');
    const rotated = await admit();
    const oxycodone = await signed(rotated, apiExampleOrder());
    await signed(rotated, apiExampleOrder({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10], allowHalfTablets: false, startDate: '2027-01-10', replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' }));
    setToday('2027-01-11');
    await discharge(rotated, '2027-01-11').expect(201);
    const tapers = (await handoff(rotated).expect(200)).body.tapers as Json[];
    expect(tapers.map((taper) => [taper.orderId, taper.completed, taper.discontinued])).toEqual([
      [oxycodone.orderId, false, { from: '2027-01-10', reason: 'Replaced by morphine IR from 2027-01-10 (rotation): Itching on oxycodone' }],
      [expect.any(String), false, null],
    ]);
    const rotatedPdf = extractPdfText((await readingBytes(handoff(rotated, 'pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
    expect(rotatedPdf).toContain('Stopped from 10 Jan 2027: Replaced by morphine IR');
    expect(requestsOf((await handoff(rotated, 'fhir').expect(200)).text).map((r) => r.status)).toEqual(['stopped', 'active']);
  });

  it('a stop ordered from a day after discharge reads as a stop to keep, never as a taper to continue at its pace or slower', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, apiExampleOrder());
    setToday('2027-01-12');
    await discontinue(order.id, { effectiveFrom: '2027-01-14', reason: 'Oversedation', lifeThreateningReason: 'Apnoea observed' }).expect(201);
    await discharge(admissionId, '2027-01-12').expect(201);
    const summary = (await handoff(admissionId).expect(200)).body;
    expect(summary.tapers[0]).toMatchObject({ completed: false, discontinued: { from: '2027-01-14', reason: 'Oversedation' }, remainingSteps: [{ startsOn: '2027-01-14', dailyDose: 0 }] });
    const codes = summary.risks.map((r: Json) => r.code);
    expect(codes).not.toContain('TAPER_CONTINUES');
    expect(summary.risks).toContainEqual({ code: 'TAPER_STOPS', message: 'The oxycodone IR order stops on 2027-01-14, at once (ordered as life-threatening): Oversedation. Keep to that date; do not extend it.' });
    const pdf = extractPdfText((await readingBytes(handoff(admissionId, 'pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
    expect(pdf).toContain('Stops at once (life-threatening) from 14 Jan 2027: Oversedation');
    expect(pdf).toContain('(stops 14 Jan 2027; see above)');
    expect(pdf).not.toContain('at the same pace or slower');
    expect(requestsOf((await handoff(admissionId, 'fhir').expect(200)).text)[0]).toMatchObject({ status: 'active', statusReason: { text: 'Oversedation' } });
  });

  it('a dose already given on the day refuses a stop that day (DOSE_ALREADY_GIVEN); the next day is open', async () => {
    const admissionId = await admit();
    const order = await signed(admissionId, apiExampleOrder());
    setToday('2027-01-05');
    const witness = await createStaff(t, ['nurse']);
    await t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.nurse))
      .send({ orderKind: 'TAPER', orderId: order.orderId, dose: 20, unit: 'mg', givenAt: '2027-01-05T08:00:00+07:00', outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: 'stop-day-dose' }).expect(201);
    const refused = await discontinue(order.id, { effectiveFrom: '2027-01-05', reason: 'Stop', lifeThreateningReason: 'Anaphylaxis' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'DOSE_ALREADY_GIVEN', details: [{ field: 'effectiveFrom' }] });
    await discontinue(order.id, { effectiveFrom: '2027-01-06', reason: 'Stop', lifeThreateningReason: 'Anaphylaxis' }).expect(201);
  });

  it('a discharge before an order’s first dose → 422 ORDER_STARTS_AFTER_DISCHARGE; stopped first, the handoff leaves it out and its product reads as stopped at admission', async () => {
    const admissionId = await admit([intakeLine('oxycodone', 'ER', 20, 2), intakeLine('oxycodone', 'IR', 10, 2)]);
    await signed(admissionId, apiExampleOrder({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20] }));
    const ir = await signed(admissionId, apiExampleOrder({ startDailyDose: 20, startDate: '2027-01-06' }));
    setToday('2027-01-05');
    const refused = await discharge(admissionId, '2027-01-05').expect(422);
    expect(refused.body).toMatchObject({ code: 'ORDER_STARTS_AFTER_DISCHARGE', details: [{ field: 'dischargedOn', reason: expect.stringContaining('2027-01-06') }] });
    // Not started: nothing the clinic gave is taken away; the product it leaves unordered is named.
    const stopped: Order = (await discontinue(ir.id, { effectiveFrom: '2027-01-05', reason: 'Leaves early' }).expect(201)).body;
    expect(stopped.warnings.map((w) => w.code)).toContain('STOPPED_BEFORE_FIRST_DOSE');
    expect(stepsOf(stopped)).toEqual([['2027-01-05', 0]]);
    await discharge(admissionId, '2027-01-05').expect(201);
    const handoff = (await t.http.get(`${API}/admissions/${admissionId}/handoff`).set(bearer(staff.aftercare)).expect(200)).body;
    expect(handoff.tapers.map((taper: Json) => taper.formulation)).toEqual(['ER']);
    // 01-04: ER 40 mg (60) + the IR the patient arrived on (30); none of the IR was ever given, so the taper starts at the ER alone.
    expect(handoff.mme).toMatchObject({ atIntake: 90, atTaperStart: 60, atDischarge: 60, daily: [{ date: '2027-01-04', mme: 90 }, { date: '2027-01-05', mme: 60 }] });
    expect(handoff.intake.opioids[1]).toMatchObject({ orderedDuringStay: false, stoppedAtAdmission: { on: '2027-01-04', orderStoppedBeforeFirstDose: { from: '2027-01-05', reason: 'Leaves early' } } });
  });

  it('the handoff counts a later order from its first step, the intake dose of its product before it, and a rotation in place of what it replaces', async () => {
    const admissionId = await admit([intakeLine('oxycodone', 'ER', 20, 2), intakeLine('oxycodone', 'IR', 10, 2)]);
    await signed(admissionId, apiExampleOrder({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20] }));
    // The IR from 01-06 at 15 mg (a first cut of 25% from the intake's 20 mg).
    await signed(admissionId, apiExampleOrder({ startDailyDose: 15, startDate: '2027-01-06' }));
    setToday('2027-01-07');
    await discharge(admissionId, '2027-01-07').expect(201);
    const { mme } = (await t.http.get(`${API}/admissions/${admissionId}/handoff`).set(bearer(staff.aftercare)).expect(200)).body;
    expect(mme.daily).toEqual([{ date: '2027-01-04', mme: 90 }, { date: '2027-01-05', mme: 90 }, { date: '2027-01-06', mme: 82.5 }, { date: '2027-01-07', mme: 82.5 }]);
    expect(mme).toMatchObject({ atTaperStart: 90, atDischarge: 82.5 });

    const rotated = await admit();
    await signed(rotated, apiExampleOrder({ drug: 'morphine', startDailyDose: 60, unitStrengths: [10], allowHalfTablets: false, startDate: '2027-01-06', replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'Itching on oxycodone' }));
    await discharge(rotated, '2027-01-07').expect(201);
    const handoff = (await t.http.get(`${API}/admissions/${rotated}/handoff`).set(bearer(staff.aftercare)).expect(200)).body;
    // Oxycodone IR at its intake 90 MME until the morphine replaces it at 60.
    expect(handoff.mme.daily.map((d: Json) => d.mme)).toEqual([90, 90, 60, 60]);
  });
});
