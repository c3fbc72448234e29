import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { APP_PRIVILEGES } from '../src/database/app-privileges.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The app connects as a role that can read and write data, append to the audit trail, and nothing more. */
describe('least privilege in the database', () => {
  let t: TestApp;
  let app: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    app = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is served by its own role, not by the schema’s owner or a superuser', async () => {
    expect(t.database.leastPrivilege).toBe(true);
    const [role] = await app.query(`SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ name: 'clinic_app', rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const [owner] = await app.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events'`);
    expect(owner.tableowner).toBe('clinic_owner');
  });

  it('may only read and append to the audit trail', async () => {
    const rights = await app.query(
      `SELECT t.name, p.privilege, has_table_privilege(current_user, t.name, p.privilege) AS granted
       FROM unnest(ARRAY['audit_events', 'audit_chain_head']) t(name), unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p(privilege)`,
    );
    const granted = rights.filter((r: { granted: boolean }) => r.granted).map((r: { name: string; privilege: string }) => `${r.name} ${r.privilege}`);
    expect(granted.sort()).toEqual(['audit_chain_head SELECT', 'audit_events INSERT', 'audit_events SELECT']);
  });

  it.each([
    ['ALTER TABLE users ADD COLUMN nickname text', /must be owner of table users/],
    ['DROP TABLE invoices', /must be owner of table invoices/],
    ['CREATE TABLE notes (id int)', /permission denied for schema public/],
    ['ALTER TABLE audit_events DISABLE TRIGGER USER', /must be owner of table audit_events/],
    ['CREATE ROLE intruder', /permission denied to create role/],
    ['DELETE FROM schema_migrations', /permission denied for table schema_migrations/],
  ])('cannot change the schema or the migration history: %s', async (sql, message) => {
    await expect(app.query(sql)).rejects.toMatchObject({ message: expect.stringMatching(message) });
  });

  const tables = async (): Promise<string[]> =>
    (await app.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r: { name: string }) => r.name);
  const columns = async (table: string): Promise<string[]> =>
    (await app.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table])).map((r: { name: string }) => r.name);

  it('has a decided privilege for every table, and lists no table that does not exist', async () => {
    const existing = await tables();
    expect(existing.filter((table) => !(table in APP_PRIVILEGES))).toEqual([]);
    expect(Object.keys(APP_PRIVILEGES).filter((table) => !existing.includes(table))).toEqual([]);
    for (const [table, rights] of Object.entries(APP_PRIVILEGES)) {
      const known = await columns(table);
      expect([table, rights.update.filter((column) => !known.includes(column))]).toEqual([table, []]);
    }
  });

  it('holds exactly the listed rights on every table and column', async () => {
    const granted = await app.query(
      `SELECT t.name, p.privilege FROM unnest($1::text[]) t(name), unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(privilege)
       WHERE has_table_privilege(current_user, t.name, p.privilege)`,
      [await tables()],
    );
    const expected = Object.entries(APP_PRIVILEGES).flatMap(([table, rights]) => [
      `${table} SELECT`,
      ...(rights.insert ? [`${table} INSERT`] : []),
      ...(rights.delete ? [`${table} DELETE`] : []),
    ]);
    expect(granted.map((r: { name: string; privilege: string }) => `${r.name} ${r.privilege}`).sort()).toEqual(expected.sort());
    for (const [table, rights] of Object.entries(APP_PRIVILEGES)) {
      const updatable = await app.query(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND has_column_privilege(current_user, $1, column_name, 'UPDATE') ORDER BY 1`,
        [table],
      );
      expect([table, updatable.map((r: { name: string }) => r.name)]).toEqual([table, [...rights.update].sort()]);
    }
  });

  it('is refused every DELETE, INSERT and column UPDATE the service never makes, table by table', async () => {
    const refused: string[] = [];
    const tried: string[] = [];
    const attempt = async (sql: string) => {
      tried.push(sql);
      const runner = t.app.get(DataSource).createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(sql);
      } catch (error) {
        if (/permission denied/.test((error as Error).message)) refused.push(sql);
      } finally {
        await runner.rollbackTransaction().catch(() => undefined);
        await runner.release();
      }
    };
    for (const [table, rights] of Object.entries(APP_PRIVILEGES)) {
      const name = `"${table}"`;
      if (!rights.delete) await attempt(`DELETE FROM ${name}`);
      if (!rights.insert) await attempt(`INSERT INTO ${name} DEFAULT VALUES`);
      await attempt(`TRUNCATE ${name}`);
      for (const column of await columns(table)) {
        if (!rights.update.includes(column)) await attempt(`UPDATE ${name} SET "${column}" = DEFAULT`);
      }
    }
    expect(tried.length).toBeGreaterThan(200);
    expect(tried.filter((sql) => !refused.includes(sql))).toEqual([]);
    // The red team's finding: clinical records could be deleted, and any column rewritten.
    expect(refused).toEqual(expect.arrayContaining(['DELETE FROM "patients"', 'DELETE FROM "observations"', 'DELETE FROM "taper_orders"', 'UPDATE "observations" SET "score" = DEFAULT', 'UPDATE "patients" SET "created_at" = DEFAULT']));
  });

  it('cannot choose an audit row’s sequence number: not ahead of the trail, not a block of the next ones, not in a session that drew none', async () => {
    const runner = app.createQueryRunner();
    await runner.connect();
    try {
      // Drawn by the identity, one row or several in one statement (as the service lists a page's patients): taken.
      await runner.query(`INSERT INTO audit_events (action, resource, outcome) VALUES ('READ', 'drawn', 'SUCCESS')`);
      await runner.query(`INSERT INTO audit_events (action, resource, outcome) VALUES ('READ', 'drawn', 'SUCCESS'), ('READ', 'drawn', 'SUCCESS'), ('READ', 'drawn', 'SUCCESS')`);
      const [{ top }] = await runner.query(`SELECT currval(pg_get_serial_sequence('audit_events', 'seq'))::int AS top`);
      const refused = /the audit trail numbers its own rows: seq \d+ was not drawn from its sequence/;
      // The review's forgeries: a row pinned at the top for good, and the next 40 numbers claimed.
      await expect(runner.query(`INSERT INTO audit_events (seq, action, resource, outcome) OVERRIDING SYSTEM VALUE VALUES (1000000, 'READ', 'forged', 'SUCCESS')`)).rejects.toMatchObject({ message: expect.stringMatching(refused) });
      await expect(
        runner.query(`INSERT INTO audit_events (seq, action, resource, outcome) OVERRIDING SYSTEM VALUE SELECT s, 'READ', 'forged-block', 'SUCCESS' FROM generate_series($1::int + 1, $1::int + 40) s`, [top]),
      ).rejects.toMatchObject({ message: expect.stringMatching(refused) });
      // Just below: the number this session drew last is taken already; the one before it was never drawn here.
      await expect(runner.query(`INSERT INTO audit_events (seq, action, resource, outcome) OVERRIDING SYSTEM VALUE VALUES ($1, 'READ', 'forged', 'SUCCESS')`, [top])).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key/) });
      await expect(runner.query(`INSERT INTO audit_events (seq, action, resource, outcome) OVERRIDING SYSTEM VALUE VALUES ($1, 'READ', 'forged', 'SUCCESS')`, [top - 1])).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key|not drawn/) });
    } finally {
      await runner.release();
    }
    // A session that drew no number at all.
    const fresh = app.createQueryRunner();
    await fresh.connect();
    try {
      await fresh.query('DISCARD SEQUENCES');
      await expect(fresh.query(`INSERT INTO audit_events (seq, action, resource, outcome) OVERRIDING SYSTEM VALUE VALUES (2000000, 'READ', 'forged', 'SUCCESS')`)).rejects.toMatchObject({ message: expect.stringMatching(/currval of sequence "audit_events_seq_seq" is not yet defined in this session/) });
    } finally {
      await fresh.release();
    }
    expect((await app.query(`SELECT count(*)::int AS n FROM audit_events WHERE resource LIKE 'forged%'`))[0].n).toBe(0);
    // The newest row of the list is still the newest one recorded, and the next audited request goes through.
    const [{ seq: newest }] = await app.query(`SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1`);
    await app.query(`INSERT INTO audit_events (action, resource, outcome) VALUES ('READ', 'after-forgery', 'SUCCESS')`);
    const [{ seq: next }] = await app.query(`SELECT seq FROM audit_events WHERE resource = 'after-forgery'`);
    expect(Number(next)).toBeGreaterThan(Number(newest));
    expect(Number(next)).toBeLessThan(1000000);
  });

  it('still seals the audit trail, through the owner’s function', async () => {
    await app.query(`INSERT INTO audit_events (action, resource, outcome) VALUES ('READ', 'least_privilege_test', 'SUCCESS')`);
    const [{ sealed }] = await app.query('SELECT audit_seal() AS sealed');
    expect(sealed).toBeGreaterThanOrEqual(1);
    const [row] = await app.query(`SELECT chain_position FROM audit_events WHERE resource = 'least_privilege_test'`);
    expect(Number(row.chain_position)).toBeGreaterThan(0);
  });
});
