/** The last opioid dose given, as FHIR R4 MedicationAdministrations (domain.md §8a, §11). */
import type { MedicationAdministration, MedicationRequest, Reference } from '@medplum/fhirtypes';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, medicationName, quantity, routeOf } from './datatypes.js';
import type { HandoffOpioidDose, HandoffSummary } from '../handoff-summary.js';

/** Every dose of the last instant: the last dose and those given with it, one MedicationAdministration each. */
export function lastDosesOf(summary: HandoffSummary): HandoffOpioidDose[] {
  const last = summary.lastOpioidDose;
  return last === null ? [] : [last, ...last.alsoGivenThen];
}

/**
 * The dose as given: completed at `givenAt`, for the patient in this stay, under the taper of the
 * same product (its MedicationRequest) when the document has one. A patch is given over the time
 * it is worn (effectivePeriod), in progress while it is still on when the document is made. A dose
 * given at the same instant as another opioid names the other in a note.
 */
export function lastDoseAdministrationOf(ctx: Ctx, dose: HandoffOpioidDose, request: Reference<MedicationRequest> | undefined): MedicationAdministration {
  const name = medicationName(dose.drug, dose.formulation ?? undefined);
  const worn = dose.onUntil !== null && Date.parse(dose.onUntil) > Date.parse(ctx.summary.generatedAt);
  const patch = patchSentence(ctx, dose);
  const others = lastDosesOf(ctx.summary).filter((other) => other !== dose);
  const together = others.length === 0 ? [] : [annotation(`Given at the same time as ${others.map(doseName).join(' and ')}: together, the last opioid doses given.`)];
  return {
    resourceType: 'MedicationAdministration',
    status: worn ? 'in-progress' : 'completed',
    category: { text: 'Opioid taper: last dose given' },
    medicationCodeableConcept: { text: name },
    subject: ctx.patient,
    context: ctx.encounter,
    ...(dose.onUntil === null ? { effectiveDateTime: dose.givenAt } : { effectivePeriod: { start: dose.givenAt, end: dose.onUntil } }),
    ...(request === undefined ? {} : { request }),
    note: [annotation("The last opioid dose given during the stay, from the clinic's administration record."), ...together, ...(patch ? [annotation(patch)] : [])],
    dosage: {
      text: doseName(dose),
      ...routeOf(dose.formulation === 'TRANSDERMAL' ? 'TRANSDERMAL' : 'ORAL'),
      dose: quantity(dose.dose, dose.unit),
    },
  };
}

/**
 * The narrative line of the last dose on the clinic's clock, every product given at that instant
 * named, or that there is none.
 */
export function lastDoseText(ctx: Ctx): string {
  const doses = lastDosesOf(ctx.summary);
  const [first] = doses;
  if (first === undefined) return 'Last opioid dose given: no opioid dose recorded during this stay.';
  const patches = doses.map((dose) => patchSentence(ctx, dose)).filter(Boolean);
  const label = doses.length === 1 ? 'Last opioid dose given' : 'Last opioid doses given, at the same time';
  return `${label}: ${doses.map(doseName).join(' and ')} on ${ctx.time(first.givenAt)}.${patches.map((patch) => ` ${patch}`).join('')}`;
}

/** "Oxycodone immediate-release 35 mg". */
const doseName = (dose: HandoffOpioidDose): string => `${medicationName(dose.drug, dose.formulation ?? undefined)} ${dose.dose} ${dose.unit}`;

/**
 * "Fentanyl transdermal patch: worn 72 hours, until 8 Dec 2026 at 12:30, Asia/Bangkok time
 * (UTC+07:00); the next patch, 37.5 mcg/h, is due then, not before." Empty for a dose by mouth.
 */
function patchSentence(ctx: Ctx, dose: HandoffOpioidDose): string {
  if (dose.onUntil === null) return '';
  const hours = Math.round((Date.parse(dose.onUntil) - Date.parse(dose.givenAt)) / 3_600_000);
  const worn = `${medicationName(dose.drug, dose.formulation ?? undefined)}: worn ${hours} hours, until ${ctx.time(dose.onUntil)}`;
  if (dose.nextPatch === null) return `${worn}.`;
  if (dose.nextPatch.dose === 0) return `${worn}; no new patch then: the taper stops.`;
  return `${worn}; the next patch, ${dose.nextPatch.dose} ${dose.unit}, is due then, not before.`;
}
