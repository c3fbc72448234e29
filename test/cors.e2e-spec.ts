import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

const DESK = 'https://desk.clinic.example';
const DEV = 'http://localhost:5173';
const STRANGER = 'https://elsewhere.example';

const corsHeadersOf = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

function preflight(t: TestApp, origin: string, path = '/api/v1/enquiries') {
  return t.http.options(path).set('origin', origin).set('access-control-request-method', 'POST').set('access-control-request-headers', 'authorization, content-type');
}

describe('CORS from CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    // As an operator would write it: spaces, a trailing slash, an upper-case host.
    t = await startTestApp({ env: { CORS_ORIGINS: ` ${DESK}/ , http://LOCALHOST:5173` } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the preflight of a listed origin with 204 and every header a browser needs', async () => {
    const response = await preflight(t, DESK).expect(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': DESK,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'authorization, content-type, accept, x-correlation-id',
      'access-control-max-age': '600',
      'access-control-expose-headers': 'x-correlation-id, retry-after, content-disposition',
    });
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['x-correlation-id']).toEqual(expect.any(String));
    expect(response.headers.vary).toMatch(/origin/i);
    expect((await preflight(t, DEV, '/api/v1/admissions/00000000-0000-4000-8000-000000000000').expect(204)).headers['access-control-allow-origin']).toBe(DEV);
  });

  it('lets a listed origin read answers and errors, the correlation id included', async () => {
    const ok = await t.http.get('/api/v1/health').set('origin', DESK).expect(200);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': DESK, 'access-control-expose-headers': 'x-correlation-id, retry-after, content-disposition' });
    const refused = await t.http.get('/api/v1/enquiries').set('origin', DEV).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe(DEV);
  });

  it('gives an origin that is not listed no CORS headers at all, and its preflight a 404', async () => {
    const response = await preflight(t, STRANGER).expect(404);
    expect(corsHeadersOf(response.headers)).toEqual([]);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(corsHeadersOf((await t.http.get('/api/v1/health').set('origin', STRANGER).expect(200)).headers)).toEqual([]);
    // Exact origins only: another port or scheme of a listed host is another origin.
    expect(corsHeadersOf((await preflight(t, 'http://desk.clinic.example').expect(404)).headers)).toEqual([]);
  });
});

describe('CORS without CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends no CORS headers to anyone', async () => {
    expect(corsHeadersOf((await preflight(t, DESK).expect(404)).headers)).toEqual([]);
    expect(corsHeadersOf((await t.http.get('/api/v1/health').set('origin', DESK).expect(200)).headers)).toEqual([]);
  });
});
