import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('health, docs and headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports the database up, without a token', async () => {
    const response = await t.http.get('/api/v1/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers the readiness and liveness probes, without a token', async () => {
    expect((await t.http.get('/api/v1/health/ready').expect(200)).body).toEqual({ status: 'ok', database: 'up' });
    expect((await t.http.get('/api/v1/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('puts a correlation id on every response, keeping a sane one the caller sent', async () => {
    const fresh = await t.http.get('/api/v1/health');
    expect(fresh.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http.get('/api/v1/health').set('x-correlation-id', 'desk-42.retry-1');
    expect(kept.headers['x-correlation-id']).toBe('desk-42.retry-1');
    const replaced = await t.http.get('/api/v1/health').set('x-correlation-id', 'no spaces <script>');
    expect(replaced.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await t.http.get('/api/v1/users').set('x-correlation-id', 'trace-401');
    expect(denied.headers['x-correlation-id']).toBe('trace-401');
    expect(denied.body.correlationId).toBe('trace-401');
  });

  it('sends security headers, on errors too', async () => {
    for (const failure of [await t.http.get('/api/v1/no-such-route'), await t.http.get('/api/v1/users')]) {
      expect(failure.headers['x-content-type-options']).toBe('nosniff');
      expect(failure.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const response = await t.http.get('/api/v1/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves Swagger UI and an OpenAPI document that describes auth and errors', async () => {
    const ui = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.ErrorBodyDto.required).toEqual(expect.arrayContaining(['statusCode', 'code', 'message', 'correlationId']));
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.responses['400'].content['application/json'].schema.allOf[0].$ref).toBe('#/components/schemas/ErrorBodyDto');
    const listUsers = doc.paths['/api/v1/users'].get;
    expect(listUsers.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(listUsers.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '500']));
    expect(listUsers.description).toContain('Access: admin');
  });

  it('answers 503 with the database down', async () => {
    const dataSource = t.app.get(DataSource);
    await dataSource.destroy();
    try {
      const response = await t.http.get('/api/v1/health').expect(503);
      expect(response.body).toEqual({ status: 'error', database: 'down' });
    } finally {
      await dataSource.initialize();
    }
  });
});
