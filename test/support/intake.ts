import type { TestApp } from './test-app.js';
import { bearer, type Staff } from './staff.js';

type Json = Record<string, unknown>;

/** A complete, valid intake assessment body (api.md), overridable section by section. */
export function assessmentBody(overrides: Partial<Record<'patient' | 'opioids' | 'dsm5' | 'pain' | 'medical' | 'social', unknown>> & Json = {}): Json {
  const { patient, dsm5, pain, medical, social, ...rest } = overrides;
  return {
    patient: { givenName: 'Mali', familyName: 'Srisuk', dateOfBirth: '1971-03-09', sex: 'female', ...(patient as Json) },
    opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 30, prescribed: true }],
    takenAsPrescribed: true,
    dsm5: {
      largerOrLonger: false, cutDownAttempts: true, timeSpent: false, craving: false, roleFailure: false, socialProblems: false,
      activitiesGivenUp: false, hazardousUse: false, useDespiteHarm: false, tolerance: true, withdrawal: true,
      ...(dsm5 as Json),
    },
    pain: { condition: 'POST_SURGICAL', score: 7, spreadBeyondOriginalSite: false, worseBetweenDoses: false, ...(pain as Json) },
    medical: {
      cardiacDisease: false, respiratoryDisease: false, hepaticImpairment: false, renalImpairment: false, giBleedHistory: false,
      heartFailure: false, anticoagulants: false, pregnant: false, benzodiazepineUse: false, heavyAlcoholUse: false, seizureHistory: false,
      ...(medical as Json),
    },
    social: { prescriberWillingToTaper: true, stableHousehold: true, failedHomeTaperAttempts: 0, ...(social as Json) },
    // Tests admit "Mali Srisuk, born 1971-03-09" many times over, each a new person unless a
    // patientId says otherwise; the duplicate-patient check has its own tests (patients.e2e-spec.ts).
    confirmNewPatient: true,
    ...rest,
  };
}

export async function createEnquiry(t: TestApp, admissions: Staff, overrides: Json = {}): Promise<Json & { id: string }> {
  const response = await t.http
    .post('/api/v1/enquiries')
    .set(bearer(admissions))
    .send({ contactName: 'Anna Keller', relationship: 'FAMILY', contactPhone: '+66 81 555 0101', ...overrides })
    .expect(201);
  return response.body;
}

/**
 * Enquiry → assessment → triage → admission through the API. The default assessment triages to
 * ONSITE_TAPER (pain 7 rules out the outpatient pathway).
 */
export async function admitPatient(t: TestApp, admissions: Staff, body: Json = assessmentBody(), admittedOn = '2027-01-04'): Promise<{ enquiryId: string; patientId: string; admissionId: string }> {
  const enquiry = await createEnquiry(t, admissions);
  // Assessed on the day of admission when that day has come (a stay starts on or after its intake), else today.
  const assessedOn = body.assessedOn ?? (admittedOn < t.clock.today(t.config.clinicTimeZone) ? admittedOn : undefined);
  const assessment = await t.http.post(`/api/v1/enquiries/${enquiry.id}/assessment`).set(bearer(admissions)).send({ ...body, assessedOn }).expect(201);
  await t.http.post(`/api/v1/enquiries/${enquiry.id}/triage`).set(bearer(admissions)).expect(201);
  const admission = await t.http.post(`/api/v1/enquiries/${enquiry.id}/admissions`).set(bearer(admissions)).send({ admittedOn }).expect(201);
  return { enquiryId: enquiry.id, patientId: assessment.body.patientId as string, admissionId: admission.body.id as string };
}
