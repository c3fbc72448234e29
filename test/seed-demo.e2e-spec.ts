import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROLES } from '../src/common/auth/role.js';
import { loadConfig, type AppConfig } from '../src/config/app-config.js';
import { DEMO_ACCOUNTS, seedDemo } from '../src/cli/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

interface UserRow {
  id: string;
  email: string;
  roles: string[];
  password_hash: string;
  updated_at: Date;
}

describe('seed:demo', () => {
  let database: TestDatabase;
  let dataDir: string;
  let config: AppConfig;
  let db: pg.Client;

  const users = async () => (await db.query<UserRow>('SELECT id, email, roles, password_hash, updated_at FROM users ORDER BY email')).rows;
  const auditCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')).rows[0].n;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-seed-'));
    config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex') });
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates one account per role with its printed password, audited, and changes nothing when run again', async () => {
    const first = await seedDemo(config, database.url);
    expect(first.every((account) => account.created)).toBe(true);

    const rows = await users();
    expect(rows.map((u) => [u.email, u.roles])).toEqual(ROLES.map((role) => [`${role}@clinic.test`, [role]]).sort());
    const nurse = rows.find((u) => u.email === 'nurse@clinic.test')!;
    const nursePassword = DEMO_ACCOUNTS.find((a) => a.email === nurse.email)!.password;
    expect(nursePassword.length).toBeGreaterThanOrEqual(12);
    await expect(argon2.verify(nurse.password_hash, nursePassword)).resolves.toBe(true);
    const audited = await auditCount();
    expect(audited).toBe(ROLES.length);

    const second = await seedDemo(config, database.url);
    expect(second.map((account) => [account.email, account.created])).toEqual(first.map((account) => [account.email, false]));
    expect(await users()).toEqual(rows);
    expect(await auditCount()).toBe(audited);
  });

  it('is refused in production before touching any database', async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      CLINIC_NAME: 'Riverside Recovery Clinic',
      CLINIC_PHONE: '+66 53 441 200',
    });
    await expect(seedDemo(production, 'postgresql://nobody@127.0.0.1:1/none')).rejects.toThrow(/refused: NODE_ENV=production/);
  });
});
