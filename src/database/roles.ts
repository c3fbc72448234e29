import pg from 'pg';

/** The two roles of the least-privilege set-up: one owns the schema, one serves requests. */
export const OWNER_ROLE = 'clinic_owner';
export const APP_ROLE = 'clinic_app';

/** The user name in a postgres:// URL. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Creates (or re-passwords) a login role. The application role can create nothing and log in
 * only; the owner may create databases (for tests) but is no superuser either.
 */
export async function ensureLoginRole(admin: pg.Client, name: string, password: string, kind: 'owner' | 'app'): Promise<void> {
  const rights = kind === 'owner' ? 'LOGIN NOSUPERUSER CREATEDB NOCREATEROLE' : 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION';
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  await admin.query(`${verb} ROLE ${pg.escapeIdentifier(name)} WITH ${rights} PASSWORD ${pg.escapeLiteral(password)}`).catch((error: { code?: string }) => {
    if (error.code !== '42710') throw error; // created by a process racing us
  });
}

/**
 * What the application's role may do, applied by the owner after every migration run (so new
 * tables are covered): read and write the clinical and billing tables; on the audit trail only
 * SELECT and INSERT (sealing goes through the owner's SECURITY DEFINER function); read the
 * migration history; create and alter nothing.
 */
export async function grantApplicationRights(ownerUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const app = pg.escapeIdentifier(appRole);
  try {
    await client.query('BEGIN');
    await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${app}`);
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${app}`);
    await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM ${app}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
