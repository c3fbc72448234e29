import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../src/common/auth/access.decorators.js';
import { bearer, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Routes that fail the way real bugs do, to show what a client then sees. */
@Controller('test-failures')
class FailingController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('throw')
  @Public()
  throwPlainError(): never {
    throw new Error('connection to 10.0.0.7 failed for patient Somchai');
  }

  @Get('sql')
  @Public()
  async badSql(): Promise<unknown> {
    return this.dataSource.query('SELECT secret_column FROM no_such_table');
  }
}

class CapturingLogger implements LoggerService {
  readonly entries: unknown[][] = [];
  log(...args: unknown[]) { this.entries.push(args); }
  error(...args: unknown[]) { this.entries.push(args); }
  warn(...args: unknown[]) { this.entries.push(args); }
}

describe('error contract', () => {
  let t: TestApp;
  let admin: Staff;
  const logger = new CapturingLogger();
  beforeAll(async () => {
    t = await startTestApp({ controllers: [FailingController] });
    t.app.useLogger(logger);
    admin = await signInFirstAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectErrorBody = (body: Record<string, unknown>, statusCode: number, code: string) =>
    expect(body).toEqual({ statusCode, code, message: expect.any(String), correlationId: expect.any(String), ...(body.details ? { details: body.details } : {}) });

  it('malformed JSON → 400', async () => {
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).set('content-type', 'application/json').send('{"email": ').expect(400);
    expectErrorBody(response.body, 400, 'MALFORMED_REQUEST');
    expect(response.body.message).toContain('not valid JSON');
  });

  it('a body that is not a JSON object → 400', async () => {
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).send([{ email: 'a@b.c' }]).expect(400);
    expect(response.body.details).toEqual([{ field: '(body)', reason: 'must be a JSON object' }]);
  });

  it('a body in another media type → 415', async () => {
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).set('content-type', 'application/xml').send('<user/>').expect(415);
    expectErrorBody(response.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over 1 MB → 413', async () => {
    const huge = { email: 'a@b.c', displayName: 'x'.repeat(1024 * 1024), password: 'p'.repeat(12), roles: ['nurse'] };
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).send(huge).expect(413);
    expectErrorBody(response.body, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('unknown fields and wrong types → 400 with one detail per field', async () => {
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: ['x'], displayName: 7, password: null, roles: 'nurse', ssn: '123' })
      .expect(400);
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field);
    expect([...response.body.details].sort(byField)).toEqual([
      { field: 'displayName', reason: 'must be a string' },
      { field: 'email', reason: 'must be an email' },
      { field: 'password', reason: 'must be a string' },
      { field: 'roles', reason: 'must be an array' },
      { field: 'ssn', reason: 'property ssn should not exist' },
    ]);
  });

  it('a NUL character in any text → 400 naming the field, never a database error', async () => {
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: 'nul@clinic.test', displayName: 'Ploy\u0000S.', password: 'a-long-enough-password', roles: ['nurse\u0000'] })
      .expect(400);
    expect(response.body.details).toEqual([
      { field: 'displayName', reason: 'must not contain NUL characters' },
      { field: 'roles[0]', reason: 'must not contain NUL characters' },
    ]);
  });

  it('reserved keys (constructor, prototype) are unknown fields like any other', async () => {
    const body = '{"email":"x@clinic.test","displayName":"X","password":"a-long-enough-password","roles":["nurse"],"constructor":1,"nested":{"prototype":2}}';
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).set('content-type', 'application/json').send(body).expect(400);
    expect(response.body.details).toEqual([
      { field: 'constructor', reason: 'property constructor should not exist' },
      { field: 'nested.prototype', reason: 'property prototype should not exist' },
    ]);
  });

  it('an unknown route → 404 in the same body', async () => {
    const response = await t.http.get('/api/v1/no-such-thing').set(bearer(admin)).expect(404);
    expectErrorBody(response.body, 404, 'NOT_FOUND');
  });

  it('an unexpected error → a bare 500 that leaks nothing, logged with its correlation id', async () => {
    const response = await t.http.get('/api/v1/test-failures/throw').set('x-correlation-id', 'corr-500').expect(500);
    expect(response.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.', correlationId: 'corr-500' });
    const logged = JSON.stringify(logger.entries.filter((entry) => JSON.stringify(entry).includes('corr-500')));
    expect(logged).toContain('corr-500');
    expect(logged).not.toContain('Somchai');
    expect(logged).not.toContain('10.0.0.7');
  });

  it('a database error → a bare 500 without SQL', async () => {
    const response = await t.http.get('/api/v1/test-failures/sql').expect(500);
    expect(JSON.stringify(response.body)).not.toMatch(/no_such_table|secret_column|SELECT/);
    expect(response.body.code).toBe('INTERNAL_ERROR');
  });
});
