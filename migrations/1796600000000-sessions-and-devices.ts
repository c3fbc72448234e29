import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that end at once, and devices that signed in before.
 *
 * - `sessions`: one row per sign-in (a refresh-token family; access tokens carry its id as `sid`).
 *   Ending it (logout, reuse of a refresh token, deactivation, a role or password change) refuses
 *   its access tokens on the next request, on every instance: the user lookup of each request
 *   reads it in the same statement.
 * - `login_devices`: a device that signed in successfully gets a device token (only a hash of
 *   its secret is kept); failed logins from it are counted apart from those of unknown devices,
 *   so strangers cannot lock its owner out (OWASP's device cookies).
 */
export class SessionsAndDevices1796600000000 implements MigrationInterface {
  name = 'SessionsAndDevices1796600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        end_reason text CHECK (end_reason ~ '^[A-Z_]{3,40}$'),
        CONSTRAINT sessions_end_check CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await db.query(`CREATE INDEX sessions_user_open_idx ON sessions (user_id) WHERE ended_at IS NULL`);
    // The sessions already open keep working: each family becomes a session, ended if it was revoked.
    await db.query(`
      INSERT INTO sessions (id, user_id, started_at, ended_at, end_reason)
      SELECT family_id, user_id, min(created_at),
             CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END,
             CASE WHEN bool_and(revoked_at IS NOT NULL) THEN 'REVOKED' END
      FROM refresh_tokens GROUP BY family_id, user_id`);

    await db.query(`
      CREATE TABLE login_devices (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX login_devices_user_idx ON login_devices (user_id, last_used_at)`);
    // Null: a failure from an unknown device (no device token, or not this account's).
    await db.query(`ALTER TABLE login_failures ADD COLUMN device_id uuid`);
    await db.query(`CREATE INDEX login_failures_device_at_idx ON login_failures (device_id, at) WHERE device_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE login_failures DROP COLUMN device_id`);
    await db.query(`DROP TABLE login_devices`);
    await db.query(`DROP TABLE sessions`);
  }
}
