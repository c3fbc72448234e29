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
   * The audit trail: append-only and tamper-evident. An insert takes no lock, so audited
   * requests commit in parallel; the sealer (audit_seal(), run by the service every second and
   * before every check) then chains the committed rows in the order it finds them: each sealed
   * row gets its position, the SHA-256 of the row before it, and its own hash over both and its
   * content. Update, delete and truncate are refused, except the sealer filling a row's chain
   * fields once. The single chain-head row remembers the last position and hash.
   */
  private async createAuditTrail(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        action text NOT NULL CHECK (action ~ '^[A-Z_]{3,30}$'),
        resource text NOT NULL CHECK (length(resource) BETWEEN 1 AND 200),
        resource_id text CHECK (length(resource_id) <= 200),
        patient_id uuid,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'DENIED')),
        correlation_id text CHECK (length(correlation_id) <= 200),
        address text CHECK (length(address) <= 100),
        detail jsonb,
        chain_position bigint UNIQUE,
        prev_hash bytea,
        hash bytea,
        CONSTRAINT audit_events_sealed_check CHECK ((chain_position IS NULL) = (prev_hash IS NULL) AND (prev_hash IS NULL) = (hash IS NULL))
      )`);
    await db.query(`CREATE INDEX audit_events_patient_idx ON audit_events (patient_id, seq) WHERE patient_id IS NOT NULL`);
    await db.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq) WHERE actor_id IS NOT NULL`);
    await db.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await db.query(`CREATE INDEX audit_events_unsealed_idx ON audit_events (seq) WHERE chain_position IS NULL`);

    await db.query(`
      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position bigint NOT NULL,
        hash bytea NOT NULL
      )`);
    await db.query(`INSERT INTO audit_chain_head (position, hash) VALUES (0, decode(repeat('00', 32), 'hex'))`);

    // The canonical content of a row: a JSON array with the instant in UTC, whatever the session's TimeZone.
    await db.query(`
      CREATE FUNCTION audit_event_hash(e audit_events) RETURNS bytea
      LANGUAGE sql STABLE AS $$
        SELECT sha256(e.prev_hash || convert_to(jsonb_build_array(
          e.chain_position, e.seq, e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          e.actor_id, e.action, e.resource, e.resource_id, e.patient_id, e.outcome,
          e.correlation_id, e.address, e.detail)::text, 'UTF8'))
      $$`);

    // A new row arrives unsealed, stamped by the server's clock: neither can be chosen by the writer.
    await db.query(`
      CREATE FUNCTION audit_events_arrive() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW.at := clock_timestamp();
        NEW.chain_position := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER audit_events_arrive BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_arrive()`);

    // SECURITY DEFINER: the application's role may only insert and read audit rows, yet seals them through this.
    await db.query(`
      CREATE FUNCTION audit_seal(max_rows integer DEFAULT 10000) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        head audit_chain_head%ROWTYPE;
        pending audit_events%ROWTYPE;
        sealed integer := 0;
      BEGIN
        SELECT * INTO head FROM audit_chain_head WHERE singleton FOR UPDATE;
        PERFORM set_config('audit.sealing', 'on', true);
        SET CONSTRAINTS audit_events_sealed_under_head DEFERRED; -- checked at commit, once the head has moved
        FOR pending IN SELECT * FROM audit_events WHERE chain_position IS NULL ORDER BY seq LIMIT max_rows LOOP
          pending.chain_position := head.position + 1;
          pending.prev_hash := head.hash;
          pending.hash := audit_event_hash(pending);
          UPDATE audit_events SET chain_position = pending.chain_position, prev_hash = pending.prev_hash, hash = pending.hash
            WHERE seq = pending.seq;
          head.position := pending.chain_position;
          head.hash := pending.hash;
          sealed := sealed + 1;
        END LOOP;
        UPDATE audit_chain_head SET position = head.position, hash = head.hash WHERE singleton;
        PERFORM set_config('audit.sealing', 'off', true);
        RETURN sealed;
      END $$`);

    // Only audit_seal() may fill in a row's chain fields, once, and move the head on to the last row
    // it sealed. It says so with the transaction-local audit.sealing; since any session can set that
    // too, what it lets through is checked to be exactly what audit_seal() writes: the next places
    // after the head, each linked to the one before and hashed; the head moved on to a sealed row.
    await db.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        head audit_chain_head%ROWTYPE;
      BEGIN
        IF current_setting('audit.sealing', true) = 'on' AND TG_OP = 'UPDATE' THEN
          IF TG_TABLE_NAME = 'audit_chain_head' THEN
            IF (NEW.position = OLD.position AND NEW.hash = OLD.hash)
               OR (NEW.position > OLD.position AND EXISTS (SELECT FROM audit_events WHERE chain_position = NEW.position AND hash = NEW.hash)) THEN
              RETURN NEW;
            END IF;
          ELSE
            SELECT * INTO head FROM audit_chain_head;
            IF OLD.chain_position IS NULL
               AND (to_jsonb(NEW) - ARRAY['chain_position', 'prev_hash', 'hash']) = (to_jsonb(OLD) - ARRAY['chain_position', 'prev_hash', 'hash'])
               AND NEW.chain_position > head.position
               AND NEW.prev_hash = (CASE WHEN NEW.chain_position = head.position + 1 THEN head.hash
                                         ELSE (SELECT hash FROM audit_events WHERE chain_position = NEW.chain_position - 1) END)
               AND NEW.hash = audit_event_hash(NEW) THEN
              RETURN NEW;
            END IF;
          END IF;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // ...and by the end of the transaction the head must have moved on past every row sealed in it.
    await db.query(`
      CREATE FUNCTION audit_check_sealed_under_head() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.chain_position > (SELECT position FROM audit_chain_head) THEN
          RAISE EXCEPTION 'the audit trail is append-only: UPDATE on audit_events refused (row sealed without moving the chain head)'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER audit_events_sealed_under_head AFTER UPDATE ON audit_events DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (OLD.chain_position IS NULL AND NEW.chain_position IS NOT NULL) EXECUTE FUNCTION audit_check_sealed_under_head()`);
    for (const table of ['audit_events', 'audit_chain_head']) {
      await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
      await db.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    // CASCADE also drops audit_event_hash, which takes a row of audit_events.
    await db.query(`DROP TABLE audit_events, audit_chain_head, login_failures, refresh_tokens, users CASCADE`);
    await db.query(`DROP FUNCTION audit_refuse_change(), audit_check_sealed_under_head(), audit_events_arrive(), audit_seal(integer)`);
  }
}
