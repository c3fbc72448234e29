import type { Condition, Encounter, Organization, Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { HandoffSummary } from '../handoff-summary.js';

/** What every section builder needs: the summary, a way to add entries, and the shared resources. */
export interface HandoffFhirContext {
  summary: HandoffSummary;
  /** An instant as the narrative prints it: on the clinic's clock with the zone named, as the PDF does (clinic-time.ts). */
  time(iso: string): string;
  add<T extends Resource>(resource: T): Reference<T>;
  patient: Reference<Patient>;
  clinic: Reference<Organization>;
  encounter: Reference<Encounter>;
  dependence: Reference<Condition>;
  pain: Reference<Condition>;
}
