import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
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

  it('still seals the audit trail, through the owner’s function', async () => {
    await app.query(`INSERT INTO audit_events (action, resource, outcome) VALUES ('READ', 'least_privilege_test', 'SUCCESS')`);
    const [{ sealed }] = await app.query('SELECT audit_seal() AS sealed');
    expect(sealed).toBeGreaterThanOrEqual(1);
    const [row] = await app.query(`SELECT chain_position FROM audit_events WHERE resource = 'least_privilege_test'`);
    expect(Number(row.chain_position)).toBeGreaterThan(0);
  });
});
