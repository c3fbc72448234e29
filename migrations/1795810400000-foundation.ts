import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts, sessions, login throttling and the append-only, hash-chained audit trail.
 */
export class Foundation1795810400000 implements MigrationInterface {
  name = 'Foundation1795810400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        password_hash text NOT NULL,
        roles text[] NOT NULL CHECK (
          cardinality(roles) >= 1
          AND roles <@ ARRAY['admin', 'admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare']::text[]),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        family_id uuid NOT NULL,
        secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id)`);
    await db.query(`CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id)`);

    await db.query(`
      CREATE TABLE login_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email_key text NOT NULL,
        address text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX login_failures_email_key_at_idx ON login_failures (email_key, at)`);
    await db.query(`CREATE INDEX login_failures_address_at_idx ON login_failures (address, at)`);

    await this.createAuditTrail(db);
  }

  /**
   * Every row carries the SHA-256 of the row before it and of its own content. The insert
   * trigger fills seq, at, prev_hash and hash under a lock on the single chain-head row, so
   * concurrent writers form one gapless chain; update, delete and truncate are refused.
   */
  private async createAuditTrail(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL,
        actor_id uuid,
        action text NOT NULL CHECK (action ~ '^[A-Z_]{3,30}$'),
        resource text NOT NULL CHECK (length(resource) BETWEEN 1 AND 200),
        resource_id text CHECK (length(resource_id) <= 200),
        patient_id uuid,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'DENIED')),
        correlation_id text CHECK (length(correlation_id) <= 200),
        address text CHECK (length(address) <= 100),
        detail jsonb,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_events_patient_idx ON audit_events (patient_id, seq) WHERE patient_id IS NOT NULL`);
    await db.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq) WHERE actor_id IS NOT NULL`);
    await db.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);

    await db.query(`
      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq bigint NOT NULL,
        hash bytea NOT NULL
      )`);
    await db.query(`INSERT INTO audit_chain_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'))`);

    // The canonical content of a row: a JSON array with the instant in UTC, whatever the session's TimeZone.
    await db.query(`
      CREATE FUNCTION audit_event_hash(e audit_events) RETURNS bytea
      LANGUAGE sql STABLE AS $$
        SELECT sha256(e.prev_hash || convert_to(jsonb_build_array(
          e.seq, e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          e.actor_id, e.action, e.resource, e.resource_id, e.patient_id, e.outcome,
          e.correlation_id, e.address, e.detail)::text, 'UTF8'))
      $$`);

    await db.query(`
      CREATE FUNCTION audit_events_chain() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        head audit_chain_head%ROWTYPE;
      BEGIN
        SELECT * INTO head FROM audit_chain_head WHERE singleton FOR UPDATE;
        NEW.seq := head.seq + 1;
        NEW.at := clock_timestamp();
        NEW.prev_hash := head.hash;
        NEW.hash := audit_event_hash(NEW);
        UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE singleton;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`);

    await db.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        -- The chain head may only move from inside the insert trigger above.
        IF TG_TABLE_NAME = 'audit_chain_head' AND TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_events', 'audit_chain_head']) {
      await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
      await db.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    // CASCADE also drops audit_event_hash, which takes a row of audit_events.
    await db.query(`DROP TABLE audit_events, audit_chain_head, login_failures, refresh_tokens, users CASCADE`);
    await db.query(`DROP FUNCTION audit_refuse_change(), audit_events_chain()`);
  }
}
