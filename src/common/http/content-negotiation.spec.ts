import { describe, expect, it } from '@jest/globals';
import { negotiate } from './content-negotiation.js';

const HANDOFF = ['application/json', 'application/pdf', 'application/fhir+json'] as const;

describe('negotiate', () => {
  it('answers JSON without Accept, for */*, and when nothing offered is acceptable', () => {
    expect(negotiate(undefined, HANDOFF)).toBe('application/json');
    expect(negotiate('*/*', HANDOFF)).toBe('application/json');
    expect(negotiate('text/html', HANDOFF)).toBe('application/json');
    expect(negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', HANDOFF)).toBe('application/json');
  });

  it('gives the type asked for by name, before wildcards', () => {
    expect(negotiate('application/pdf', HANDOFF)).toBe('application/pdf');
    expect(negotiate('application/fhir+json', HANDOFF)).toBe('application/fhir+json');
    expect(negotiate('Application/PDF, */*', HANDOFF)).toBe('application/pdf');
    expect(negotiate('application/fhir+json;fhirVersion=4.0, application/json;q=0.5', HANDOFF)).toBe('application/fhir+json');
  });

  it('honours quality values, q=0 refusing a type', () => {
    expect(negotiate('application/pdf;q=0.4, application/json', HANDOFF)).toBe('application/json');
    expect(negotiate('application/json;q=0, application/*', HANDOFF)).toBe('application/pdf');
    expect(negotiate('application/json;q=0.2, application/fhir+json;q=0.9, application/pdf;q=0.5', HANDOFF)).toBe('application/fhir+json');
  });
});
