/** Small FHIR R4 data-type builders and the XHTML narrative shared by the handoff document's sections. */
import type { Annotation, CodeableConcept, CompositionSection, ContactPoint, Dosage, Identifier, Quantity, Ratio, Reference } from '@medplum/fhirtypes';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';
export const URI = 'urn:ietf:rfc:3986';
export const HL7 = 'http://terminology.hl7.org/CodeSystem';

// Small builders

/** A section's entries, or why it has none (FHIR forbids an empty array). */
export function entriesOf(entry: Reference[]): Pick<CompositionSection, 'entry' | 'emptyReason'> {
  if (entry.length > 0) return { entry };
  return { emptyReason: { coding: [{ system: `${HL7}/list-empty-reason`, code: 'nilknown', display: 'Nil Known' }] } };
}

export function loinc(code: string, display: string): CodeableConcept {
  return { coding: [{ system: LOINC, code, display }], text: display };
}

export function uuidIdentifier(id: string): Pick<Identifier, 'system' | 'value'> {
  return { system: URI, value: `urn:uuid:${id}` };
}

export function conditionClinical(code: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-clinical`, code }] };
}

export function conditionVerification(code: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-ver-status`, code }] };
}

export function conditionCategory(code: string, display: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-category`, code, display }] };
}

export function annotation(text: string, time: string | null = null): Annotation {
  return time === null ? { text } : { time, text };
}

export function telecomOf(phone: string | null, email: string | null): ContactPoint[] {
  const telecom: ContactPoint[] = [];
  if (phone) telecom.push({ system: 'phone', value: phone, use: 'work' });
  if (email) telecom.push({ system: 'email', value: email, use: 'work' });
  return telecom;
}

/** `{ [key]: values }` when there are values, `{}` otherwise (FHIR forbids empty arrays). */
export function nonEmpty<K extends string, V>(key: K, values: V[]): { [P in K]?: V[] } {
  return (values.length > 0 ? { [key]: values } : {}) as { [P in K]?: V[] };
}

const UCUM_UNITS: Record<string, { unit: string; code: string }> = {
  mg: { unit: 'mg', code: 'mg' },
  'mcg/h': { unit: 'mcg/h', code: 'ug/h' },
  patch: { unit: 'patch', code: '{patch}' },
};

export function quantity(value: number, unit: string): Quantity {
  const ucum = UCUM_UNITS[unit];
  return ucum === undefined ? { value, unit } : { value, unit: ucum.unit, system: UCUM, code: ucum.code };
}

export function perDay(value: number, unit: string): Ratio {
  return { numerator: quantity(value, unit), denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' } };
}

/** "60 mg per day"; a patch is its strength. */
export function doseText(dailyDose: number, unit: string): string {
  return unit === 'mcg/h' ? `${dailyDose} mcg/h patch` : `${dailyDose} ${unit} per day`;
}

export function timesPerDayText(times: number): string {
  return times === 1 ? 'once a day' : times === 2 ? 'twice a day' : `${times} times a day`;
}

const FORMULATIONS: Record<string, string> = { IR: 'immediate-release', ER: 'extended-release', TRANSDERMAL: 'transdermal patch' };

export function medicationName(drug: string, formulation?: string): string {
  const name = drug.charAt(0).toUpperCase() + drug.slice(1);
  return formulation === undefined ? name : `${name} ${FORMULATIONS[formulation] ?? formulation}`;
}

const ROUTES: Record<string, { code: string; display: string }> = {
  ORAL: { code: '26643006', display: 'Oral route' },
  TOPICAL: { code: '6064005', display: 'Topical route' },
  TRANSDERMAL: { code: '45890007', display: 'Transdermal route' },
};

export function routeOf(route: string): Pick<Dosage, 'route'> {
  const snomed = ROUTES[route];
  return { route: snomed === undefined ? { text: route.toLowerCase() } : { coding: [{ system: SNOMED, ...snomed }], text: route.toLowerCase() } };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const p = (text: string): string => `<p>${escapeXml(text)}</p>`;
/** An empty list says "None." rather than showing nothing. */
export const ul = (items: string[]): string => (items.length === 0 ? p('None.') : `<ul>${items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</ul>`);

export function narrative(...blocks: string[]): CompositionSection['text'] {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${blocks.join('')}</div>` };
}
