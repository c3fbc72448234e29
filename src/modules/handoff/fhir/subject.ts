/** The resources every section points at: the clinic, the patient, the stay and the two conditions. */
import type { Condition, Encounter, Organization, Patient, Reference } from '@medplum/fhirtypes';
import { clinicName } from '../../../common/clinic/clinic-contact.js';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, conditionCategory, conditionClinical, conditionVerification, HL7, nonEmpty, telecomOf, UCUM, uuidIdentifier } from './datatypes.js';
import { painConditionText, type HandoffSummary } from '../handoff-summary.js';
import { formatClinicTime } from '../clinic-time.js';

export function sharedResources(summary: HandoffSummary, add: Ctx['add'], timeZone: string): Ctx {
  const clinic = add(clinicOf(summary));
  const patient = add(patientOf(summary, clinic));
  const encounter = add(encounterOf(summary, patient, clinic));
  const pain = add(painConditionOf(summary, patient));
  const dependence = add(dependenceOf(summary, patient, encounter));
  return { summary, time: (iso) => formatClinicTime(iso, timeZone), add, patient, clinic, encounter, pain, dependence };
}

function clinicOf({ clinic }: HandoffSummary): Organization {
  return {
    resourceType: 'Organization',
    name: clinicName(clinic),
    ...nonEmpty('telecom', telecomOf(clinic.phone, clinic.email)),
    ...nonEmpty('address', clinic.address.length > 0 ? [{ line: clinic.address, text: clinic.address.join(', ') }] : []),
  };
}

/**
 * The namespace of the clinic's hospital numbers. The identifier's assigner names the clinic; a
 * clinic that publishes its own identifier system URL would put it here.
 */
export const HN_IDENTIFIER_SYSTEM = 'urn:x-clinic:patient-hn';

const GENDERS: Record<string, Patient['gender']> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' };

function patientOf({ patient, clinic }: HandoffSummary, clinicRef: Reference<Organization>): Patient {
  return {
    resourceType: 'Patient',
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: `${HL7}/v2-0203`, code: 'MR', display: 'Medical record number' }], text: 'Clinic patient id' },
        ...uuidIdentifier(patient.id),
        assigner: { ...clinicRef, display: clinicName(clinic) },
      },
      {
        use: 'official',
        type: { coding: [{ system: `${HL7}/v2-0203`, code: 'MR', display: 'Medical record number' }], text: 'Hospital number (HN)' },
        system: HN_IDENTIFIER_SYSTEM,
        value: patient.hn,
        assigner: { ...clinicRef, display: clinicName(clinic) },
      },
    ],
    name: [{ use: 'official', family: patient.familyName, given: [patient.givenName] }],
    gender: GENDERS[patient.sex] ?? 'unknown',
    birthDate: patient.dateOfBirth,
    managingOrganization: clinicRef,
  };
}

const PATHWAYS: Record<string, string> = {
  HOSPITAL_DETOX_FIRST: 'Partner-hospital detox, then the residential taper programme',
  ONSITE_TAPER: 'Residential taper programme (on-site taper)',
  OUTPATIENT_TAPER: 'Outpatient taper',
};

function encounterOf({ stay }: HandoffSummary, patient: Reference<Patient>, clinic: Reference<Organization>): Encounter {
  const transferred = { coding: [{ system: `${HL7}/admit-source`, code: 'hosp-trans', display: 'Transferred from other hospital' }] };
  return {
    resourceType: 'Encounter',
    identifier: [uuidIdentifier(stay.admissionId)],
    status: 'finished',
    class: { system: `${HL7}/v3-ActCode`, code: 'NONAC', display: 'inpatient non-acute' },
    type: [{ text: PATHWAYS[stay.pathway] ?? stay.pathway }],
    subject: patient,
    period: { start: stay.admittedOn, end: stay.dischargedOn },
    length: { value: stay.days, unit: 'days', system: UCUM, code: 'd' },
    ...(stay.viaPartnerHospital ? { hospitalization: { admitSource: transferred } } : {}),
    serviceProvider: clinic,
  };
}

function painConditionOf({ intake }: HandoffSummary, patient: Reference<Patient>): Condition {
  const notes = [`Pain score ${intake.pain.score}/10 at intake (${intake.assessedOn}).`];
  if (intake.hyperalgesiaSuspected) {
    notes.push('Signs of possible opioid-induced hyperalgesia at intake: a suspicion to look into, not a diagnosis.');
  }
  return {
    resourceType: 'Condition',
    clinicalStatus: conditionClinical('active'),
    verificationStatus: conditionVerification('confirmed'),
    category: [conditionCategory('problem-list-item', 'Problem List Item')],
    code: { text: painConditionText(intake.pain.condition) },
    subject: patient,
    recordedDate: intake.assessedOn,
    note: notes.map((text) => annotation(text)),
  };
}

const DEPENDENCE_LABELS: Record<string, string> = {
  PHYSICAL_DEPENDENCE: 'Physical dependence on opioids (not opioid use disorder)',
  OPIOID_USE_DISORDER: 'Opioid use disorder',
  NO_DEPENDENCE_FOUND: 'Opioid dependence',
};

/** The DSM-5 classification at intake, in the careful wording of domain.md §4. */
function dependenceOf({ intake }: HandoffSummary, patient: Reference<Patient>, encounter: Reference<Encounter>): Condition {
  const { classification, dsm5 } = intake;
  const excluded = dsm5.excluded.length > 0 ? `; not counted: ${dsm5.excluded.join(', ')}` : '';
  return {
    resourceType: 'Condition',
    clinicalStatus: conditionClinical('active'),
    verificationStatus: conditionVerification(classification === 'NO_DEPENDENCE_FOUND' ? 'refuted' : 'confirmed'),
    category: [conditionCategory('encounter-diagnosis', 'Encounter Diagnosis')],
    ...(classification === 'OPIOID_USE_DISORDER' ? { severity: { text: dsm5.severity.toLowerCase() } } : {}),
    code: { text: DEPENDENCE_LABELS[classification] ?? classification },
    subject: patient,
    encounter,
    recordedDate: intake.assessedOn,
    note: [annotation(intake.classificationText), annotation(`DSM-5: ${dsm5.criteriaMet} criteria met, ${dsm5.criteriaCounted} counted${excluded}.`)],
  };
}

// ---------------------------------------------------------------------------------------------
// Risks
