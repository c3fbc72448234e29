import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * What a client team does with /api/docs-json: generate TypeScript types with openapi-typescript
 * and write code against them. The script below uses a few operations as a front desk would;
 * it must compile under `tsc --strict`, and each `@ts-expect-error` line must really be an
 * error (a type too loose to catch a mistake fails the test as surely as a wrong one).
 */
const CLIENT = `
import type { paths } from './api.js';

type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Answer<P extends keyof paths, M extends keyof paths[P], S extends number, T extends string = 'application/json'> =
  paths[P][M] extends { responses: { [K in S]: { content: { [C in T]: infer R } } } } ? R : never;

// A new enquiry, and what comes back.
const enquiry: Body<'/api/v1/enquiries', 'post'> = { contactName: 'Anna Keller', relationship: 'FAMILY', contactPhone: '+66 81 555 0101' };
// @ts-expect-error relationship is one of SELF, FAMILY, PROFESSIONAL
const wrongRelationship: Body<'/api/v1/enquiries', 'post'> = { contactName: 'Anna Keller', relationship: 'NEIGHBOUR' };
declare const created: Answer<'/api/v1/enquiries', 'post', 201>;
const enquiryId: string = created.id;

// A taper order faster than guidance, with the psychiatrist's reason: a string.
const order: Body<'/api/v1/admissions/{id}/taper-orders', 'post'> = {
  drug: 'oxycodone', formulation: 'IR', startDailyDose: 30, unit: 'mg', unitStrengths: [5, 10], allowHalfTablets: true,
  reductionPercent: 20, intervalDays: 7, basis: 'START', startDate: '2027-01-04', targetDailyDose: 0,
  overrideReason: 'Patient request after informed discussion.',
};
const reason: string | undefined = order.overrideReason;
// @ts-expect-error overrideReason is text, not an object
const objectReason: Body<'/api/v1/admissions/{id}/taper-orders', 'post'> = { ...order, overrideReason: {} };
declare const refused: Answer<'/api/v1/admissions/{id}/taper-orders', 'post', 422>;
const refusal: 'ABRUPT_DISCONTINUATION' | 'FASTER_THAN_GUIDANCE' | (string & {}) = refused.code;
const abrupt: typeof refused.code = 'ABRUPT_DISCONTINUATION';
// @ts-expect-error a code this route never gives for a 422
const overpaid: typeof refused.code = 'OVERPAYMENT';
declare const conflict: Answer<'/api/v1/admissions/{id}/taper-orders', 'post', 409>;
const notActive: typeof conflict.code = 'ADMISSION_NOT_ACTIVE';

// A pain-plan order: indication and overrideReason are text or null.
const medication: Body<'/api/v1/admissions/{id}/pain-plan/medications', 'post'> = {
  drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Low back pain', overrideReason: null,
};
// @ts-expect-error indication is text
const numericIndication: Body<'/api/v1/admissions/{id}/pain-plan/medications', 'post'> = { ...medication, indication: 7 };

// A consult with its idempotency key, a therapy with notes.
const consult: Body<'/api/v1/admissions/{id}/psychiatric-consults', 'post'> = { date: '2027-01-11', kind: 'ROUTINE', idempotencyKey: 'consult-1' };
const therapy: Body<'/api/v1/admissions/{id}/pain-plan/therapies', 'post'> = { type: 'PHYSIOTHERAPY', frequency: 'Twice a week', notes: 'Home exercises daily' };

// The handoff, as a FHIR document Bundle and as a PDF.
declare const bundle: Answer<'/api/v1/admissions/{id}/handoff', 'get', 200, 'application/fhir+json'>;
const bundleType: 'Bundle' = bundle.resourceType;
const documentType: 'document' = bundle.type;
const firstResource: string = bundle.entry[0]!.resource.resourceType;
declare const summary: Answer<'/api/v1/admissions/{id}/handoff', 'get', 200>;
const recipient: string = summary.recipient.name;
// @ts-expect-error the JSON summary is no Bundle
const notABundle: 'Bundle' = summary.resourceType;
declare const invoicePdf: Answer<'/api/v1/invoices/{id}', 'get', 200, 'application/pdf'>;
const pdfBytes: string = invoicePdf;

// Signing in: a wrong password is a 401 INVALID_CREDENTIALS, too many a 429.
const login: Body<'/api/v1/auth/login', 'post'> = { email: 'admin@clinic.example', password: 'correct horse battery staple' };
declare const wrongPassword: Answer<'/api/v1/auth/login', 'post', 401>;
const invalid: typeof wrongPassword.code = 'INVALID_CREDENTIALS';
declare const throttled: Answer<'/api/v1/auth/login', 'post', 429>;
const tooMany: typeof throttled.code = 'TOO_MANY_ATTEMPTS';

export const used = [enquiry, wrongRelationship, enquiryId, reason, objectReason, refusal, abrupt, overpaid, notActive, medication, numericIndication, consult, therapy,
  bundleType, documentType, firstResource, recipient, notABundle, pdfBytes, login, invalid, tooMany];
`;

describe('a TypeScript client generated from the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-client-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles under tsc --strict, with the types a client relies on', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as OpenAPI3;
    writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(document)));
    writeFileSync(path.join(dir, 'client.ts'), CLIENT);
    const program = ts.createProgram([path.join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      noUncheckedIndexedAccess: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${path.basename(d.file?.fileName ?? '')}:${d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : '?'} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);
});
