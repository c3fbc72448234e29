/** The last opioid dose given, as a FHIR R4 MedicationAdministration (domain.md §8a, §11). */
import type { MedicationAdministration, MedicationRequest, Reference } from '@medplum/fhirtypes';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, medicationName, quantity, routeOf } from './datatypes.js';
import type { HandoffLastDose, HandoffSummary } from '../handoff-summary.js';

/**
 * The dose as given: completed at `givenAt`, for the patient in this stay, under the taper of the
 * same product (its MedicationRequest) when the document has one. A patch is given over the time
 * it is worn (effectivePeriod), in progress while it is still on when the document is made.
 */
export function lastDoseAdministrationOf(ctx: Ctx, dose: HandoffLastDose, request: Reference<MedicationRequest> | undefined): MedicationAdministration {
  const name = medicationName(dose.drug, dose.formulation ?? undefined);
  const worn = dose.onUntil !== null && Date.parse(dose.onUntil) > Date.parse(ctx.summary.generatedAt);
  const patch = patchSentence(dose);
  return {
    resourceType: 'MedicationAdministration',
    status: worn ? 'in-progress' : 'completed',
    category: { text: 'Opioid taper: last dose given' },
    medicationCodeableConcept: { text: name },
    subject: ctx.patient,
    context: ctx.encounter,
    ...(dose.onUntil === null ? { effectiveDateTime: dose.givenAt } : { effectivePeriod: { start: dose.givenAt, end: dose.onUntil } }),
    ...(request === undefined ? {} : { request }),
    note: [annotation("The last opioid dose given during the stay, from the clinic's administration record."), ...(patch ? [annotation(patch)] : [])],
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
  const patch = patchSentence(dose);
  return `Last opioid dose given: ${medicationName(dose.drug, dose.formulation ?? undefined)} ${dose.dose} ${dose.unit} at ${dose.givenAt}.${patch ? ` ${patch}` : ''}`;
}

/** "Patch worn 72 hours, until 2026-12-08T05:30:00.000Z; the next patch, 37.5 mcg/h, is due then, not before." Empty for a dose by mouth. */
function patchSentence(dose: HandoffLastDose): string {
  if (dose.onUntil === null) return '';
  const hours = Math.round((Date.parse(dose.onUntil) - Date.parse(dose.givenAt)) / 3_600_000);
  const worn = `Patch worn ${hours} hours, until ${dose.onUntil}`;
  if (dose.nextPatch === null) return `${worn}.`;
  if (dose.nextPatch.dose === 0) return `${worn}; no new patch then: the taper stops.`;
  return `${worn}; the next patch, ${dose.nextPatch.dose} ${dose.unit}, is due then, not before.`;
}
