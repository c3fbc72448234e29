import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { bearer, createStaff, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Dates of discharge, consent and check-ins must fit the stay and the calendar. */
describe('aftercare dates', () => {
  let t: TestApp;
  let clerk: Staff;
  let coordinator: Staff;
  const today = () => t.clock.today(t.config.clinicTimeZone);
  const body = (dischargedOn: string, consentOn: string) => ({
    dischargedOn,
    outsidePrescriber: { name: 'Dr. Hannah Weber' },
    consentToShare: { given: true, recordedOn: consentOn },
  });
  beforeAll(async () => {
    t = await startTestApp();
    [clerk, coordinator] = await Promise.all([createStaff(t, ['admissions']), createStaff(t, ['aftercare'])]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no aftercare plan before discharge, and the admission shows its discharge date after', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    expect((await t.http.get(`/api/v1/admissions/${admissionId}/aftercare`).set(bearer(coordinator)).expect(409)).body.code).toBe('NOT_DISCHARGED');
    await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), today())).expect(201);
    const admission = await t.http.get(`/api/v1/admissions/${admissionId}`).set(bearer(clerk)).expect(200);
    expect(admission.body).toMatchObject({ status: 'DISCHARGED', dischargedOn: today() });
  });

  it('refuses a consent recorded before the patient arrived', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const response = await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), '2026-08-31')).expect(422);
    expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'consentToShare.recordedOn', reason: 'must not be before 2026-09-01' }] });
  });

  it('marks a check-in missed only once it is due (done may come early)', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const discharged = await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), today())).expect(201);
    const first = discharged.body.checkIns[0];
    const missed = await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(422);
    expect(missed.body.code).toBe('NOT_DUE_YET');
    await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'DONE', notes: 'Called two days early.' }).expect(200);
    t.clock.advance(8 * 24 * 3600 * 1000);
    const second = discharged.body.checkIns[1];
    await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(200);
    await t.http.patch(`/api/v1/aftercare/check-ins/${second.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(422);
  });
});
