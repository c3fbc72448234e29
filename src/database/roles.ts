import pg from 'pg';
import { APP_PRIVILEGES } from './app-privileges.js';

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
 * tables are covered): on each table exactly the rights APP_PRIVILEGES lists (app-privileges.ts),
 * column by column for UPDATE; on a table it does not list, nothing. Sealing the audit trail goes
 * through the owner's SECURITY DEFINER function; the role creates and alters nothing.
 */
export async function grantApplicationRights(ownerUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const app = pg.escapeIdentifier(appRole);
  try {
    await client.query('BEGIN');
    await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    // Column privileges go with the table's: this starts every table from nothing.
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`);
    const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    for (const { name } of tables.rows) {
      for (const statement of grantsOn(name, app)) await client.query(statement);
    }
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function grantsOn(table: string, app: string): string[] {
  const rights = APP_PRIVILEGES[table];
  if (!rights) return [];
  const name = pg.escapeIdentifier(table);
  const tableRights = ['SELECT', ...(rights.insert ? ['INSERT'] : []), ...(rights.delete ? ['DELETE'] : [])];
  const statements = [`GRANT ${tableRights.join(', ')} ON ${name} TO ${app}`];
  if (rights.update.length > 0) statements.push(`GRANT UPDATE (${rights.update.map((column) => pg.escapeIdentifier(column)).join(', ')}) ON ${name} TO ${app}`);
  return statements;
}
