import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './app-config.js';

const SECRET = 'x'.repeat(32);
/** Strong enough for production: 48 random bytes, base64url. */
const PRODUCTION_SECRET = 'q3Jv0c7LwZ-4mYtN1sE8hR2uKdPa9XfG6bVzTnHoiU5ylWxC';

/** Everything production requires. */
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: PRODUCTION_SECRET,
  DATABASE_URL: 'postgres://clinic_app:pw@db:5432/clinic',
  CLINIC_NAME: 'Riverside Recovery Clinic',
  CLINIC_PHONE: '+66 53 441 200',
  CLINIC_EMAIL: 'care@riverside.example',
};

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

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
    expect(() => loadConfig({ ...PRODUCTION, JWT_SECRET: '' }, cwd)).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    expect(loadConfig(PRODUCTION, cwd).nodeEnv).toBe('production');
  });

  it('refuses production without DATABASE_URL unless the embedded server is asked for by name', () => {
    const withoutDatabase = { ...PRODUCTION, DATABASE_URL: '' };
    expect(() => loadConfig(withoutDatabase, cwd)).toThrow(/DATABASE_URL is required when NODE_ENV=production: the embedded PostgreSQL .* EMBEDDED_DATABASE=true/);
    expect(() => loadConfig({ ...withoutDatabase, EMBEDDED_DATABASE: 'false' }, cwd)).toThrow(/DATABASE_URL is required/);
    expect(loadConfig({ ...withoutDatabase, EMBEDDED_DATABASE: 'true' }, cwd).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ ...PRODUCTION, EMBEDDED_DATABASE: 'yes' }, cwd)).toThrow(/EMBEDDED_DATABASE:/);
  });

  it('refuses production without the clinic name and a phone or email, and only warns elsewhere', () => {
    const refusal = /CLINIC_NAME and CLINIC_PHONE or CLINIC_EMAIL are required when NODE_ENV=production/;
    expect(() => loadConfig({ ...PRODUCTION, CLINIC_NAME: '' }, cwd)).toThrow(refusal);
    expect(() => loadConfig({ ...PRODUCTION, CLINIC_PHONE: '', CLINIC_EMAIL: '' }, cwd)).toThrow(refusal);
    expect(loadConfig({ ...PRODUCTION, CLINIC_PHONE: '' }, cwd).startWarnings).toEqual([]);
    expect(loadConfig({ ...PRODUCTION, CLINIC_EMAIL: '' }, cwd).startWarnings).toEqual([]);
    expect(loadConfig({ JWT_SECRET: SECRET }, cwd).startWarnings).toEqual([expect.stringMatching(/^CLINIC_NAME and CLINIC_PHONE or CLINIC_EMAIL are not set/)]);
    expect(loadConfig({ JWT_SECRET: SECRET, CLINIC_NAME: 'Riverside', CLINIC_PHONE: '+66 53 441 200' }, cwd).startWarnings).toEqual([]);
  });

  it('warns when a shared database is used with a token secret of this instance\'s own: the other instances would refuse its tokens', () => {
    const contact = { CLINIC_NAME: 'Riverside', CLINIC_PHONE: '+66 53 441 200', DATA_DIR: cwd };
    expect(loadConfig({ ...contact, DATABASE_URL: 'postgres://app@db/clinic' }, cwd).startWarnings).toEqual([expect.stringMatching(/^JWT_SECRET is not set: .*every instance on one database needs the same JWT_SECRET/)]);
    expect(loadConfig({ ...contact, DATABASE_URL: 'postgres://app@db/clinic', JWT_SECRET: SECRET }, cwd).startWarnings).toEqual([]);
    expect(loadConfig(contact, cwd).startWarnings).toEqual([]);
  });

  it('lists every production problem at once', () => {
    const message = errorOf(() => loadConfig({ NODE_ENV: 'production' }, cwd));
    expect(message.split('\n').filter((line) => line.startsWith('  '))).toEqual([
      expect.stringMatching(/^ {2}JWT_SECRET is required/),
      expect.stringMatching(/^ {2}DATABASE_URL is required/),
      expect.stringMatching(/^ {2}CLINIC_NAME and CLINIC_PHONE or CLINIC_EMAIL are required/),
    ]);
  });

  it('serves the API docs outside production, and in production only with API_DOCS=true', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }, cwd).apiDocs).toBe(true);
    expect(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' }, cwd).apiDocs).toBe(true);
    expect(loadConfig({ JWT_SECRET: SECRET, API_DOCS: 'false' }, cwd).apiDocs).toBe(false);
    expect(loadConfig(PRODUCTION, cwd).apiDocs).toBe(false);
    expect(loadConfig({ ...PRODUCTION, API_DOCS: 'true' }, cwd).apiDocs).toBe(true);
    expect(() => loadConfig({ ...PRODUCTION, API_DOCS: 'on' }, cwd)).toThrow(/API_DOCS:/);
  });

  it('reads CORS_ORIGINS as exact origins, as browsers send them; unset: none', () => {
    const origins = (value: string) => loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: value }, cwd).corsOrigins;
    expect(loadConfig({ JWT_SECRET: SECRET }, cwd).corsOrigins).toEqual([]);
    expect(origins('')).toEqual([]);
    expect(origins(' https://Desk.Clinic.example/ ,http://localhost:5173,https://desk.clinic.example:443')).toEqual(['https://desk.clinic.example', 'http://localhost:5173']);
    expect(origins('http://10.0.0.7:8080')).toEqual(['http://10.0.0.7:8080']);
  });

  it('refuses a wildcard, a path, or anything but an http(s) origin in CORS_ORIGINS, naming each', () => {
    for (const bad of ['*', 'https://*.clinic.example', 'https://desk.clinic.example/app', 'desk.clinic.example', 'ftp://desk.clinic.example', 'https://user:pw@desk.clinic.example', 'https://desk.clinic.example?x=1', 'null']) {
      expect(() => loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: `https://ok.example,${bad}` }, cwd)).toThrow(new RegExp(`CORS_ORIGINS: ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not an origin`));
    }
  });

  it.each([
    ['40 × "a"', 'a'.repeat(40), /uses 1 different characters/],
    ['a short alphabet', 'abcdabcdabcdabcdabcdabcdabcdabcdabcd', /different characters/],
    ['a string repeated', '0123456789abcdef0123456789abcdef', /a shorter string repeated/],
    ['few bits', 'aaaaaaaaaaaaaaaaaaaaaaaa0123456789', /estimated entropy is \d+ bits/],
  ])('refuses a low-entropy JWT_SECRET in production: %s', (_name, secret, reason) => {
    expect(() => loadConfig({ ...PRODUCTION, JWT_SECRET: secret }, cwd)).toThrow(/JWT_SECRET is too weak for production/);
    expect(() => loadConfig({ ...PRODUCTION, JWT_SECRET: secret }, cwd)).toThrow(reason);
    // Outside production only the length counts: development and test secrets may be simple.
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: secret }, cwd).nodeEnv).toBe('development');
  });

  it('accepts random secrets as the usual tools write them', () => {
    const secrets = ['3f1c9e0b7a26d4858b0e1f7c2a9d6e304b5c8f1a2e7d9c6b0a4f3e1d8c7b6a59', 'Zm9vYmFyLXJhbmRvbS1ieXRlcy1mb3ItdGVzdA', PRODUCTION_SECRET];
    for (const secret of secrets) expect(loadConfig({ ...PRODUCTION, JWT_SECRET: secret }, cwd).nodeEnv).toBe('production');
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

describe('the documented settings', () => {
  const variables = [...readFileSync('src/config/environment.ts', 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+)\?:/gm)].map((match) => match[1]!);

  it('lists every variable the service reads in .env.example and in the README', () => {
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    expect(variables).toEqual(expect.arrayContaining(['CORS_ORIGINS', 'API_DOCS', 'EMBEDDED_DATABASE', 'CLINIC_NAME']));
    expect(variables.filter((name) => !example.includes(`# ${name}=`))).toEqual([]);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('passes them all to the container of docker compose through an env file', () => {
    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose).toMatch(/env_file:\n\s+- path: clinic\.env\n\s+required: true/);
    for (const password of ['POSTGRES_PASSWORD', 'OWNER_DB_PASSWORD', 'APP_DB_PASSWORD']) expect(compose).toContain(`\${${password}:?`);
    expect(compose).toContain('MIGRATION_DATABASE_URL: postgres://clinic_owner:');
  });
});
