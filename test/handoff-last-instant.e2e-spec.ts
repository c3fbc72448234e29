import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Bundle, MedicationAdministration, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { readingBytes } from './support/responses.js';
import { bearer, createStaff, staffForEveryRole, type Staff, type StaffForEveryRole } from './support/staff.js';
import { exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * What the handoff tells an outside prescriber about the end of the stay, over HTTP on the real
 * database, in the JSON, the PDF and the FHIR document alike (review of one whole stay, items 3, 5,
 * 7 and the order stopped before its first dose):
 * - stay C: buprenorphine IR 2 mg x 3 (no MME factor) and oxycodone IR 10 mg x 3 (45 MME), both
 *   tapered from 2027-01-04 and given together at 08:00, 14:00 and 20:00 (Asia/Bangkok, +07:00) on
 *   01-04 and 01-05; the oxycodone stopped from 01-06 (life-threatening); discharged on 01-06
 *   before the morning dose. The last instant, 01-05 at 20:00, had both opioids; at discharge
 *   the MME is 0 while buprenorphine 6 mg/day goes on.
 * - an intake oxycodone IR whose only order, signed to start on 01-08, was stopped from 01-06,
 *   before its first dose: none of it was given, as if never ordered.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
const DISCHARGED_ON = '2027-01-06';

type Json = Record<string, unknown>;
const line = (drug: string, formulation: string, dose: number, timesPerDay: number) => ({ drug, formulation, dose, unit: 'mg', timesPerDay, monthsOnTherapy: 8, prescribed: true });
const order = (drug: string, formulation: string, startDailyDose: number, unitStrengths: number[], startDate = ADMITTED_ON): Json => ({
  drug, formulation, startDailyDose, unit: 'mg', unitStrengths, allowHalfTablets: true, reductionPercent: 10, intervalDays: 7, basis: 'START', startDate, targetDailyDose: 0,
});
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Every human-readable text of a FHIR document: narratives, `text` of any element, notes. */
function readableTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(readableTexts);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => ((key === 'div' || key === 'text') && typeof child === 'string' ? [child] : readableTexts(child)));
}

const resourcesOf = <T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] => (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));

describe('the handoff at the end of the stay: the last instant, buprenorphine still taken, the clinic clock, an order that never started', () => {
  let t: TestApp;
  let staff: StaffForEveryRole;
  let witness: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
    witness = await createStaff(t, ['nurse']);
  });
  afterAll(async () => {
    await t.close();
  });

  function setNow(instant: string): void {
    t.clock.advance(new Date(instant).getTime() - t.clock.now().getTime());
  }
  async function sign(admissionId: string, body: Json): Promise<string> {
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body).expect(201);
    return (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId as string;
  }
  const give = (admissionId: string, orderId: string, dose: number, givenAt: string) =>
    t.http
      .post(`${API}/admissions/${admissionId}/administrations`)
      .set(bearer(staff.nurse))
      .send({ orderKind: 'TAPER', orderId, unit: 'mg', dose, givenAt, outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: randomUUID() })
      .expect(201);
  const stop = (orderId: string, body: Json) => t.http.post(`${API}/taper-orders/${orderId}/discontinue`).set(bearer(staff.psychiatrist)).send(body).expect(201);
  const discharge = (admissionId: string) =>
    t.http
      .post(`${API}/admissions/${admissionId}/discharge`)
      .set(bearer(staff.aftercare))
      .send({ dischargedOn: DISCHARGED_ON, outsidePrescriber: { name: 'นพ. วิชัย สุขสวัสดิ์' }, consentToShare: { given: true, recordedOn: DISCHARGED_ON } })
      .expect(201);
  const handoff = (admissionId: string, format?: string) => t.http.get(`${API}/admissions/${admissionId}/handoff`).query(format ? { format } : {}).set(bearer(staff.aftercare));
  async function pdfText(admissionId: string, sample: string): Promise<string> {
    const pdf = (await readingBytes(handoff(admissionId, 'pdf')).expect(200)).body as Buffer;
    if (process.env.HANDOFF_PDF_SAMPLES) writeFileSync(path.join(process.env.HANDOFF_PDF_SAMPLES, `handoff-${sample}.pdf`), pdf);
    return extractPdfText(pdf).replace(/\s+/g, ' ');
  }

  describe('stay C: oxycodone stopped, buprenorphine going on, both given last at the same instant', () => {
    let admissionId: string;
    const TOLERANCE =
      'Opioid tolerance is now lower than at intake (45 MME/day then, 0 MME/day at discharge from the opioids counted in MME; ' +
      'buprenorphine IR 6 mg/day at intake, 6 mg/day at discharge, still taken (no MME factor, so not in the MME figures)). A return to the old dose can cause fatal overdose.';

    beforeAll(async () => {
      setNow('2027-01-05T21:00:00+07:00');
      const intake = exampleIntakeBody({ patient: { givenName: 'สมชาย', familyName: 'ใจดี' }, opioids: [line('buprenorphine', 'IR', 2, 3), line('oxycodone', 'IR', 10, 3)] });
      ({ admissionId } = await admitPatient(t, staff.admissions, intake, ADMITTED_ON));
      const buprenorphine = await sign(admissionId, order('buprenorphine', 'IR', 6, [2]));
      const oxycodone = await sign(admissionId, order('oxycodone', 'IR', 30, [5, 10]));
      for (const day of ['2027-01-04', '2027-01-05']) {
        for (const time of ['08:00', '14:00', '20:00']) {
          // Buprenorphine entered first, oxycodone second: the later entry leads, the other is beside it.
          await give(admissionId, buprenorphine, 2, `${day}T${time}:00+07:00`);
          await give(admissionId, oxycodone, 10, `${day}T${time}:00+07:00`);
        }
      }
      await stop(oxycodone, { effectiveFrom: DISCHARGED_ON, reason: 'Oversedation with buprenorphine on board', lifeThreateningReason: 'Two episodes of RR 8 overnight' });
      setNow('2027-01-06T10:00:00+07:00');
      await discharge(admissionId);
    });

    it('JSON: buprenorphine named beside 0 MME in the first risk and mme.notCounted; lastOpioidDose names both opioids of 20:00', async () => {
      const summary = (await handoff(admissionId).expect(200)).body;

      expect(summary.risks[0]).toEqual({ code: 'TOLERANCE_LOST', message: TOLERANCE });
      expect(summary.mme).toMatchObject({ atIntake: 45, atDischarge: 0, notCounted: [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 6 }] });
      expect(summary.lastOpioidDose).toEqual({
        drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', givenAt: '2027-01-05T13:00:00.000Z', onUntil: null, nextPatch: null,
        alsoGivenThen: [{ drug: 'buprenorphine', formulation: 'IR', dose: 2, unit: 'mg', givenAt: '2027-01-05T13:00:00.000Z', onUntil: null, nextPatch: null }],
      });
    });

    it('PDF: the box names both at the clinic time, the risk and the headline name the buprenorphine with its doses', async () => {
      const text = await pdfText(admissionId, 'e2e-last-instant');

      expect(text).toContain('LAST OPIOID DOSES GIVEN (AT THE SAME TIME) Oxycodone IR 10 mg and Buprenorphine IR 2 mg, given together, on 5 Jan 2027 at 20:00, Asia/Bangkok time (UTC+07:00)');
      expect(text).toContain(TOLERANCE);
      expect(text).toContain('Total daily MME: 45 at intake, 0 at discharge (down 100%); not counted (no MME factor): Buprenorphine IR 6 mg/day at intake, 6 mg/day at discharge, still taken');
      expect(text).toContain('สมชาย ใจดี');
    });

    it('FHIR: one MedicationAdministration per opioid of that instant under its own taper; narrative on the clinic clock; dateTimes ISO', async () => {
      const bundle = JSON.parse((await handoff(admissionId, 'fhir').expect(200)).text) as Bundle;
      const administrations = resourcesOf<MedicationAdministration>(bundle, 'MedicationAdministration');
      const requests = new Map(resourcesOf<MedicationRequest>(bundle, 'MedicationRequest').map((r) => [`urn:uuid:${r.id}`, r]));

      expect(administrations.map((a) => [a.medicationCodeableConcept?.text, a.effectiveDateTime, a.dosage?.dose?.value, requests.get(a.request?.reference ?? '')?.medicationCodeableConcept?.text])).toEqual([
        ['Oxycodone immediate-release', '2027-01-05T13:00:00.000Z', 10, 'Oxycodone immediate-release'],
        ['Buprenorphine immediate-release', '2027-01-05T13:00:00.000Z', 2, 'Buprenorphine immediate-release'],
      ]);
      const texts = readableTexts(bundle);
      expect(texts.filter((text) => ISO_INSTANT.test(text))).toEqual([]);
      const narratives = texts.join(' ');
      expect(narratives).toContain('Last opioid doses given, at the same time: Oxycodone immediate-release 10 mg and Buprenorphine immediate-release 2 mg on 5 Jan 2027 at 20:00, Asia/Bangkok time (UTC+07:00).');
      expect(narratives).toContain(TOLERANCE);
      expect(narratives).toContain('Not counted (no MME factor): Buprenorphine immediate-release 6 mg per day at intake, 6 mg per day at discharge, still taken.');
    });
  });

  describe('an intake opioid whose only order was stopped before its first dose', () => {
    let admissionId: string;
    const REASON = 'Sedated on the ER alone: the IR is not needed.';
    const STOPPED =
      'its taper order was stopped before its first dose (from 2027-01-06: Sedated on the ER alone: the IR is not needed), so none was given by the clinic since 2027-01-04. ' +
      'Tolerance to it is lost: do not restart it at the intake dose (20 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';

    beforeAll(async () => {
      setNow('2027-01-05T10:00:00+07:00');
      const intake = exampleIntakeBody({ patient: { givenName: 'มะลิ', familyName: 'ศรีสุข' }, opioids: [line('oxycodone', 'ER', 20, 2), line('oxycodone', 'IR', 10, 2)] });
      ({ admissionId } = await admitPatient(t, staff.admissions, intake, ADMITTED_ON));
      await sign(admissionId, order('oxycodone', 'ER', 40, [10, 20]));
      const ir = await sign(admissionId, order('oxycodone', 'IR', 20, [5, 10], '2027-01-08'));
      // Not started: stopping it is not abrupt.
      await stop(ir, { effectiveFrom: DISCHARGED_ON, reason: REASON });
      setNow('2027-01-06T10:00:00+07:00');
      await discharge(admissionId);
    });

    it('reads as stopped at admission in the JSON, the PDF and the FHIR, with the stop and why; counted on the admission day only', async () => {
      const summary = (await handoff(admissionId).expect(200)).body;
      expect(summary.tapers.map((taper: Json) => taper.formulation)).toEqual(['ER']);
      expect(summary.intake.opioids[1]).toMatchObject({
        orderedDuringStay: false,
        stoppedAtAdmission: { on: ADMITTED_ON, text: `Stopped at admission: ${STOPPED}`, orderStoppedBeforeFirstDose: { from: DISCHARGED_ON, reason: REASON } },
      });
      expect(summary.mme.daily).toEqual([{ date: '2027-01-04', mme: 90 }, { date: '2027-01-05', mme: 60 }, { date: '2027-01-06', mme: 60 }]);
      expect(summary.risks).toContainEqual({ code: 'STOPPED_AT_ADMISSION', message: `Oxycodone IR was stopped at admission: ${STOPPED}` });

      const text = await pdfText(admissionId, 'e2e-order-stopped-before-first-dose');
      expect(text).toContain('Oxycodone IR 10 mg x 2/day (20 mg/day, 30 MME), stopped at admission (its order stopped before its first dose, none given).');
      expect(text).toContain('its taper order was stopped before its first dose (from 6 Jan 2027: Sedated on the ER alone: the IR is not needed), so none was given by the clinic; tolerance to it is lost');
      expect(text).not.toContain('never ordered');

      const bundle = JSON.parse((await handoff(admissionId, 'fhir').expect(200)).text) as Bundle;
      const statement = resourcesOf<MedicationStatement>(bundle, 'MedicationStatement').find((s) => s.medicationCodeableConcept?.text === 'Oxycodone immediate-release');
      expect(statement).toMatchObject({
        status: 'stopped',
        statusReason: [{ text: 'Stopped at admission: its taper order was stopped before its first dose (from 2027-01-06: Sedated on the ER alone: the IR is not needed), so none was given by the clinic.' }],
      });
    });
  });
});
