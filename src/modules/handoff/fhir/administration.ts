/** The last opioid dose given, as a FHIR R4 MedicationAdministration (domain.md §8a, §11). */
import type { MedicationAdministration, MedicationRequest, Reference } from '@medplum/fhirtypes';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, medicationName, quantity, routeOf } from './datatypes.js';
import type { HandoffLastDose, HandoffSummary } from '../handoff-summary.js';

/**
 * The dose as given: completed at `givenAt`, for the patient in this stay, under the taper of the
 * same product (its MedicationRequest) when the document has one.
 */
export function lastDoseAdministrationOf(ctx: Ctx, dose: HandoffLastDose, request: Reference<MedicationRequest> | undefined): MedicationAdministration {
  const name = medicationName(dose.drug, dose.formulation ?? undefined);
  return {
    resourceType: 'MedicationAdministration',
    status: 'completed',
    category: { text: 'Opioid taper: last dose given' },
    medicationCodeableConcept: { text: name },
    subject: ctx.patient,
    context: ctx.encounter,
    effectiveDateTime: dose.givenAt,
    ...(request === undefined ? {} : { request }),
    note: [annotation("The last opioid dose given during the stay, from the clinic's administration record.")],
    dosage: {
      text: `${name} ${dose.dose} ${dose.unit}`,
      ...routeOf(dose.formulation === 'TRANSDERMAL' ? 'TRANSDERMAL' : 'ORAL'),
      dose: quantity(dose.dose, dose.unit),
    },
  };
}

/** The narrative line of the last dose, or that there is none. */
export function lastDoseText(summary: HandoffSummary): string {
  const dose = summary.lastOpioidDose;
  if (dose === null) return 'Last opioid dose given: no opioid dose recorded during this stay.';
  return `Last opioid dose given: ${medicationName(dose.drug, dose.formulation ?? undefined)} ${dose.dose} ${dose.unit} at ${dose.givenAt}.`;
}
