import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Bundle, MedicationStatement } from '@medplum/fhirtypes';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { readingBytes } from './support/responses.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The handoff never overstates the patient's tolerance (domain.md §11): nothing is given in the
 * clinic without an order, so an intake opioid no order of the stay covered was stopped at
 * admission. Over HTTP on the real database: the JSON, the PDF and the FHIR document all say so,
 * and its intake dose counts on the admission day only, never at discharge.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';

type Json = Record<string, unknown>;
const line = (drug: string, formulation: string, dose: number, timesPerDay: number, unit = 'mg') => ({ drug, formulation, dose, unit, timesPerDay, monthsOnTherapy: 24, prescribed: true });

describe('the handoff of an intake opioid never ordered during the stay', () => {
  let t: TestApp;
  let staff: Record<'admissions' | 'psychiatrist' | 'aftercare', Staff>;

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
  async function sign(admissionId: string, body: Json): Promise<void> {
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body).expect(201);
    await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200);
  }
  const discharge = (admissionId: string, dischargedOn: string) =>
    t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare))
      .send({ dischargedOn, outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: dischargedOn } });
  const handoff = (admissionId: string, format?: string) => t.http.get(`${API}/admissions/${admissionId}/handoff`).query(format ? { format } : {}).set(bearer(staff.aftercare));
  const pdfText = async (admissionId: string) => extractPdfText((await readingBytes(handoff(admissionId, 'pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
  const statementsOf = (text: string): MedicationStatement[] =>
    ((JSON.parse(text) as Bundle).entry ?? []).flatMap((e) => (e.resource?.resourceType === 'MedicationStatement' ? [e.resource] : []));

  const STOPPED_TEXT =
    'not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: do not restart it at the intake dose (20 mg/day); ' +
    'if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';

  it('stops it at admission in the JSON, the PDF and the FHIR: counted on the admission day only, not at discharge', async () => {
    // Oxycodone ER 20 mg twice a day (60 MME) is tapered from the admission day; the IR 10 mg twice a day (30 MME) is never ordered.
    const body = exampleIntakeBody({ patient: { givenName: 'สมชาย', familyName: 'ใจดี' }, opioids: [line('oxycodone', 'ER', 20, 2), line('oxycodone', 'IR', 10, 2)] });
    const { admissionId } = await admitPatient(t, staff.admissions, body, ADMITTED_ON);
    await sign(admissionId, apiExampleOrder({ formulation: 'ER', startDailyDose: 40, unitStrengths: [10, 20] }));
    setToday('2027-01-07');
    await discharge(admissionId, '2027-01-07').expect(201);

    const summary = (await handoff(admissionId).expect(200)).body;
    expect(summary.intake.opioids.map((o: Json) => [o.formulation, o.orderedDuringStay, o.stoppedAtAdmission])).toEqual([
      ['ER', true, null],
      ['IR', false, { on: ADMITTED_ON, text: `Stopped at admission: ${STOPPED_TEXT}`, orderStoppedBeforeFirstDose: null }],
    ]);
    expect(summary.mme).toEqual({
      atIntake: 90,
      atTaperStart: 60,
      atDischarge: 60,
      daily: [{ date: '2027-01-04', mme: 90 }, { date: '2027-01-05', mme: 60 }, { date: '2027-01-06', mme: 60 }, { date: '2027-01-07', mme: 60 }],
      notCounted: [],
    });
    expect(summary.risks.slice(0, 4)).toEqual([
      { code: 'TOLERANCE_LOST', message: 'Opioid tolerance is now much lower than at intake (90 MME/day then, 60 MME/day at discharge). A return to the old dose can cause fatal overdose.' },
      expect.objectContaining({ code: 'DO_NOT_RESTART_AT_OLD_DOSE' }),
      expect.objectContaining({ code: 'NALOXONE' }),
      { code: 'STOPPED_AT_ADMISSION', message: `Oxycodone IR was stopped at admission: ${STOPPED_TEXT}` },
    ]);

    const text = await pdfText(admissionId);
    // The PDF prints the sentence's date as its pages do.
    expect(text).toContain(`Oxycodone IR was stopped at admission: ${STOPPED_TEXT.replace('since 2027-01-04', 'since 4 Jan 2027')}`);
    expect(text).toContain('Total daily MME: 90 at intake, 60 at discharge (down 33%); Oxycodone IR stopped at admission');
    expect(text).toContain('Oxycodone IR 10 mg x 2/day (20 mg/day, 30 MME), stopped at admission (never ordered, none given).');
    expect(text).toContain('STOPPED DURING THE STAY • Oxycodone IR 10 mg x 2/day (20 mg/day, 30 MME), stopped at admission (4 Jan 2027): never ordered during the stay, so none was given by the clinic; tolerance to it is lost');
    expect(text).toContain('Oxycodone IR (30 MME at intake) was never ordered, so none was given by the clinic; counted on the admission day only (4 Jan 2027, the day the patient arrived on it), not after.');
    expect(text).not.toContain('counted in the MME at its intake dose');
    expect(text).toContain('สมชาย ใจดี');

    const statements = statementsOf((await handoff(admissionId, 'fhir').expect(200)).text);
    expect(statements.map((s) => [s.medicationCodeableConcept?.text, s.status])).toEqual([
      ['Oxycodone extended-release', 'completed'],
      ['Oxycodone immediate-release', 'stopped'],
    ]);
    expect(statements[1]).toMatchObject({
      statusReason: [{ text: 'Stopped at admission: not ordered during the stay, so none was given by the clinic.' }],
      effectivePeriod: { end: ADMITTED_ON },
      note: expect.arrayContaining([{ text: `Stopped at admission: ${STOPPED_TEXT}`, time: ADMITTED_ON }]),
    });
  });
});
