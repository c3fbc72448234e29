import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { admitPatient } from './support/intake.js';
import { burst, dbRows, statusTally } from './support/races.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, createStaff, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The medication administration record (domain.md §8a), each refusal at its boundary: the dose
 * that just fits a day and the one just over, the as-needed dose one minute before and at its
 * interval, a COWS just below and at the threshold, a witness who is the giver. The patient takes
 * oxycodone IR 60 mg a day at intake; the example order keeps 60 mg until 2027-01-10 and gives
 * 55 mg a day from 2027-01-11. The clinic's time zone is Asia/Bangkok (+07:00).
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';

type Json = Record<string, unknown>;
type Entry = Json & { id: string; dose: number; outcome: string; voided: boolean; warnings: { code: string }[] };

const at = (local: string) => `${local}+07:00`;
const ZERO_COWS = { pulse: 0, sweating: 0, restlessness: 0, pupils: 0, boneJointAches: 0, runnyNoseTearing: 0, giUpset: 0, tremor: 0, yawning: 0, anxietyIrritability: 0, gooseflesh: 0 };
const COWS_7 = { ...ZERO_COWS, pulse: 4, restlessness: 3 };
const COWS_8 = { ...COWS_7, anxietyIrritability: 1 };

describe('medication administration record', () => {
  let t: TestApp;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let witness: Staff;
  let admin: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions: clerk, psychiatrist, nurse, admin } = await staffForEveryRole(t));
    witness = await createStaff(t, ['nurse']);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => setNow('2027-01-13T20:00:00'));

  function setNow(local: string): void {
    t.clock.setTo(at(local));
  }

  const admit = async () => admitPatient(t, clerk, exampleIntakeBody(), ADMITTED_ON);
  async function taperOrder(admissionId: string, changes: Json = {}): Promise<{ id: string; orderId: string }> {
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder(changes)).expect(201);
    return (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200)).body;
  }
  const give = (admissionId: string, body: Json, as: Staff = nurse) =>
    t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(as)).send({ idempotencyKey: randomUUID(), ...body });
  const taperDose = (orderId: string, givenAt: string, dose: number, extra: Json = {}) => ({ orderKind: 'TAPER', orderId, dose, unit: 'mg', givenAt: at(givenAt), outcome: 'GIVEN', witnessId: witness.id, ...extra });
  const painDoseLocal = (orderId: string, givenAt: string, dose: number) => ({ orderKind: 'PAIN_PLAN', orderId, dose, unit: 'mg', givenAt: at(givenAt), outcome: 'GIVEN' });
  const refusal = (response: { body: Json }) => [response.body.code, (response.body.details as { field: string }[] | undefined)?.map((d) => d.field)];

  describe('taper doses: the day’s total within the schedule in force', () => {
    let admissionId: string;
    let orderId: string;

    beforeAll(async () => {
      ({ admissionId } = await admit());
      ({ orderId } = await taperOrder(admissionId));
    });

    it('55 mg scheduled on 2027-01-11: 20 + 20 + 15 fit exactly, 2.5 mg (half a 5 mg tablet) more → 422 ABOVE_SCHEDULED_DOSE naming dose', async () => {
      for (const [time, dose] of [['2027-01-11T08:00:00', 20], ['2027-01-11T14:00:00', 20], ['2027-01-11T20:00:00', 15]] as const) {
        const entry = (await give(admissionId, taperDose(orderId, time, dose)).expect(201)).body as Entry;
        expect(entry).toMatchObject({ orderKind: 'TAPER', orderId, drug: 'oxycodone', formulation: 'IR', dose, unit: 'mg', givenOn: '2027-01-11', outcome: 'GIVEN', witnessId: witness.id, givenBy: nurse.id, voided: false });
      }
      const over = await give(admissionId, taperDose(orderId, '2027-01-11T21:00:00', 2.5)).expect(422);
      expect(refusal(over)).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      expect(over.body.message).toBe('2027-01-11: 55 of the 55 mg scheduled is already given; at most 0 mg more.');
    });

    it('the clinic’s calendar decides the day: 23:59 local counts toward 2027-01-09 (60 mg), 00:00 local toward 2027-01-10', async () => {
      await give(admissionId, taperDose(orderId, '2027-01-09T08:00:00', 30)).expect(201);
      // 2027-01-09T16:59Z is 23:59 in Bangkok: the 9th, with 30 mg left of 60.
      expect((await give(admissionId, { ...taperDose(orderId, '2027-01-09T00:00:00', 30), givenAt: '2027-01-09T16:59:00Z' }).expect(201)).body.givenOn).toBe('2027-01-09');
      expect(refusal(await give(admissionId, { ...taperDose(orderId, '2027-01-09T00:00:00', 2.5), givenAt: '2027-01-09T16:59:30Z' }).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      // One minute later it is the 10th in Bangkok: a fresh 60 mg.
      expect((await give(admissionId, { ...taperDose(orderId, '2027-01-10T00:00:00', 60), givenAt: '2027-01-09T17:00:00Z' }).expect(201)).body.givenOn).toBe('2027-01-10');
    });

    it('held, refused and omitted doses count toward nothing, and each needs its reason (400 naming reason)', async () => {
      const day = '2027-01-12';
      const noReason = await give(admissionId, taperDose(orderId, `${day}T08:00:00`, 55, { outcome: 'HELD', witnessId: undefined })).expect(400);
      expect(noReason.body.details).toEqual([{ field: 'reason', reason: 'is required' }]);
      for (const outcome of ['HELD', 'REFUSED', 'OMITTED']) {
        const entry = await give(admissionId, taperDose(orderId, `${day}T08:00:00`, 55, { outcome, reason: 'Drowsy; RR 10.', witnessId: undefined })).expect(201);
        expect(entry.body).toMatchObject({ outcome, reason: 'Drowsy; RR 10.', witnessId: null });
      }
      await give(admissionId, taperDose(orderId, `${day}T09:00:00`, 55)).expect(201);
      // A dose not given is still a dose that was due: never more than the day's 55 mg.
      const never = await give(admissionId, taperDose(orderId, `${day}T10:00:00`, 57.5, { outcome: 'HELD', reason: 'Drowsy.', witnessId: undefined })).expect(422);
      expect(refusal(never)).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
    });

    it('a dose the order’s 5 and 10 mg tablets (halves allowed) cannot make → 422 DOSE_NOT_ACHIEVABLE naming dose, given or held; 2.5 and 7.5 mg are made', async () => {
      const day = '2027-01-13';
      for (const dose of [3.7, 0.001, 2.4, 7.501]) {
        const refused = await give(admissionId, taperDose(orderId, `${day}T08:00:00`, dose)).expect(422);
        expect(refusal(refused)).toEqual(['DOSE_NOT_ACHIEVABLE', ['dose']]);
      }
      const held = await give(admissionId, taperDose(orderId, `${day}T08:00:00`, 3.7, { outcome: 'HELD', reason: 'Asleep.', witnessId: undefined })).expect(422);
      expect(held.body.message).toBe('3.7 mg cannot be given from 5, 10 mg (halves allowed): a dose is a whole multiple of 2.5 mg.');
      await give(admissionId, taperDose(orderId, `${day}T08:00:00`, 2.5)).expect(201);
      await give(admissionId, taperDose(orderId, `${day}T14:00:00`, 7.5)).expect(201);
    });

    it('an amendment taking effect today may not give less today than was already given today (422 DOSE_ALREADY_GIVEN naming effectiveFrom); at the dose given, or from tomorrow, it is accepted', async () => {
      setNow('2027-01-17T12:00:00');
      const faster = { effectiveFrom: '2027-01-17', intervalDays: 6, reason: 'Faster, at the patient’s request.', overrideReason: 'Patient request.' };
      const amend = (versionId: string, body: Json) => t.http.post(`${API}/taper-orders/${versionId}/amendments`).set(bearer(psychiatrist)).send(body);
      const dayOf = async (stay: string) => ((await t.http.get(`${API}/taper-doses`).query({ date: '2027-01-17' }).set(bearer(nurse)).expect(200)).body.items as Json[]).find((i) => i.admissionId === stay && i.kind === 'TAPER');
      // 55 mg given this morning; the faster schedule would give 50 mg today.
      const first = await admit();
      const order = await taperOrder(first.admissionId);
      await give(first.admissionId, taperDose(order.orderId, '2027-01-17T08:00:00', 55)).expect(201);
      const refused = await amend(order.id, faster).expect(422);
      expect(refusal(refused)).toEqual(['DOSE_ALREADY_GIVEN', ['effectiveFrom']]);
      expect(refused.body.message).toBe('The administration record already holds 55 mg of this taper on 2027-01-17; the amended schedule gives 50 mg that day. Make the amendment effective from 2027-01-18.');
      expect(await dayOf(first.admissionId)).toMatchObject({ version: 1, dailyDose: 55, givenSoFar: 55, remaining: 0 });
      await amend(order.id, { ...faster, effectiveFrom: '2027-01-18' }).expect(201);
      // 50 mg given: today's new dose is just met.
      const second = await admit();
      const other = await taperOrder(second.admissionId);
      await give(second.admissionId, taperDose(other.orderId, '2027-01-17T08:00:00', 50)).expect(201);
      await amend(other.id, faster).expect(201);
      expect(await dayOf(second.admissionId)).toMatchObject({ version: 2, dailyDose: 50, givenSoFar: 50, remaining: 0 });
    });

    it('an order not in force that day → 422 ORDER_NOT_IN_FORCE: before its start, a draft, a superseded version; an unknown order → 404', async () => {
      const other = await admit();
      const order = await taperOrder(other.admissionId, { startDate: '2027-01-06' });
      expect(refusal(await give(other.admissionId, taperDose(order.orderId, '2027-01-05T08:00:00', 10)).expect(422))).toEqual(['ORDER_NOT_IN_FORCE', ['orderId']]);
      await give(other.admissionId, taperDose(order.orderId, '2027-01-06T08:00:00', 10)).expect(201);
      const draft = await t.http.post(`${API}/admissions/${other.admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder({ startDate: '2027-01-06', reductionPercent: 5 })).expect(201);
      expect(refusal(await give(other.admissionId, taperDose(draft.body.id, '2027-01-07T08:00:00', 10)).expect(422))).toEqual(['ORDER_NOT_IN_FORCE', ['orderId']]);
      // After an amendment the order is still given by its orderId; the superseded version's own id is not.
      setNow('2027-01-07T20:00:00');
      const amended = await t.http.post(`${API}/taper-orders/${order.id}/amendments`).set(bearer(psychiatrist)).send({ effectiveFrom: '2027-01-08', pauseDays: 7, reason: 'COWS 14.' }).expect(201);
      const second = await t.http.post(`${API}/taper-orders/${amended.body.id}/amendments`).set(bearer(psychiatrist)).send({ effectiveFrom: '2027-01-09', pauseDays: 9, reason: 'Longer.' }).expect(201);
      setNow('2027-01-09T20:00:00');
      const viaOrder = await give(other.admissionId, taperDose(order.orderId, '2027-01-09T08:00:00', 10)).expect(201);
      expect(viaOrder.body).toMatchObject({ orderId: order.orderId, versionId: second.body.id });
      expect(refusal(await give(other.admissionId, taperDose(amended.body.id, '2027-01-09T09:00:00', 10)).expect(422))).toEqual(['ORDER_NOT_IN_FORCE', ['orderId']]);
      await give(other.admissionId, taperDose(second.body.id, '2027-01-09T10:00:00', 10)).expect(201);
      // Listed by the order's id or any of its versions' ids alike.
      const listed = async (id: string) => (await t.http.get(`${API}/admissions/${other.admissionId}/administrations`).query({ orderId: id }).set(bearer(nurse)).expect(200)).body.items.map((i: Json) => i.givenAt);
      expect(await listed(order.orderId)).toHaveLength(3);
      for (const version of [second.body.id, amended.body.id]) expect(await listed(version)).toEqual(await listed(order.orderId));
      await give(other.admissionId, taperDose(randomUUID(), '2027-01-09T08:00:00', 10)).expect(404);
      // Another admission's order is not this patient's.
      await give(admissionId, taperDose(order.orderId, '2027-01-09T08:00:00', 10)).expect(404);
    });

    it('the order’s unit only (422 INVALID_UNIT); not in the future (400), not before the stay (422 DATE_OUTSIDE_STAY)', async () => {
      expect(refusal(await give(admissionId, taperDose(orderId, '2027-01-13T08:00:00', 10, { unit: 'mcg/h' })).expect(422))).toEqual(['INVALID_UNIT', ['unit']]);
      const future = await give(admissionId, taperDose(orderId, '2027-01-13T20:05:01', 10)).expect(400);
      expect(future.body.details).toEqual([{ field: 'givenAt', reason: expect.stringMatching(/^must not be in the future/) }]);
      await give(admissionId, taperDose(orderId, '2027-01-13T20:04:59', 10)).expect(201);
      expect(refusal(await give(admissionId, taperDose(orderId, '2027-01-03T23:59:00', 10)).expect(422))).toEqual(['DATE_OUTSIDE_STAY', ['givenAt']]);
    });
  });

  describe('witnesses', () => {
    let admissionId: string;
    let orderId: string;

    beforeAll(async () => {
      ({ admissionId } = await admit());
      ({ orderId } = await taperOrder(admissionId));
    });

    it('an opioid given needs a second, active nurse: none, the giver, a psychiatrist or a deactivated nurse → 422 WITNESS_REQUIRED naming witnessId', async () => {
      const retired = await createStaff(t, ['nurse']);
      await t.http.patch(`${API}/users/${retired.id}`).set(bearer(admin)).send({ active: false }).expect(200);
      for (const witnessId of [undefined, nurse.id, psychiatrist.id, retired.id, randomUUID()]) {
        const response = await give(admissionId, taperDose(orderId, '2027-01-05T08:00:00', 10, { witnessId })).expect(422);
        expect(refusal(response)).toEqual(['WITNESS_REQUIRED', ['witnessId']]);
      }
      await give(admissionId, taperDose(orderId, '2027-01-05T08:00:00', 10)).expect(201);
      // A held dose was not given: nothing to witness; but a witness named is checked all the same.
      await give(admissionId, taperDose(orderId, '2027-01-05T14:00:00', 10, { outcome: 'REFUSED', reason: 'Declined.', witnessId: undefined })).expect(201);
      const wrongName = await give(admissionId, taperDose(orderId, '2027-01-05T15:00:00', 10, { outcome: 'HELD', reason: 'Asleep.', witnessId: psychiatrist.id })).expect(422);
      expect(refusal(wrongName)).toEqual(['WITNESS_REQUIRED', ['witnessId']]);
      await give(admissionId, taperDose(orderId, '2027-01-05T15:00:00', 10, { outcome: 'HELD', reason: 'Asleep.' })).expect(201);
    });
  });

  describe('fentanyl patches: worn 72 hours, due again when they come off', () => {
    it('50 mcg/h ordered: a second patch while the first is on → 422 ABOVE_SCHEDULED_DOSE, one minute before 72 hours too, at 72 hours it fits; the nurses’ list shows the patch still on until the day it comes off', async () => {
      const fentanyl = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', timesPerDay: 1, monthsOnTherapy: 6, prescribed: true };
      const { admissionId: stay } = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [fentanyl] }), ADMITTED_ON);
      const { orderId: patchOrder } = await taperOrder(stay, { drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 50, unitStrengths: [12.5, 25, 50], allowHalfTablets: false });
      const patch = (local: string, dose = 50) => ({ ...taperDose(patchOrder, local, dose), unit: 'mcg/h' });
      const onTheList = async (date: string) =>
        ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(nurse)).expect(200)).body.items as Json[]).find((i) => i.admissionId === stay && i.kind === 'TAPER');
      setNow('2027-01-09T20:00:00');
      await give(stay, patch('2027-01-05T08:00:00')).expect(201);
      const second = await give(stay, patch('2027-01-06T08:00:00')).expect(422);
      expect(refusal(second)).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      expect(second.body.message).toBe('2027-01-06: 50 mcg/h is ordered and 50 mcg/h would still be on (50 mcg/h applied 2027-01-05T01:00:00.000Z; a patch is worn 72 hours); at most 0 mcg/h more.');
      // On the 6th and 7th the patch is still on at the day's end; on the 8th it comes off at 08:00.
      expect(await onTheList('2027-01-06')).toMatchObject({ dailyDose: 50, givenSoFar: 50, remaining: 0, dosesGiven: 1, patchOnUntil: '2027-01-08T01:00:00.000Z' });
      expect(await onTheList('2027-01-07')).toMatchObject({ givenSoFar: 50, remaining: 0 });
      // Due on the 8th, but not before the patch on comes off: the list says when.
      expect(await onTheList('2027-01-08')).toMatchObject({ givenSoFar: 0, remaining: 50, patchOnUntil: '2027-01-08T01:00:00.000Z' });
      expect(await onTheList('2027-01-04')).toMatchObject({ patchOnUntil: null });
      expect(refusal(await give(stay, patch('2027-01-08T07:59:00')).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      await give(stay, patch('2027-01-08T08:00:00')).expect(201);
      expect(await onTheList('2027-01-08')).toMatchObject({ givenSoFar: 50, remaining: 0, lastGivenAt: '2027-01-08T01:00:00.000Z', patchOnUntil: '2027-01-11T01:00:00.000Z' });
      // A lower dose from today while the 50 mcg/h patch of the 8th is on until the 11th: refused; from the 11th it may.
      const patchVersion = (await t.http.get(`${API}/admissions/${stay}/taper-orders`).set(bearer(psychiatrist)).expect(200)).body.items[0].id as string;
      const lower = { effectiveFrom: '2027-01-09', intervalDays: 1, reason: 'Faster, at the patient’s request.', overrideReason: 'Patient request.' };
      const early = await t.http.post(`${API}/taper-orders/${patchVersion}/amendments`).set(bearer(psychiatrist)).send(lower).expect(422);
      expect(refusal(early)).toEqual(['DOSE_ALREADY_GIVEN', ['effectiveFrom']]);
      expect(early.body.message).toMatch(/^The administration record already holds 50 mcg\/h of this taper on 2027-01-09; .* Make the amendment effective from 2027-01-11\.$/);
      await t.http.post(`${API}/taper-orders/${patchVersion}/amendments`).set(bearer(psychiatrist)).send({ ...lower, effectiveFrom: '2027-01-11' }).expect(201);
    });
  });

  describe('pain-plan doses: the ordered dose each time, the ordered daily dose each day', () => {
    it('paracetamol 1 g three times a day: three 1 g doses, a fourth → 422 MAX_DAILY_DOSE_EXCEEDED; 1.5 g at once → 422 ABOVE_SCHEDULED_DOSE; after discontinuing → 422 ORDER_NOT_IN_FORCE', async () => {
      const { admissionId } = await admit();
      const order = await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' }).expect(201);
      const dose = (time: string, mg: number) => ({ orderKind: 'PAIN_PLAN', orderId: order.body.id, dose: mg, unit: 'mg', givenAt: at(time), outcome: 'GIVEN' });
      expect(refusal(await give(admissionId, dose('2027-01-12T08:00:00', 1000.001)).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      for (const time of ['2027-01-12T08:00:00', '2027-01-12T14:00:00', '2027-01-12T20:00:00']) {
        expect((await give(admissionId, dose(time, 1000)).expect(201)).body).toMatchObject({ orderKind: 'PAIN_PLAN', drug: 'paracetamol', formulation: null, versionId: null, witnessId: null });
      }
      expect(refusal(await give(admissionId, dose('2027-01-12T22:00:00', 500)).expect(422))).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      await t.http.post(`${API}/pain-plan/medications/${order.body.id}/discontinue`).set(bearer(psychiatrist)).send({ reason: 'Pain settled.' }).expect(200);
      // Discontinued at 20:00 on the 13th (the clinic's clock): a dose at 19:59 was still ordered, one at 20:01 was not.
      await give(admissionId, dose('2027-01-13T19:59:00', 1000)).expect(201);
      expect(refusal(await give(admissionId, dose('2027-01-13T20:01:00', 1000)).expect(422))).toEqual(['ORDER_NOT_IN_FORCE', ['orderId']]);
    });
  });

  describe("a drug's day across its orders", () => {
    const paracetamolOrder = async (admissionId: string, body: Json = {}) =>
      (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 4, route: 'ORAL', ...body }).expect(201)).body.id as string;
    const painDose = (orderId: string, time: string, mg: number) => ({ orderKind: 'PAIN_PLAN', orderId, dose: mg, unit: 'mg', givenAt: at(time), outcome: 'GIVEN' });
    const prnDose = (orderId: string, time: string, mg: number) => ({ orderKind: 'AS_NEEDED', orderId, dose: mg, unit: 'mg', givenAt: at(time), outcome: 'GIVEN' });
    const discontinue = (path: string, id: string) => t.http.post(`${API}/${path}/${id}/discontinue`).set(bearer(psychiatrist)).send({ reason: 'Re-written.' }).expect(200);
    const listed = async (admissionId: string) =>
      ((await t.http.get(`${API}/taper-doses`).query({ date: '2027-01-13' }).set(bearer(nurse)).expect(200)).body.items as Json[])
        .filter((i) => i.admissionId === admissionId && i.kind !== 'TAPER')
        .map((i) => [i.kind, i.drug, i.givenSoFar, i.remaining, i.discontinuedAt === null ? 'in force' : 'discontinued']);

    it('paracetamol 4 × 1 g given, the order discontinued and written again: a fifth gram that day → 422 MAX_DAILY_DOSE_EXCEEDED, the next day 1 g fits; the list shows nothing remaining on either', async () => {
      const { admissionId } = await admit();
      const first = await paracetamolOrder(admissionId);
      for (const time of ['2027-01-13T06:00:00', '2027-01-13T10:00:00', '2027-01-13T14:00:00', '2027-01-13T18:00:00']) await give(admissionId, painDose(first, time, 1000)).expect(201);
      await discontinue('pain-plan/medications', first);
      const second = await paracetamolOrder(admissionId);
      const fifth = await give(admissionId, painDose(second, '2027-01-13T20:00:00', 1000)).expect(422);
      expect(refusal(fifth)).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      expect(await listed(admissionId)).toEqual([
        ['PAIN_PLAN', 'paracetamol', 4000, 0, 'discontinued'],
        ['PAIN_PLAN', 'paracetamol', 0, 0, 'in force'],
      ]);
      setNow('2027-01-14T08:00:00');
      await give(admissionId, painDose(second, '2027-01-14T06:00:00', 1000)).expect(201);
    });

    it('clonidine 6-hourly re-written: its interval and its doses a day run on from the first order (422 PRN_TOO_SOON one minute early, PRN_DAILY_MAX)', async () => {
      const { admissionId } = await admit();
      const body = { drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 2, indication: 'Restlessness' };
      const first = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send(body).expect(201)).body.id as string;
      await give(admissionId, prnDose(first, '2027-01-13T06:00:00', 0.1)).expect(201);
      await discontinue('as-needed-orders', first);
      const second = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send(body).expect(201)).body.id as string;
      expect(refusal(await give(admissionId, prnDose(second, '2027-01-13T11:59:00', 0.1)).expect(422))).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      await give(admissionId, prnDose(second, '2027-01-13T12:00:00', 0.1)).expect(201);
      expect(refusal(await give(admissionId, prnDose(second, '2027-01-13T18:00:00', 0.1)).expect(422))).toEqual(['PRN_DAILY_MAX', ['givenAt']]);
    });

    it('paracetamol 750 mg four times a day and 1 g as needed once a day: 4 g in all fit (the two orders’ allowances add up); the list shows what remains of both', async () => {
      const { admissionId } = await admit();
      const scheduled = await paracetamolOrder(admissionId, { dose: 750 });
      const asNeeded = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'paracetamol', dose: 1000, unit: 'mg', route: 'ORAL', minIntervalHours: 2, maxDosesPerDay: 1, indication: 'Breakthrough pain' }).expect(201)).body.id as string;
      for (const time of ['2027-01-13T06:00:00', '2027-01-13T12:00:00', '2027-01-13T18:00:00']) await give(admissionId, painDose(scheduled, time, 750)).expect(201);
      await give(admissionId, prnDose(asNeeded, '2027-01-13T09:00:00', 1000)).expect(201);
      expect(await listed(admissionId)).toEqual([
        ['PAIN_PLAN', 'paracetamol', 2250, 750, 'in force'],
        ['AS_NEEDED', 'paracetamol', 1000, 0, 'in force'],
      ]);
      expect(refusal(await give(admissionId, painDose(scheduled, '2027-01-13T19:00:00', 750.001)).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      await give(admissionId, painDose(scheduled, '2027-01-13T19:00:00', 750)).expect(201);
      expect(await listed(admissionId)).toEqual([
        ['PAIN_PLAN', 'paracetamol', 3000, 0, 'in force'],
        ['AS_NEEDED', 'paracetamol', 1000, 0, 'in force'],
      ]);
    });
  });

  describe('paracetamol over any 24 hours, and the most in one dose (domain.md §8a, §9)', () => {
    const paracetamolOrder = async (admissionId: string, body: Json = {}) =>
      (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 4, route: 'ORAL', ...body }).expect(201)).body.id as string;
    const utcDose = (orderId: string, givenAt: string, mg = 1000, orderKind = 'PAIN_PLAN') => ({ orderKind, orderId, dose: mg, unit: 'mg', givenAt, outcome: 'GIVEN' });

    it('4 g at 23:56–23:59 and a fifth gram at 00:00 the next clinic day → 422 MAX_DAILY_DOSE_EXCEEDED naming when a gram fits; 24 h after the first it does, a minute before it does not', async () => {
      setNow('2027-01-14T08:00:00');
      const { admissionId } = await admit();
      const orderId = await paracetamolOrder(admissionId);
      // 2027-01-12T16:56Z is 23:56 in Bangkok on the 12th; 17:00Z is midnight, the 13th.
      for (const minute of ['56', '57', '58', '59']) expect((await give(admissionId, utcDose(orderId, `2027-01-12T16:${minute}:00Z`)).expect(201)).body.givenOn).toBe('2027-01-12');
      const fifth = await give(admissionId, utcDose(orderId, '2027-01-12T17:00:00Z')).expect(422);
      expect(refusal(fifth)).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      expect(fifth.body.message).toBe(
        '4000 mg of paracetamol is already given in the 24 hours from 2027-01-12T16:56:00.000Z, counting every source, and the patient\'s limit is 4000 mg ' +
          'in any 24 hours; 1000 mg more is too much (at most 0 mg now; a dose of 1000 mg fits from 2027-01-13T16:56:00.000Z).',
      );
      expect(refusal(await give(admissionId, utcDose(orderId, '2027-01-13T16:55:00Z')).expect(422))).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      // Held, refused or omitted doses are never refused for the total.
      await give(admissionId, { ...utcDose(orderId, '2027-01-12T17:01:00Z'), outcome: 'HELD', reason: 'Asleep.' }).expect(201);
      expect((await give(admissionId, utcDose(orderId, '2027-01-13T16:56:00Z')).expect(201)).body.givenOn).toBe('2027-01-13');
    });

    it('counts as-needed paracetamol with the scheduled one, and a voided dose not at all', async () => {
      const { admissionId } = await admit();
      const scheduled = await paracetamolOrder(admissionId, { dose: 500 });
      const asNeeded = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'paracetamol', dose: 1000, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 2, indication: 'Breakthrough pain' }).expect(201)).body.id as string;
      // The 12th in Bangkok: 2 g of the plan at 11:00–14:00, and 2 g as needed at 18:00 and 22:00.
      for (const time of ['04:00', '05:00', '06:00', '07:00']) await give(admissionId, utcDose(scheduled, `2027-01-12T${time}:00Z`, 500)).expect(201);
      await give(admissionId, utcDose(asNeeded, '2027-01-12T11:00:00Z', 1000, 'AS_NEEDED')).expect(201);
      const last = (await give(admissionId, utcDose(asNeeded, '2027-01-12T15:00:00Z', 1000, 'AS_NEEDED')).expect(201)).body as Entry;
      // 06:00 on the 13th (23:00Z): its first 500 mg would make 4500 mg in 24 hours.
      expect(refusal(await give(admissionId, utcDose(scheduled, '2027-01-12T23:00:00Z', 500)).expect(422))).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      await t.http.post(`${API}/administrations/${last.id}/void`).set(bearer(nurse)).send({ reason: 'Entered on the wrong patient.' }).expect(200);
      await give(admissionId, utcDose(scheduled, '2027-01-12T23:00:00Z', 500)).expect(201);
    });

    /**
     * Hydrocodone 5 mg + paracetamol 325 mg on a 20 mg/day taper, and paracetamol 900 mg × 3: late
     * on the 12th, four hydrocodone doses (1300 mg of paracetamol) and the three tablets (2700 mg).
     */
    async function fullDayOfParacetamol(): Promise<{ admissionId: string; taper: string; orderId: string }> {
      const hydrocodone = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
      const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [hydrocodone] }), ADMITTED_ON);
      const { orderId: taper } = await taperOrder(admissionId, { drug: 'hydrocodone', startDailyDose: 20, unitStrengths: [5], allowHalfTablets: false, overrideReason: 'Test schedule.' });
      const orderId = await paracetamolOrder(admissionId, { dose: 900, timesPerDay: 3 });
      for (const time of ['14:00', '17:00', '20:00', '23:00']) await give(admissionId, taperDose(taper, `2027-01-12T${time}:00`, 5)).expect(201);
      for (const time of ['15:00', '19:00', '23:30']) await give(admissionId, painDoseLocal(orderId, `2027-01-12T${time}:00`, 900)).expect(201);
      return { admissionId, taper, orderId };
    }

    it('counts the paracetamol of combination-opioid doses given under the taper: hydrocodone 5/325 × 4 and 2700 mg late on the 12th leave no room at 06:00 on the 13th', async () => {
      const { admissionId, orderId } = await fullDayOfParacetamol();
      // The 13th's first 900 mg is within its clinic day, but 1300 + 2700 + 900 mg in 24 hours.
      const refused = await give(admissionId, painDoseLocal(orderId, '2027-01-13T06:00:00', 900)).expect(422);
      expect(refusal(refused)).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      expect(refused.body.message).toMatch(/^4000 mg of paracetamol is already given in the 24 hours from 2027-01-12T07:00:00.000Z, counting every source, /);
      expect(refused.body.message).toContain('(at most 0 mg now; a dose of 900 mg fits from 2027-01-13T08:00:00.000Z)');
      await give(admissionId, painDoseLocal(orderId, '2027-01-13T15:00:00', 900)).expect(201);
    });

    it('holds a combination-opioid dose to the paracetamol it carries: hydrocodone 5/325 at 06:00 on the 13th after 4000 mg in 24 hours → 422, 24 hours after the first dose it fits', async () => {
      const { admissionId, taper } = await fullDayOfParacetamol();
      // A new clinic day, and its schedule has room: but 1300 + 2700 + 325 mg of paracetamol in 24 hours.
      const refused = await give(admissionId, taperDose(taper, '2027-01-13T06:00:00', 5)).expect(422);
      expect(refusal(refused)).toEqual(['MAX_DAILY_DOSE_EXCEEDED', ['dose']]);
      expect(refused.body.message).toMatch(/^5 mg of hydrocodone IR carries 325 mg of paracetamol: 4000 mg of paracetamol is already given in the 24 hours from 2027-01-12T07:00:00.000Z/);
      // Once the 14:00 dose of the 12th is 24 hours old, 2700 + 975 + 325 = 4000 mg fits.
      await give(admissionId, taperDose(taper, '2027-01-13T14:00:00', 5)).expect(201);
    });

    it('as-needed paracetamol keeps its interval from a combination-opioid dose, which carries paracetamol: a minute short → 422 PRN_TOO_SOON naming it; at the interval, given', async () => {
      const hydrocodone = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
      const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody({ opioids: [hydrocodone] }), ADMITTED_ON);
      const { orderId: taper } = await taperOrder(admissionId, { drug: 'hydrocodone', startDailyDose: 20, unitStrengths: [5], allowHalfTablets: false, overrideReason: 'Test schedule.' });
      const asNeeded = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'paracetamol', dose: 1000, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 2, indication: 'Breakthrough pain' }).expect(201)).body.id as string;
      await give(admissionId, taperDose(taper, '2027-01-12T08:00:00', 5)).expect(201);
      const prn = (time: string) => ({ orderKind: 'AS_NEEDED', orderId: asNeeded, dose: 1000, unit: 'mg', givenAt: at(`2027-01-12T${time}:00`), outcome: 'GIVEN' });
      const refused = await give(admissionId, prn('11:59')).expect(422);
      expect(refusal(refused)).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      expect(refused.body.message).toBe('A dose of hydrocodone IR 5 mg, which carries the drug, was given at 2027-01-12T01:00:00.000Z; at least 4 hours apart (not before 2027-01-12T05:00:00.000Z).');
      await give(admissionId, prn('12:00')).expect(201);
    });

    it('holds the lower limit of the intake: 2000 mg in any 24 hours with heavy alcohol use', async () => {
      const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody({ medical: { heavyAlcoholUse: true } }), ADMITTED_ON);
      const orderId = await paracetamolOrder(admissionId, { dose: 500 });
      for (const time of ['13:00', '14:00', '15:00', '16:00']) await give(admissionId, utcDose(orderId, `2027-01-12T${time}:00Z`, 500)).expect(201);
      const refused = await give(admissionId, utcDose(orderId, '2027-01-12T17:30:00Z', 500)).expect(422);
      expect(refused.body.message).toContain("the patient's limit is 2000 mg in any 24 hours with heavy alcohol use;");
    });

    it('a dose above the most in one dose, under an order written before that limit existed → 422 MAX_SINGLE_DOSE_EXCEEDED naming dose; within it, given', async () => {
      const { admissionId } = await admit();
      const orderId = await paracetamolOrder(admissionId);
      const clonidine = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 24, maxDosesPerDay: 1, indication: 'Restlessness' }).expect(201)).body.id as string;
      await t.admin.query('UPDATE pain_medications SET dose = 4000, times_per_day = 1, daily_dose = 4000 WHERE id = $1', [orderId]);
      await t.admin.query('UPDATE as_needed_orders SET dose = 1.2 WHERE id = $1', [clonidine]);
      const refused = await give(admissionId, painDoseLocal(orderId, '2027-01-12T08:00:00', 4000)).expect(422);
      expect(refusal(refused)).toEqual(['MAX_SINGLE_DOSE_EXCEEDED', ['dose']]);
      expect(refused.body.message).toBe('4000 mg of paracetamol is above its maximum of 1000 mg a dose.');
      await give(admissionId, painDoseLocal(orderId, '2027-01-12T08:00:00', 1000.001)).expect(422);
      await give(admissionId, painDoseLocal(orderId, '2027-01-12T08:00:00', 1000)).expect(201);
      expect(refusal(await give(admissionId, utcDose(clonidine, at('2027-01-12T08:00:00'), 1.2, 'AS_NEEDED')).expect(422))).toEqual(['MAX_SINGLE_DOSE_EXCEEDED', ['dose']]);
      await give(admissionId, utcDose(clonidine, at('2027-01-12T08:00:00'), 0.2, 'AS_NEEDED')).expect(201);
    });
  });

  describe('as-needed doses: interval, daily maximum, COWS indication', () => {
    const orderPrn = async (admissionId: string, body: Json) =>
      (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send({ unit: 'mg', route: 'ORAL', ...body }).expect(201)).body.id as string;
    const prn = (orderId: string, time: string, dose: number) => ({ orderKind: 'AS_NEEDED', orderId, dose, unit: 'mg', givenAt: at(time), outcome: 'GIVEN' });

    it('loperamide every 4 h, 3 a day: one minute early → 422 PRN_TOO_SOON (either side of a dose); at 4 h → 201; a fourth that day → 422 PRN_DAILY_MAX', async () => {
      const { admissionId } = await admit();
      const orderId = await orderPrn(admissionId, { drug: 'loperamide', dose: 2, minIntervalHours: 4, maxDosesPerDay: 3, indication: 'Diarrhoea of withdrawal' });
      await give(admissionId, prn(orderId, '2027-01-12T06:00:00', 2)).expect(201);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T09:59:00', 2)).expect(422))).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T02:01:00', 2)).expect(422))).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      await give(admissionId, prn(orderId, '2027-01-12T10:00:00', 2)).expect(201);
      await give(admissionId, prn(orderId, '2027-01-12T14:00:00', 2)).expect(201);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T18:00:00', 2)).expect(422))).toEqual(['PRN_DAILY_MAX', ['givenAt']]);
      // The next clinic day starts afresh; more than the ordered dose is refused.
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-13T06:00:00', 4)).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      await give(admissionId, prn(orderId, '2027-01-13T06:00:00', 2)).expect(201);
    });

    it('an as-needed order above the most in one dose → 422 MAX_SINGLE_DOSE_EXCEEDED naming dose: clonidine 1.2 mg once a day, paracetamol 1500 mg; at the most, accepted', async () => {
      const { admissionId } = await admit();
      const orderAsNeeded = (body: Json) => t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send({ unit: 'mg', route: 'ORAL', indication: 'Withdrawal', ...body });
      const clonidine = await orderAsNeeded({ drug: 'clonidine', dose: 1.2, minIntervalHours: 24, maxDosesPerDay: 1 }).expect(422);
      expect(refusal(clonidine)).toEqual(['MAX_SINGLE_DOSE_EXCEEDED', ['dose']]);
      expect(clonidine.body.message).toBe('1.2 mg of clonidine is above its maximum of 0.2 mg a dose.');
      const paracetamol = await orderAsNeeded({ drug: 'paracetamol', dose: 1500, minIntervalHours: 6, maxDosesPerDay: 1, overrideReason: 'Severe pain.' }).expect(422);
      expect(refusal(paracetamol)).toEqual(['MAX_SINGLE_DOSE_EXCEEDED', ['dose']]);
      await orderAsNeeded({ drug: 'clonidine', dose: 0.2, minIntervalHours: 4, maxDosesPerDay: 6 }).expect(201);
      await orderAsNeeded({ drug: 'paracetamol', dose: 1000, minIntervalHours: 6, maxDosesPerDay: 1 }).expect(201);
    });

    it('paracetamol as needed every 6 h runs from the last paracetamol given under any order: one minute before 6 h after a scheduled dose → 422 PRN_TOO_SOON; at 6 h → 201', async () => {
      const { admissionId } = await admit();
      const scheduled = (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist))
        .send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 2, route: 'ORAL' }).expect(201)).body.id as string;
      const asNeeded = await orderPrn(admissionId, { drug: 'paracetamol', dose: 1000, minIntervalHours: 6, maxDosesPerDay: 2, indication: 'Breakthrough pain' });
      await give(admissionId, { orderKind: 'PAIN_PLAN', orderId: scheduled, dose: 1000, unit: 'mg', givenAt: at('2027-01-12T06:00:00'), outcome: 'GIVEN' }).expect(201);
      const early = await give(admissionId, prn(asNeeded, '2027-01-12T11:59:00', 1000)).expect(422);
      expect(refusal(early)).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      expect(early.body.message).toBe('A dose was given at 2027-01-11T23:00:00.000Z; at least 6 hours apart (not before 2027-01-12T05:00:00.000Z).');
      // Either side: an as-needed dose entered after the fact 5 h 59 min before the scheduled one.
      const before = await give(admissionId, prn(asNeeded, '2027-01-12T00:01:00', 1000)).expect(422);
      expect(refusal(before)).toEqual(['PRN_TOO_SOON', ['givenAt']]);
      expect(before.body.message).toBe('A dose was given at 2027-01-11T23:00:00.000Z; at least 6 hours apart (not after 2027-01-11T17:00:00.000Z).');
      await give(admissionId, prn(asNeeded, '2027-01-12T12:00:00', 1000)).expect(201);
    });

    it('clonidine at a COWS of 8 or more within 2 hours: a 7 → 422 PRN_NOT_INDICATED; an 8 → 201; the 8 more than 2 hours old → 422; an 8 followed by a 0 → 422', async () => {
      const { admissionId } = await admit();
      const orderId = await orderPrn(admissionId, { drug: 'clonidine', dose: 0.1, minIntervalHours: 6, maxDosesPerDay: 3, indication: 'Sweating and restlessness', cowsThreshold: 8 });
      const cows = (time: string, items: Json) => t.http.post(`${API}/admissions/${admissionId}/observations`).set(bearer(nurse)).send({ type: 'COWS', recordedAt: at(time), items }).expect(201);
      await cows('2027-01-12T08:00:00', COWS_7);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T09:00:00', 0.1)).expect(422))).toEqual(['PRN_NOT_INDICATED', ['givenAt']]);
      await cows('2027-01-12T08:30:00', COWS_8);
      // Exactly 2 hours after the 8: still indicated. Six hours on, the 8 is too old.
      await give(admissionId, prn(orderId, '2027-01-12T10:30:00', 0.1)).expect(201);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T16:30:00', 0.1)).expect(422))).toEqual(['PRN_NOT_INDICATED', ['givenAt']]);
      await cows('2027-01-12T16:00:00', COWS_8);
      await give(admissionId, prn(orderId, '2027-01-12T16:30:00', 0.1)).expect(201);
      // The 8 at 21:00 is within two hours of 22:40, but the 0 at 22:35 says the withdrawal has settled.
      await cows('2027-01-12T21:00:00', COWS_8);
      await cows('2027-01-12T22:35:00', ZERO_COWS);
      expect(refusal(await give(admissionId, prn(orderId, '2027-01-12T22:40:00', 0.1)).expect(422))).toEqual(['PRN_NOT_INDICATED', ['givenAt']]);
    });
  });

  describe('idempotency, void, list, balance', () => {
    let admissionId: string;
    let patientId: string;
    let orderId: string;

    beforeAll(async () => {
      ({ admissionId, patientId } = await admit());
      ({ orderId } = await taperOrder(admissionId));
    });

    it('the same key again → 200 and the first entry; with another body → 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const body = { ...taperDose(orderId, '2027-01-05T08:00:00', 20), idempotencyKey: 'ward-b:2027-01-05:08' };
      const first = await give(admissionId, body).expect(201);
      const again = await give(admissionId, { ...body, givenAt: '2027-01-05T01:00:00.000Z' }).expect(200);
      expect(again.body).toEqual(first.body);
      expect(refusal(await give(admissionId, { ...body, dose: 25 }).expect(409))).toEqual(['IDEMPOTENCY_KEY_REUSED', undefined]);
      expect(await dbRows(t, `SELECT count(*)::int AS n FROM administrations WHERE admission_id = $1 AND idempotency_key = $2`, [admissionId, body.idempotencyKey])).toEqual([{ n: 1 }]);
    });

    it('a void keeps the entry, marked, and frees its dose; voiding twice → 409 ALREADY_VOID; audited under the patient', async () => {
      const entry = (await give(admissionId, taperDose(orderId, '2027-01-06T08:00:00', 60)).expect(201)).body as Entry;
      expect(refusal(await give(admissionId, taperDose(orderId, '2027-01-06T09:00:00', 60)).expect(422))).toEqual(['ABOVE_SCHEDULED_DOSE', ['dose']]);
      await t.http.post(`${API}/administrations/${entry.id}/void`).set(bearer(nurse)).send({}).expect(400);
      const voided = await t.http.post(`${API}/administrations/${entry.id}/void`).set(bearer(nurse)).send({ reason: 'Entered for the wrong day.' }).expect(200);
      expect(voided.body).toMatchObject({ id: entry.id, voided: true, voidedBy: nurse.id, voidReason: 'Entered for the wrong day.', dose: 60 });
      expect(refusal(await t.http.post(`${API}/administrations/${entry.id}/void`).set(bearer(nurse)).send({ reason: 'Again.' }).expect(409))).toEqual(['ALREADY_VOID', undefined]);
      await give(admissionId, taperDose(orderId, '2027-01-06T09:00:00', 60)).expect(201);
      const listed = (await t.http.get(`${API}/admissions/${admissionId}/administrations`).query({ date: '2027-01-06' }).set(bearer(psychiatrist)).expect(200)).body.items as Entry[];
      expect(listed.map((e) => [e.dose, e.voided])).toEqual([[60, true], [60, false]]);
      const audit = await dbRows(t, `SELECT action, patient_id FROM audit_events WHERE resource = 'administration' AND resource_id = $1 ORDER BY at`, [entry.id]);
      expect(audit).toEqual([{ action: 'CREATE', patient_id: patientId }, { action: 'VOID', patient_id: patientId }]);
      await t.http.post(`${API}/administrations/${randomUUID()}/void`).set(bearer(nurse)).send({ reason: 'x' }).expect(404);
    });

    it('lists by day and by order, in the order given; aftercare may read, billing may not', async () => {
      const byOrder = (await t.http.get(`${API}/admissions/${admissionId}/administrations`).query({ orderId }).set(bearer(nurse)).expect(200)).body.items as Entry[];
      expect(byOrder.map((e) => e.givenAt)).toEqual([...byOrder.map((e) => e.givenAt)].sort());
      expect(byOrder.every((e) => e.orderId === orderId)).toBe(true);
      const staff = await staffForEveryRole(t);
      await t.http.get(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.aftercare)).expect(200);
      await t.http.get(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.billing)).expect(403);
      expect((await t.http.get(`${API}/admissions/${admissionId}/administrations`).query({ date: '2027-02-30' }).set(bearer(nurse)).expect(400)).body.details[0].field).toBe('date');
    });

    it('a discharge may not be dated before a dose on the record (422 DISCHARGE_BEFORE_RECORDS); a voided dose does not count', async () => {
      const { admissionId: stay } = await admit();
      const { orderId: order } = await taperOrder(stay);
      const aftercare = (await staffForEveryRole(t)).aftercare;
      const discharge = (on: string) =>
        t.http.post(`${API}/admissions/${stay}/discharge`).set(bearer(aftercare)).send({ dischargedOn: on, outsidePrescriber: { name: 'Dr Ana Silva' }, consentToShare: { given: true, recordedOn: on } });
      await give(stay, taperDose(order, '2027-01-11T08:00:00', 20)).expect(201);
      const mistaken = (await give(stay, taperDose(order, '2027-01-12T08:00:00', 20)).expect(201)).body as Entry;
      expect((await discharge('2027-01-11').expect(422)).body.details).toEqual([{ field: 'dischargedOn', reason: 'must not be before 2027-01-12 (a dose on the medication record)' }]);
      await t.http.post(`${API}/administrations/${mistaken.id}/void`).set(bearer(nurse)).send({ reason: 'Wrong patient.' }).expect(200);
      await discharge('2027-01-11').expect(201);
    });

    it('pages like every list (limit, cursor, nextCursor): the pages together are the whole list, in order, each page one READ', async () => {
      const { admissionId: stay } = await admit();
      const { orderId: order } = await taperOrder(stay);
      // Five entries, two of them at the same minute (recorded order breaks the tie), entered out of order.
      for (const time of ['2027-01-06T14:00:00', '2027-01-05T08:00:00', '2027-01-06T08:00:00', '2027-01-06T08:00:00', '2027-01-05T20:00:00']) {
        await give(stay, taperDose(order, time, 10)).expect(201);
      }
      const list = (query: Json) => t.http.get(`${API}/admissions/${stay}/administrations`).query(query).set(bearer(nurse)).expect(200);
      const whole = (await list({ limit: 200 })).body as { items: Entry[]; nextCursor: string | null };
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.map((e) => e.givenAt)).toEqual(['2027-01-05T01:00:00.000Z', '2027-01-05T13:00:00.000Z', '2027-01-06T01:00:00.000Z', '2027-01-06T01:00:00.000Z', '2027-01-06T07:00:00.000Z']);
      const paged: Entry[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = (await list(cursor ? { limit: 2, cursor } : { limit: 2 })).body as { items: Entry[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(paged.map((e) => e.id)).toEqual(whole.items.map((e) => e.id));
      expect(pages).toBe(3);
      const reads = await dbRows(t, `SELECT count(*)::int AS n FROM audit_events WHERE resource = 'administration' AND action = 'READ' AND detail->>'admissionId' = $1`, [stay]);
      expect(reads).toEqual([{ n: 4 }]);
      const bad = await t.http.get(`${API}/admissions/${stay}/administrations`).query({ cursor: 'not-a-cursor' }).set(bearer(nurse)).expect(400);
      expect(bad.body.details[0].field).toBe('cursor');
      expect((await t.http.get(`${API}/admissions/${stay}/administrations`).query({ limit: 201 }).set(bearer(nurse)).expect(400)).body.details[0].field).toBe('limit');
    });

    it('a dose given beyond the stock dispensed is recorded with STOCK_NOT_DISPENSED; the balance shows dispensed, given, on hand', async () => {
      const { admissionId: fresh } = await admit();
      const order = await taperOrder(fresh);
      await t.http.post(`${API}/admissions/${fresh}/dispensations`).set(bearer(nurse)).send({ drug: 'oxycodone', strength: 5, unit: 'mg', quantity: 4, dispensedOn: '2027-01-05', idempotencyKey: randomUUID() }).expect(201);
      const fits = await give(fresh, taperDose(order.orderId, '2027-01-05T08:00:00', 20)).expect(201);
      expect(fits.body.warnings).toEqual([]);
      const beyond = await give(fresh, taperDose(order.orderId, '2027-01-05T14:00:00', 2.5)).expect(201);
      expect(beyond.body.warnings).toEqual([{ code: 'STOCK_NOT_DISPENSED', message: '22.5 mg of oxycodone IR given in all, but only 20 mg dispensed for this admission: record the dispensation.' }]);
      await give(fresh, taperDose(order.orderId, '2027-01-05T20:00:00', 20, { outcome: 'HELD', reason: 'Asleep.', witnessId: undefined })).expect(201);
      const balance = await t.http.get(`${API}/admissions/${fresh}/medication-balance`).set(bearer(psychiatrist)).expect(200);
      expect(balance.body).toEqual({ admissionId: fresh, items: [{ drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 20, given: 22.5, onHand: -2.5 }] });
      await t.http.get(`${API}/admissions/${fresh}/medication-balance`).set(bearer(clerk)).expect(403);
    });

    it('dispensing counts the stock on hand: a week’s need, then not one tablet more; after the day’s doses are given, room for exactly what was given', async () => {
      const { admissionId: fresh } = await admit();
      const { orderId } = await taperOrder(fresh);
      const dispense = (dispensedOn: string, quantity: number) =>
        t.http.post(`${API}/admissions/${fresh}/dispensations`).set(bearer(nurse)).send({ drug: 'oxycodone', strength: 5, unit: 'mg', quantity, dispensedOn, idempotencyKey: randomUUID() });
      // From 2027-01-05: six days at 60 mg and 2027-01-11 at 55 mg = 415 mg = 83 tablets.
      await dispense('2027-01-05', 83).expect(201);
      const more = await dispense('2027-01-05', 1).expect(422);
      expect(refusal(more)).toEqual(['ABOVE_ORDER_SUPPLY', ['quantity']]);
      expect(more.body.message).toBe(
        '1 × 5 mg is 5 mg; with the 415 mg already on hand that makes 420 mg, more than the 415 mg the orders need over 7 days from 2027-01-05 (oxycodone IR taper). Dispense less, or give an override reason.',
      );
      for (const time of ['08:00', '14:00', '20:00']) await give(fresh, taperDose(orderId, `2027-01-05T${time}:00`, 20)).expect(201);
      // From 2027-01-06 the week needs 5 × 60 + 2 × 55 = 410 mg; 355 mg are on hand: room for 55 mg = 11 tablets.
      expect(refusal(await dispense('2027-01-06', 11.5).expect(422))).toEqual(['ABOVE_ORDER_SUPPLY', ['quantity']]);
      await dispense('2027-01-06', 11).expect(201);
      const balance = await t.http.get(`${API}/admissions/${fresh}/medication-balance`).set(bearer(nurse)).expect(200);
      expect(balance.body.items).toEqual([{ drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 470, given: 60, onHand: 410 }]);
    });
  });

  describe("the nurses' list: what is due, given so far and remaining, per order", () => {
    const dueOn = async (date: string, admissionIds: string[]) =>
      ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(nurse)).expect(200)).body.items as Json[]).filter((i) => admissionIds.includes(i.admissionId as string));
    const summary = (items: Json[]) => items.map((i) => [i.kind, i.drug, i.dose, i.dailyDose, i.givenSoFar, i.remaining, i.dosesGiven]);

    it('taper, pain-plan and as-needed orders of one patient, each with its own total; held and voided doses count for nothing', async () => {
      setNow('2027-01-08T20:00:00');
      const { admissionId } = await admit();
      const { orderId } = await taperOrder(admissionId);
      const paracetamol = (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL' }).expect(201)).body;
      const loperamide = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send({ drug: 'loperamide', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 4, indication: 'Diarrhoea' }).expect(201)).body;
      await give(admissionId, taperDose(orderId, '2027-01-08T08:00:00', 20)).expect(201);
      await give(admissionId, taperDose(orderId, '2027-01-08T14:00:00', 20, { outcome: 'HELD', reason: 'Drowsy.', witnessId: undefined })).expect(201);
      const mistaken = (await give(admissionId, taperDose(orderId, '2027-01-08T15:00:00', 20)).expect(201)).body as Entry;
      await t.http.post(`${API}/administrations/${mistaken.id}/void`).set(bearer(nurse)).send({ reason: 'Entered twice.' }).expect(200);
      await give(admissionId, { orderKind: 'PAIN_PLAN', orderId: paracetamol.id, dose: 1000, unit: 'mg', givenAt: at('2027-01-08T08:00:00'), outcome: 'GIVEN' }).expect(201);
      await give(admissionId, { orderKind: 'AS_NEEDED', orderId: loperamide.id, dose: 2, unit: 'mg', givenAt: at('2027-01-08T09:30:00'), outcome: 'GIVEN' }).expect(201);
      const items = await dueOn('2027-01-08', [admissionId]);
      expect(summary(items)).toEqual([
        ['TAPER', 'oxycodone', null, 60, 20, 40, 1],
        ['PAIN_PLAN', 'paracetamol', 1000, 3000, 1000, 2000, 1],
        ['AS_NEEDED', 'loperamide', 2, 8, 2, 6, 1],
      ]);
      expect(items[0]).toMatchObject({ orderId, formulation: 'IR', lastGivenAt: '2027-01-08T01:00:00.000Z', step: 1, paused: false });
      expect(items[2]).toMatchObject({ orderId: loperamide.id, formulation: null, versionId: null, minIntervalHours: 4, maxDosesPerDay: 4, cowsThreshold: null, lastGivenAt: '2027-01-08T02:30:00.000Z' });
      // Another day starts afresh.
      expect(summary(await dueOn('2027-01-09', [admissionId])).map((row) => row.slice(4))).toEqual([[0, 60, 0], [0, 3000, 0], [0, 8, 0]]);
      // Discontinued today: still on today's list (doses were due this morning), gone tomorrow.
      await t.http.post(`${API}/pain-plan/medications/${paracetamol.id}/discontinue`).set(bearer(psychiatrist)).send({ reason: 'Settled.' }).expect(200);
      expect((await dueOn('2027-01-08', [admissionId])).map((i) => i.kind)).toEqual(['TAPER', 'PAIN_PLAN', 'AS_NEEDED']);
      expect((await dueOn('2027-01-09', [admissionId])).map((i) => i.kind)).toEqual(['TAPER', 'AS_NEEDED']);
    });

    it('an as-needed order shows what the record still accepts: ondansetron 8 mg, 3 a day, given 4 mg three times → nothing remaining (not 12 mg), and a fourth is refused', async () => {
      setNow('2027-01-08T20:00:00');
      const { admissionId } = await admit();
      const orderId = (await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist))
        .send({ drug: 'ondansetron', dose: 8, unit: 'mg', route: 'ORAL', minIntervalHours: 4, maxDosesPerDay: 3, indication: 'Nausea' }).expect(201)).body.id as string;
      const ondansetron = (time: string) => ({ orderKind: 'AS_NEEDED', orderId, dose: 4, unit: 'mg', givenAt: at(time), outcome: 'GIVEN' });
      expect(summary(await dueOn('2027-01-08', [admissionId]))).toEqual([['AS_NEEDED', 'ondansetron', 8, 24, 0, 24, 0]]);
      await give(admissionId, ondansetron('2027-01-08T06:00:00')).expect(201);
      await give(admissionId, ondansetron('2027-01-08T10:00:00')).expect(201);
      // One dose left, of at most 8 mg: 8 remaining, not the 16 mg of the day's 24.
      expect(summary(await dueOn('2027-01-08', [admissionId]))).toEqual([['AS_NEEDED', 'ondansetron', 8, 24, 8, 8, 2]]);
      await give(admissionId, ondansetron('2027-01-08T14:00:00')).expect(201);
      expect(summary(await dueOn('2027-01-08', [admissionId]))).toEqual([['AS_NEEDED', 'ondansetron', 8, 24, 12, 0, 3]]);
      expect(refusal(await give(admissionId, ondansetron('2027-01-08T18:00:00')).expect(422))).toEqual(['PRN_DAILY_MAX', ['givenAt']]);
    });

    it('one statement for the whole ward, whatever the number of patients and orders', async () => {
      const DAY = '2027-01-07';
      const ward = async () => {
        const { admissionId } = await admit();
        const { orderId } = await taperOrder(admissionId);
        await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(psychiatrist)).send({ drug: 'ibuprofen', dose: 400, unit: 'mg', timesPerDay: 3, route: 'ORAL' }).expect(201);
        await t.http.post(`${API}/admissions/${admissionId}/as-needed-orders`).set(bearer(psychiatrist)).send({ drug: 'ondansetron', dose: 4, unit: 'mg', route: 'ORAL', minIntervalHours: 8, maxDosesPerDay: 3, indication: 'Nausea' }).expect(201);
        await give(admissionId, taperDose(orderId, `${DAY}T08:00:00`, 30)).expect(201);
      };
      const statementsFor = async () => (await recordStatements(t, () => t.http.get(`${API}/taper-doses`).query({ date: DAY }).set(bearer(nurse)).expect(200))).statements;
      await ward();
      const few = await statementsFor();
      for (let i = 0; i < 4; i++) await ward();
      const many = await statementsFor();
      expect(many.length).toBe(few.length);
      expect(many.filter((sql) => /taper_orders|pain_medications|as_needed_orders|administrations/.test(sql))).toHaveLength(1);
    });
  });

  describe('races', () => {
    it('20 nurses recording the day’s 55 mg at once: one entry fits, the day never exceeds the schedule; 20 retries of one key: one entry', async () => {
      const { admissionId } = await admit();
      const { orderId } = await taperOrder(admissionId);
      const racing = await burst(20, (i) => give(admissionId, { ...taperDose(orderId, '2027-01-12T08:00:00', 55), idempotencyKey: `race-${i}` }));
      expect(statusTally(racing)).toEqual({ 201: 1, 422: 19 });
      expect(await dbRows(t, `SELECT sum(dose)::float AS total FROM administrations WHERE order_id = $1 AND given_on = '2027-01-12' AND outcome = 'GIVEN'`, [orderId])).toEqual([{ total: 55 }]);
      const retries = await burst(20, () => give(admissionId, { ...taperDose(orderId, '2027-01-13T08:00:00', 55), idempotencyKey: 'one-key' }));
      expect(statusTally(retries)).toEqual({ 200: 19, 201: 1 });
      expect(new Set(retries.map((r) => r.body.id)).size).toBe(1);
      expect(await dbRows(t, `SELECT count(*)::int AS n FROM administrations WHERE admission_id = $1 AND idempotency_key = 'one-key'`, [admissionId])).toEqual([{ n: 1 }]);
    });
  });
});
