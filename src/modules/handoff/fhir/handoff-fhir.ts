/**
 * The handoff summary as a FHIR R4 document (domain.md §11): a `Bundle` of type `document` whose
 * first entry is the `Composition` (LOINC 18842-5, discharge summary) and whose other entries are
 * everything the Composition points at. Pure: the instant comes from `summary.generatedAt` and
 * ids from `ids.newId`, so the same summary and id sequence give the same JSON.
 *
 * Every resource travels in the bundle with a `urn:uuid:` fullUrl and every reference is that
 * fullUrl, so the document stands alone. Codes are LOINC/UCUM/HL7 where a standard code exists
 * and plain `text` otherwise (COWS has no LOINC code; drugs are not mapped to RxNorm).
 */
import type { Bundle, BundleEntry, Composition, CompositionSection, Organization, Practitioner, PractitionerRole, Reference, Resource } from '@medplum/fhirtypes';
import { clinicName, clinicReach } from '../../../common/clinic/clinic-contact.js';
import { withPrintedDates } from '../../../common/pdf/display-format.js';
import type { HandoffFhirContext as Ctx } from './context.js';
import { aftercareSection, findingsSection } from './course.js';
import { loinc, narrative, nonEmpty, p, telecomOf, ul, URI } from './datatypes.js';
import { historySection, painPlanSection, taperSection } from './medication.js';
import { sharedResources } from './subject.js';
import type { HandoffSummary } from '../handoff-summary.js';

export interface HandoffBundleIds {
  /** The document's identity: Bundle.id and Bundle.identifier (urn:uuid:<bundleId>). */
  bundleId: string;
  /** A fresh UUID for each resource, called in a fixed order. */
  newId: () => string;
}

/** How the narrative prints instants: on the clinic's clock (an IANA zone), as the PDF does. */
interface HandoffFhirOptions {
  timeZone: string;
}

export function buildHandoffBundle(summary: HandoffSummary, ids: HandoffBundleIds, options: HandoffFhirOptions): Bundle {
  const entries: BundleEntry[] = [];
  const add = <T extends Resource>(resource: T): Reference<T> => {
    const id = ids.newId();
    const fullUrl = `urn:uuid:${id}`;
    entries.push({ fullUrl, resource: withId(resource, id) });
    return { reference: fullUrl };
  };
  // The Composition's id comes first so the ids follow the entry order.
  const compositionId = ids.newId();
  const ctx = sharedResources(summary, add, options.timeZone);
  const composition = withId(compositionOf(ctx, sectionsOf(ctx)), compositionId);
  return {
    resourceType: 'Bundle',
    id: ids.bundleId,
    identifier: { system: URI, value: `urn:uuid:${ids.bundleId}` },
    type: 'document',
    timestamp: summary.generatedAt,
    entry: [{ fullUrl: `urn:uuid:${compositionId}`, resource: composition }, ...entries],
  };
}

/** The resource with its id right after resourceType, where a reader looks for it. */
function withId<T extends Resource>(resource: T, id: string): T {
  const { resourceType, ...rest } = resource;
  return { resourceType, id, ...rest } as T;
}

/** Risks first: the one thing a busy prescriber must not miss. */
function sectionsOf(ctx: Ctx): CompositionSection[] {
  return [risksSection(ctx), historySection(ctx), taperSection(ctx), painPlanSection(ctx), findingsSection(ctx), aftercareSection(ctx), handoffSection(ctx)];
}

function compositionOf(ctx: Ctx, section: CompositionSection[]): Composition {
  const { patient, stay } = ctx.summary;
  return {
    resourceType: 'Composition',
    status: 'final',
    type: loinc('18842-5', 'Discharge summary'),
    subject: { ...ctx.patient, display: `${patient.givenName} ${patient.familyName}` },
    encounter: ctx.encounter,
    date: ctx.summary.generatedAt,
    author: [{ ...ctx.clinic, display: clinicName(ctx.summary.clinic) }],
    title: `Discharge summary and handoff to the next prescriber (stay ${stay.admittedOn} to ${stay.dischargedOn})`,
    // Records of treatment for substance dependence are specially protected (domain.md §11).
    confidentiality: 'R',
    custodian: { ...ctx.clinic, display: clinicName(ctx.summary.clinic) },
    section,
  };
}


function risksSection({ summary }: Ctx): CompositionSection {
  return {
    title: 'Risks for the next prescriber',
    code: loinc('8653-8', 'Hospital discharge instructions'),
    text: narrative(ul(summary.risks.map((risk) => withPrintedDates(risk.message)))),
  };
}

function handoffSection(ctx: Ctx): CompositionSection {
  const { recipient, consent, clinic } = ctx.summary;
  const practitioner = ctx.add(recipientOf(ctx));
  const practice = recipient.practice === null ? [] : recipientPracticeOf(ctx, practitioner, recipient.practice);
  const reach = [recipient.practice, recipient.phone, recipient.email].filter((x): x is string => x !== null);
  const contact = [...clinic.address, clinicReach(clinic)];
  return {
    title: 'Handoff: recipient and consent',
    code: { text: 'Handoff recipient and consent to share' },
    text: narrative(
      p(`Prepared for ${recipient.name}${reach.length > 0 ? ` (${reach.join('; ')})` : ''}.`),
      p(`The patient gave written consent on ${consent.recordedOn} to share this summary with this named recipient.`),
      p(`Questions: ${clinicName(clinic)}, ${contact.join(', ')}.`),
    ),
    entry: [{ ...practitioner, display: recipient.name }, ...practice, { ...ctx.clinic, display: clinicName(clinic) }],
  };
}

function recipientOf({ summary }: Ctx): Practitioner {
  const { recipient } = summary;
  return {
    resourceType: 'Practitioner',
    name: [{ text: recipient.name }],
    ...nonEmpty('telecom', telecomOf(recipient.phone, recipient.email)),
  };
}

/** The practice as an Organization and the recipient's role in it. */
function recipientPracticeOf(ctx: Ctx, practitioner: Reference<Practitioner>, practice: string): Reference<Resource>[] {
  const { recipient } = ctx.summary;
  const organization = ctx.add<Organization>({ resourceType: 'Organization', name: practice });
  const role = ctx.add<PractitionerRole>({
    resourceType: 'PractitionerRole',
    practitioner,
    organization,
    code: [{ text: 'Prescriber after discharge' }],
    ...nonEmpty('telecom', telecomOf(recipient.phone, recipient.email)),
  });
  return [role, { ...organization, display: practice }];
}

// ---------------------------------------------------------------------------------------------
