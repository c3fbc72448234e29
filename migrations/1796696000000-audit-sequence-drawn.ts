import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An audit row's sequence number is drawn from the table's identity, never chosen by the writer.
 * `GENERATED ALWAYS` does not stop a role with INSERT from choosing one (`OVERRIDING SYSTEM
 * VALUE`): a forged row could pin itself at the top of the list (newest first, by seq) for good,
 * or claim the next numbers so that every audited request failed as a duplicate until the
 * identity passed them. The arrival trigger now refuses a row whose seq is not the number this
 * session just drew for it (currval); with none drawn in the session, currval refuses it itself.
 */
export class AuditSequenceDrawn1796696000000 implements MigrationInterface {
    name = 'AuditSequenceDrawn1796696000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        const [{ sequence }]: { sequence: string }[] = await queryRunner.query(`SELECT pg_get_serial_sequence('audit_events', 'seq') AS sequence`);
        await queryRunner.query(`
          CREATE OR REPLACE FUNCTION audit_events_arrive() RETURNS trigger
          LANGUAGE plpgsql AS $$
          BEGIN
            -- The identity draws the number just before this trigger runs, row by row.
            IF NEW.seq IS DISTINCT FROM currval('${sequence.replace(/'/g, "''")}'::regclass) THEN
              RAISE EXCEPTION 'the audit trail numbers its own rows: seq % was not drawn from its sequence', NEW.seq
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            NEW.at := clock_timestamp();
            NEW.chain_position := NULL;
            NEW.prev_hash := NULL;
            NEW.hash := NULL;
            RETURN NEW;
          END $$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
          CREATE OR REPLACE FUNCTION audit_events_arrive() RETURNS trigger
          LANGUAGE plpgsql AS $$
          BEGIN
            NEW.at := clock_timestamp();
            NEW.chain_position := NULL;
            NEW.prev_hash := NULL;
            NEW.hash := NULL;
            RETURN NEW;
          END $$`);
    }
}
