import { describe, expect, it } from '@jest/globals';
import { bearer, signInFirstAdmin } from './support/staff.js';
import { startTestApp } from './support/test-app.js';

// nestjs-pino keeps one request logger per process (per test file here), built by the first
// app: this test needs a file of its own so that its app logs at "info" into its own stream.

describe('logs', () => {
  it('carry correlation ids but never passwords, tokens, query strings or bodies', async () => {
    const lines: string[] = [];
    const t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logDestination: { write: (line: string) => void lines.push(line) } });
    try {
      const admin = await signInFirstAdmin(t);
      await t.http.get('/api/v1/users').query({ limit: 5, cursor: 'WyJwbG95QGNsaW5pYy50ZXN0Il0' }).set(bearer(admin)).set('x-correlation-id', 'corr-log');
      await t.http.post('/api/v1/auth/login').send({ email: 'someone@clinic.test', password: 'secret-password-typed' });
      const output = lines.join('');
      expect(output).toContain('"correlationId":"corr-log"');
      expect(output).toContain('"path":"/api/v1/users"');
      for (const secret of [admin.password, admin.accessToken, admin.refreshToken, 'secret-password-typed', 'someone@clinic.test', 'WyJwbG95QGNsaW5pYy50ZXN0Il0']) {
        expect(output).not.toContain(secret);
      }
      expect(output).not.toMatch(/authorization/i);
    } finally {
      await t.close();
    }
  });
});
