import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allCataloguedErrors } from '../src/common/errors/error-catalogue.js';
import { ROUTE_ERRORS } from '../src/common/http/route-errors.generated.js';
import { schemaMismatches, type OpenApiDocument } from './support/openapi-conformance.js';
import { routeTable } from './support/route-table.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[]; additionalProperties?: boolean | Schema };
type Media = { schema: Schema & { $ref?: string }; examples?: Record<string, { value: unknown }> };
type Operation = {
  operationId: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
  parameters?: { name: string; in: string; schema: Schema }[];
  security?: unknown[];
  description?: string;
};
type Document = OpenApiDocument & {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema & { required?: string[] }> };
  security?: unknown[];
  servers?: { url: string }[];
};

const PRODUCTION = { NODE_ENV: 'production', EMBEDDED_DATABASE: 'true', CLINIC_NAME: 'Riverside Recovery Clinic', CLINIC_PHONE: '+66 53 441 200' };

function* operations(doc: Document): Generator<[string, Operation]> {
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, operation] of Object.entries(item)) yield [`${method.toUpperCase()} ${path}`, operation];
}

/** Every schema in the document with where it is, components and inline ones, nested ones included. */
function* schemasIn(doc: Document): Generator<[string, Schema]> {
  function* walk(where: string, schema: Schema): Generator<[string, Schema]> {
    yield [where, schema];
    for (const [name, property] of Object.entries(schema.properties ?? {})) yield* walk(`${where}.${name}`, property);
    if (schema.items) yield* walk(`${where}[]`, schema.items);
    if (typeof schema.additionalProperties === 'object') yield* walk(`${where}{}`, schema.additionalProperties);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) yield* walk(where, part);
  }
  for (const [name, schema] of Object.entries(doc.components.schemas)) yield* walk(name, schema);
  for (const [key, operation] of operations(doc)) {
    for (const parameter of operation.parameters ?? []) yield* walk(`${key} ${parameter.name}`, parameter.schema);
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) yield* walk(`${key} body ${type}`, media.schema);
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(response.content ?? {})) yield* walk(`${key} ${status} ${type}`, media.schema);
    }
  }
}

/** The codes an error response allows: the enum of its second allOf part. */
function codesOf(operation: Operation, status: number): string[] | undefined {
  const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
  return (schema?.allOf?.[1]?.properties?.code as { enum?: string[] } | undefined)?.enum;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const operation = (method: string, path: string) => doc.paths[path]![method]!;

  it('describes every route, with a request schema for every body and a response schema for every answer', () => {
    const problems: string[] = [];
    const routes = routeTable(t.app);
    expect(routes.filter((r) => r.takesBody).map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /api/v1/users', 'PATCH /api/v1/users/:id']));
    expect(routes.find((r) => r.path === '/api/v1/taper-orders/:id/sign')?.takesBody).toBe(false);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const key = `${route.method} ${path}`;
      const found = doc.paths[path]?.[route.method.toLowerCase()];
      if (!found) {
        problems.push(`${key}: missing`);
        continue;
      }
      if (route.takesBody && !found.requestBody?.content['application/json']?.schema.$ref) problems.push(`${key}: no request schema`);
      const success = Object.entries(found.responses).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) problems.push(`${key}: no success response`);
      for (const [status, response] of success) {
        if (status !== '204' && !response.content?.['application/json']?.schema) problems.push(`${key}: ${status} has no schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('types every property: no schema is an empty object or has no type at all', () => {
    const untyped: string[] = [];
    for (const [where, schema] of schemasIn(doc)) {
      const typed = ['type', '$ref', 'enum', 'oneOf', 'allOf', 'anyOf'].some((key) => key in schema);
      // An object with nothing said about its fields; `additionalProperties: false` is a deliberately empty body (NoBody).
      const emptyObject = schema.type === 'object' && !schema.properties && !('additionalProperties' in schema) && !schema.allOf && !schema.oneOf;
      if (!typed || emptyObject) untyped.push(`${where}: ${JSON.stringify(schema)}`);
    }
    expect(untyped).toEqual([]);
    const pain = doc.components.schemas.OrderMedicationRequest!.properties!;
    expect(pain.indication).toMatchObject({ type: 'string', nullable: true });
    expect(pain.overrideReason).toMatchObject({ type: 'string', nullable: true });
    expect(doc.components.schemas.CreateTaperOrderRequest!.properties!.overrideReason).toMatchObject({ type: 'string' });
    expect(doc.components.schemas.AddTherapyRequest!.properties!.notes).toMatchObject({ type: 'string' });
    expect(doc.components.schemas.RecordConsultRequest!.properties!.idempotencyKey).toMatchObject({ type: 'string' });
  });

  it('writes null as OpenAPI 3.0.3 reads it: no nullable beside an allOf, null listed in a nullable enum', () => {
    const wrong = [...schemasIn(doc)].flatMap(([where, schema]) => [
      ...(schema.nullable === true && schema.allOf ? [`${where}: nullable beside allOf (null must still match the reference)`] : []),
      ...(schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null) ? [`${where}: nullable enum without null`] : []),
    ]);
    expect(wrong).toEqual([]);
    const schemas = doc.components.schemas;
    expect(schemas.TaperOrderResponse!.properties!.replaces).toMatchObject({ type: 'object', nullable: true, required: ['drug', 'formulation'] });
    expect(schemas.ObservationResponse!.properties!.band).toMatchObject({ type: 'string', nullable: true, enum: expect.arrayContaining(['SEVERE', null]) });
    expect(schemas.TriageDecisionResponse!.properties!.pathway!.enum).not.toContain(null);
    expect(schemas.OutsidePrescriberResponse!.properties).toMatchObject({ practice: { nullable: true }, phone: { nullable: true }, email: { nullable: true } });
    // The nulls of real answers fit (a pain score has no band and no items).
    const observation = schemas.ObservationResponse!.properties!;
    expect([...schemaMismatches(doc, observation.band!, null), ...schemaMismatches(doc, observation.items!, null)]).toEqual([]);
  });

  it('lists MALFORMED_REQUEST where a path parameter can be badly percent-encoded, as the router answers', async () => {
    const response = await t.http.get('/api/v1/admissions/%E0%A4%A').set('authorization', 'Bearer x').expect(400);
    expect(response.body.code).toBe('MALFORMED_REQUEST');
    expect(codesOf(doc.paths['/api/v1/admissions/{id}']!.get!, 400)).toEqual(['MALFORMED_REQUEST', 'VALIDATION_FAILED']);
  });

  it('spells out the intake assessment with its nested parts and enums', () => {
    const schemas = doc.components.schemas;
    expect(schemas.AssessmentRequest!.required).toEqual(expect.arrayContaining(['patient', 'opioids', 'takenAsPrescribed', 'dsm5', 'pain', 'medical', 'social']));
    expect(schemas.OpioidDto!.properties).toMatchObject({ formulation: { enum: ['IR', 'ER', 'TRANSDERMAL'] }, unit: { enum: ['mg', 'mcg/h'] } });
    expect(Object.keys(schemas.Dsm5AnswersDto!.properties!)).toHaveLength(11);
    expect(schemas.AssessmentResponse!.properties).toHaveProperty('totalDailyMme');
    expect(schemas.TriageDecisionResponse!.properties).toMatchObject({ pathway: { enum: ['HOSPITAL_DETOX_FIRST', 'ONSITE_TAPER', 'OUTPATIENT_TAPER'] } });
    expect(schemas.AdmissionResponse!.properties).toHaveProperty('viaPartnerHospital');
  });

  it("lists every catalogued error code, with its status and meaning, as the error body's code", () => {
    const code = doc.components.schemas.ErrorBodyDto!.properties!.code as { enum: string[]; description: string };
    expect(code.enum).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'NOT_FOUND', 'ALREADY_ADMITTED', 'ABRUPT_DISCONTINUATION', 'CONSENT_REQUIRED', 'TOO_MANY_ATTEMPTS', 'OVERPAYMENT', 'SERVICE_UNAVAILABLE']));
    expect(new Set(code.enum).size).toBe(code.enum.length);
    expect(code.description).toContain('`ALREADY_ADMITTED` (409): This patient already has an active admission.');
  });

  it('documents each error status of every operation with the error body and only the codes of that status', () => {
    const statusOf = new Map(allCataloguedErrors().map((error) => [error.code, error.status]));
    const problems: string[] = [];
    for (const [key, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
        const codes = codesOf(op, Number(status));
        if (['GET /api/v1/health', 'GET /api/v1/health/ready'].includes(key) && status === '503') continue; // their own HealthResponse body
        if (!codes?.length) problems.push(`${key} ${status}: no codes`);
        for (const code of codes ?? []) {
          if (statusOf.get(code) !== Number(status)) problems.push(`${key} ${status}: ${code} is a ${statusOf.get(code)}`);
          if (!response.description.includes(`\`${code}\``)) problems.push(`${key} ${status}: ${code} not described`);
        }
      }
      for (const status of ['500', '503']) if (!op.responses[status]) problems.push(`${key}: no ${status}`);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic && !codesOf(op, 401)?.includes('UNAUTHENTICATED')) problems.push(`${key}: no 401`);
    }
    expect(problems).toEqual([]);
  });

  it('derives the codes from what each route throws, not from hand-written lists', () => {
    const create = operation('post', '/api/v1/admissions/{id}/taper-orders');
    expect(codesOf(create, 422)).toEqual(expect.arrayContaining(['ABRUPT_DISCONTINUATION', 'FASTER_THAN_GUIDANCE', 'DOSE_NOT_ACHIEVABLE']));
    expect(codesOf(create, 409)).toEqual(expect.arrayContaining(['ADMISSION_NOT_ACTIVE']));
    expect(codesOf(create, 404)).toEqual(['NOT_FOUND']);
    expect(codesOf(create, 400)).toEqual(['MALFORMED_REQUEST', 'VALIDATION_FAILED']);
    const login = operation('post', '/api/v1/auth/login');
    expect(codesOf(login, 401)).toEqual(['INVALID_CREDENTIALS']);
    expect(codesOf(login, 429)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(login.responses['403']).toBeUndefined();
    expect(codesOf(operation('post', '/api/v1/taper-orders/{id}/sign'), 409)).toEqual(expect.arrayContaining(['ALREADY_SIGNED', 'ACTIVE_ORDER_EXISTS']));
    expect(codesOf(operation('get', '/api/v1/admissions/{id}/handoff'), 409)).toEqual(['CONSENT_REQUIRED', 'NOT_DISCHARGED']);
    expect(codesOf(operation('post', '/api/v1/invoices/{id}/payments'), 422)).toEqual(['OVERPAYMENT']);
    // Said as the code does it: only MISSED waits for the due day; DONE may come early.
    const checkIn = operation('patch', '/api/v1/aftercare/check-ins/{id}').responses['422']!.description;
    expect(checkIn).toContain('`NOT_DUE_YET`: A check-in cannot be marked missed before it is due (it may be marked done early');
    // The map holds catalogued codes only, and the operations are keyed as it is.
    const catalogued = new Set(allCataloguedErrors().map((error) => error.code));
    expect(Object.values(ROUTE_ERRORS).flat().filter((code) => !catalogued.has(code))).toEqual([]);
    expect([...operations(doc)].map(([, op]) => op.operationId.replace('_', '.')).sort()).toEqual(Object.keys(ROUTE_ERRORS).sort());
  });

  it('gives PDFs as binary and the FHIR handoff as a document Bundle, chosen by Accept', () => {
    const invoice = operation('get', '/api/v1/invoices/{id}').responses['200']!.content!;
    expect(invoice['application/json']!.schema).toEqual({ $ref: '#/components/schemas/InvoiceResponse' });
    expect(invoice['application/pdf']!.schema).toEqual({ type: 'string', format: 'binary' });
    expect(operation('get', '/api/v1/invoices/{id}').parameters).toContainEqual(expect.objectContaining({ name: 'format', in: 'query', required: false, schema: expect.objectContaining({ enum: ['json', 'pdf'] }) }));
    const handoff = operation('get', '/api/v1/admissions/{id}/handoff').responses['200']!.content!;
    expect(Object.keys(handoff)).toEqual(['application/json', 'application/pdf', 'application/fhir+json']);
    expect(handoff['application/pdf']!.schema).toEqual({ type: 'string', format: 'binary' });
    expect(handoff['application/fhir+json']!.schema).toEqual({ $ref: '#/components/schemas/FhirBundleDto' });
    expect(doc.components.schemas.FhirBundleDto).toMatchObject({
      required: expect.arrayContaining(['resourceType', 'type', 'entry']),
      properties: { resourceType: { enum: ['Bundle'] }, type: { enum: ['document'] }, entry: { type: 'array' } },
    });
  });

  it('asks for a bearer token everywhere but on the public routes, and names its server', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const open = [...operations(doc)].filter(([, op]) => Array.isArray(op.security) && op.security.length === 0).map(([key]) => key);
    expect(open.sort()).toEqual(['GET /api/v1/health', 'GET /api/v1/health/live', 'GET /api/v1/health/ready', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh']);
  });

  it('shows a request example on the main bodies, each one valid against its schema', () => {
    const main = [
      'POST /api/v1/enquiries', 'POST /api/v1/enquiries/{id}/assessment', 'POST /api/v1/admissions/{id}/taper-orders', 'POST /api/v1/taper-orders/{id}/amendments',
      'POST /api/v1/admissions/{id}/observations', 'POST /api/v1/admissions/{id}/pain-plan/medications', 'POST /api/v1/admissions/{id}/charges',
      'POST /api/v1/admissions/{id}/dispensations', 'POST /api/v1/admissions/{id}/invoices', 'POST /api/v1/invoices/{id}/payments',
      'POST /api/v1/admissions/{id}/discharge', 'POST /api/v1/auth/login',
    ];
    const problems: string[] = [];
    for (const [key, op] of operations(doc)) {
      const media = op.requestBody?.content['application/json'];
      const examples = Object.entries(media?.examples ?? {});
      if (main.includes(key) && examples.length === 0) problems.push(`${key}: no example`);
      for (const [name, example] of examples) problems.push(...schemaMismatches(doc, media!.schema, example.value, `${key} ${name}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('API docs switch', () => {
  it('is off in production unless API_DOCS=true, and off anywhere with API_DOCS=false', async () => {
    for (const [env, status] of [[PRODUCTION, 404], [{ ...PRODUCTION, API_DOCS: 'true' }, 200], [{ API_DOCS: 'false' }, 404]] as const) {
      const t = await startTestApp({ env });
      try {
        await t.http.get('/api/docs-json').expect(status);
        await t.http.get('/api/docs').expect(status === 200 ? 200 : 404);
      } finally {
        await t.close();
      }
    }
  });
});
