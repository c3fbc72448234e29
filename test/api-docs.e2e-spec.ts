import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { routeTable } from './support/route-table.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Operation = {
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  parameters?: { name: string; in: string }[];
};

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes every route, with a request schema for every body and a response schema for every answer', () => {
    const problems: string[] = [];
    const routes = routeTable(t.app);
    expect(routes.filter((r) => r.takesBody).map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /api/v1/users', 'PATCH /api/v1/users/:id']));
    expect(routes.find((r) => r.path === '/api/v1/taper-orders/:id/sign')?.takesBody).toBe(false);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const key = `${route.method} ${path}`;
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) {
        problems.push(`${key}: missing`);
        continue;
      }
      if (route.takesBody && !operation.requestBody?.content['application/json']?.schema.$ref) problems.push(`${key}: no request schema`);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) problems.push(`${key}: no success response`);
      for (const [status, response] of success) {
        if (status !== '204' && !response.content?.['application/json']?.schema) problems.push(`${key}: ${status} has no schema`);
      }
    }
    expect(problems).toEqual([]);
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

  it('lists every catalogued error code, with its status and meaning, as the error body\'s code', () => {
    const code = doc.components.schemas.ErrorBodyDto!.properties!.code as { enum: string[]; description: string };
    expect(code.enum).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'NOT_FOUND', 'ALREADY_ADMITTED', 'ABRUPT_DISCONTINUATION', 'CONSENT_REQUIRED', 'TOO_MANY_ATTEMPTS', 'OVERPAYMENT']));
    expect(new Set(code.enum).size).toBe(code.enum.length);
    expect(code.description).toContain('`ALREADY_ADMITTED` (409): This patient already has an active admission.');
  });
});
