import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './app-config.js';

const SECRET = 'x'.repeat(32);
/** Strong enough for production: 48 random bytes, base64url. */
const PRODUCTION_SECRET = 'q3Jv0c7LwZ-4mYtN1sE8hR2uKdPa9XfG6bVzTnHoiU5ylWxC';

describe('loadConfig', () => {
  let cwd: string;

  beforeEach(() => {
    // The development secret is written under DATA_DIR, so every test gets its own directory.
    cwd = mkdtempSync(path.join(os.tmpdir(), 'clinic-config-'));
  });

  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('has the documented defaults, with DATA_DIR resolved against the working directory', () => {
    const config = loadConfig({}, cwd);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.join(cwd, '.data'),
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604_800,
      firstAdmin: null,
      logLevel: 'info',
      trustProxy: false,
    });
    expect(loadConfig({ DATA_DIR: 'var/db', JWT_SECRET: SECRET }, cwd).dataDir).toBe(path.join(cwd, 'var/db'));
  });

  it('refuses production without JWT_SECRET, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, cwd)).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET }, cwd).nodeEnv).toBe('production');
  });

  it.each([
    ['40 × "a"', 'a'.repeat(40), /uses 1 different characters/],
    ['a short alphabet', 'abcdabcdabcdabcdabcdabcdabcdabcdabcd', /different characters/],
    ['a string repeated', '0123456789abcdef0123456789abcdef', /a shorter string repeated/],
    ['few bits', 'aaaaaaaaaaaaaaaaaaaaaaaa0123456789', /estimated entropy is \d+ bits/],
  ])('refuses a low-entropy JWT_SECRET in production: %s', (_name, secret, reason) => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }, cwd)).toThrow(/JWT_SECRET is too weak for production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }, cwd)).toThrow(reason);
    // Outside production only the length counts: development and test secrets may be simple.
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: secret }, cwd).nodeEnv).toBe('development');
  });

  it('accepts random secrets as the usual tools write them', () => {
    const secrets = ['3f1c9e0b7a26d4858b0e1f7c2a9d6e304b5c8f1a2e7d9c6b0a4f3e1d8c7b6a59', 'Zm9vYmFyLXJhbmRvbS1ieXRlcy1mb3ItdGVzdA', PRODUCTION_SECRET];
    for (const secret of secrets) expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }, cwd).nodeEnv).toBe('production');
  });

  it('lists every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', JWT_SECRET: SECRET }, cwd)).toThrow(/^Invalid configuration:\n {2}PORT:/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud', JWT_SECRET: SECRET }, cwd)).toThrow(/LOG_LEVEL:/);
    let message = '';
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', JWT_SECRET: SECRET }, cwd);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/LOG_LEVEL:/);
  });

  it('trusts no proxy, a number of hops, or listed proxies — never everyone', () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value, JWT_SECRET: SECRET }, cwd).trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('10.0.0.5, 10.0.1.0/24')).toEqual(['10.0.0.5', '10.0.1.0/24']);
    expect(trust('2001:db8::1, 10.0.0.0/8')).toEqual(['2001:db8::1', '10.0.0.0/8']);
    for (const everyone of ['true', '0.0.0.0/0', '::/0', '0.0.0.0', '::', '128.0.0.0/1', '2000::/3']) {
      expect(() => trust(everyone)).toThrow(/TRUST_PROXY:/);
    }
    for (const garbage of ['abc', 'yes', '10.0.0.5/33', '10.0.0.300', '10.0.0.5,,10.0.0.6', 'fe80::1/129', '10.0.0.0/8/8']) {
      expect(() => trust(garbage)).toThrow(/TRUST_PROXY:/);
    }
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD, and the reverse', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'boss@clinic.test', JWT_SECRET: SECRET }, cwd)).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD must be set together/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'long enough password', JWT_SECRET: SECRET }, cwd)).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    const config = loadConfig({ ADMIN_EMAIL: 'boss@clinic.test', ADMIN_PASSWORD: 'long enough password', JWT_SECRET: SECRET }, cwd);
    expect(config.firstAdmin).toEqual({ email: 'boss@clinic.test', password: 'long enough password' });
  });

  it('refuses a JWT_SECRET shorter than 32 characters', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(31) }, cwd)).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it('generates a development secret once, readable only by its owner, and reuses it', () => {
    const first = loadConfig({ DATA_DIR: 'data' }, cwd);
    const file = path.join(cwd, 'data', 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: 'data' }, cwd);
    expect(second.jwtSecret.export().equals(first.jwtSecret.export())).toBe(true);
    expect(first.jwtSecret.export().length).toBeGreaterThanOrEqual(32);
  });

  it('uses JWT_SECRET as given and writes no secret file', () => {
    const config = loadConfig({ DATA_DIR: 'data', JWT_SECRET: SECRET }, cwd);
    expect(config.jwtSecret.export().toString('utf8')).toBe(SECRET);
    expect(() => statSync(path.join(cwd, 'data', 'jwt-secret'))).toThrow();
  });
});
