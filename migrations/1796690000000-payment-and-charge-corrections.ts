import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Corrections in billing (domain.md §10: "corrections are a void with a reason"): a payment or a
 * manual charge entered by mistake is voided, kept on record and counted nowhere; a payment may
 * carry the client's idempotency key, unique per invoice, so a retry records nothing new.
 *
 * The columns and constraints are generated from the entities and reviewed; the triggers are
 * hand-written. They keep what the service keeps, in the database too:
 * - a payment or a charge is never deleted, and changes only by being voided, once;
 * - an invoice's paid amount is the sum of its payments that are not void, so a PAID invoice
 *   goes back to ISSUED when a payment is voided (the only way back);
 * - a charge on a live invoice is not voided (void the invoice first), and a void charge never
 *   gets onto an invoice.
 */
export class PaymentAndChargeCorrections1796690000000 implements MigrationInterface {
    name = 'PaymentAndChargeCorrections1796690000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "charges" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "charges" ADD "voided_by" uuid`);
        await queryRunner.query(`ALTER TABLE "charges" ADD "void_reason" text`);
        await queryRunner.query(`ALTER TABLE "payments" ADD "idempotency_key" text`);
        await queryRunner.query(`ALTER TABLE "payments" ADD "request_hash" text`);
        await queryRunner.query(`ALTER TABLE "payments" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "payments" ADD "voided_by" uuid`);
        await queryRunner.query(`ALTER TABLE "payments" ADD "void_reason" text`);
        await queryRunner.query(`ALTER TABLE "charges" ADD CONSTRAINT "charges_void_check" CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
        await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "payments_void_check" CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
        await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "payments_key_check" CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))`);
        await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_idempotency_key" UNIQUE ("invoice_id", "idempotency_key")`);
        await queryRunner.query(`ALTER TABLE "charges" ADD CONSTRAINT "FK_51d1f810f3e918879d7311ddbe6" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "FK_499afd81c41c0d58ce9ed252fa0" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await this.createTriggers(queryRunner);
    }

    private async createTriggers(db: QueryRunner): Promise<void> {
        // Unchanged but for one path: PAID back to ISSUED, when a payment is voided.
        await db.query(`
            CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'invoices are never deleted; void them' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NOT ((OLD.status, NEW.status) IN (('DRAFT', 'DRAFT'), ('DRAFT', 'ISSUED'), ('DRAFT', 'PAID'), ('DRAFT', 'VOID'),
                                                     ('ISSUED', 'ISSUED'), ('ISSUED', 'PAID'), ('ISSUED', 'VOID'), ('PAID', 'ISSUED'))) THEN
                    RAISE EXCEPTION 'invoice % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF OLD.status <> 'DRAFT' AND (NEW.admission_id, NEW.patient_id, NEW.number, NEW.year, NEW.sequence, NEW.period_start,
                        NEW.period_end, NEW.currency, NEW.total_minor, NEW.issued_at, NEW.issued_by, NEW.created_at)
                    IS DISTINCT FROM (OLD.admission_id, OLD.patient_id, OLD.number, OLD.year, OLD.sequence, OLD.period_start,
                        OLD.period_end, OLD.currency, OLD.total_minor, OLD.issued_at, OLD.issued_by, OLD.created_at) THEN
                    RAISE EXCEPTION 'issued invoice % cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);

        await db.query(`
            CREATE OR REPLACE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'payments are never deleted; void them' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'UPDATE' THEN
                    IF NOT (OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
                            AND (to_jsonb(NEW) - 'voided_at' - 'voided_by' - 'void_reason') = (to_jsonb(OLD) - 'voided_at' - 'voided_by' - 'void_reason')) THEN
                        RAISE EXCEPTION 'payments are never changed, only voided once' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF (SELECT status FROM invoices WHERE id = NEW.invoice_id) NOT IN ('ISSUED', 'PAID') THEN
                        RAISE EXCEPTION 'a payment is voided only on an issued or paid invoice' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END IF;
                IF (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'ISSUED' THEN
                    RAISE EXCEPTION 'payments are recorded only against an issued, unpaid invoice' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);

        // The paid amount counts the payments that are not void.
        await db.query(`
            CREATE OR REPLACE FUNCTION invoice_totals_check() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                target uuid := CASE TG_TABLE_NAME WHEN 'invoices' THEN (to_jsonb(NEW)->>'id')::uuid ELSE (to_jsonb(NEW)->>'invoice_id')::uuid END;
                mismatch boolean;
            BEGIN
                SELECT i.total_minor <> coalesce((SELECT sum(l.amount_minor) FROM invoice_lines l WHERE l.invoice_id = i.id), 0)
                    OR i.paid_minor <> coalesce((SELECT sum(p.amount_minor) FROM payments p WHERE p.invoice_id = i.id AND p.voided_at IS NULL), 0)
                  INTO mismatch FROM invoices i WHERE i.id = target;
                IF mismatch THEN
                    RAISE EXCEPTION 'invoice % totals do not match its lines and payments', target USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NULL;
            END $$`);

        await db.query(`
            CREATE FUNCTION charges_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'charges are never deleted; void them' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NOT (OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
                        AND (to_jsonb(NEW) - 'voided_at' - 'voided_by' - 'void_reason') = (to_jsonb(OLD) - 'voided_at' - 'voided_by' - 'void_reason')) THEN
                    RAISE EXCEPTION 'charges are never changed, only voided once' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF EXISTS (SELECT 1 FROM invoice_lines l WHERE l.charge_id = NEW.id AND l.live) THEN
                    RAISE EXCEPTION 'charge % is on a live invoice; void the invoice first', NEW.id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await db.query(`CREATE TRIGGER charges_guard BEFORE UPDATE OR DELETE ON charges FOR EACH ROW EXECUTE FUNCTION charges_guard()`);

        await db.query(`
            CREATE FUNCTION invoice_lines_charge_not_void() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.charge_id IS NOT NULL AND (SELECT voided_at FROM charges WHERE id = NEW.charge_id) IS NOT NULL THEN
                    RAISE EXCEPTION 'charge % is void and is never invoiced', NEW.charge_id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await db.query(`CREATE TRIGGER invoice_lines_charge_not_void BEFORE INSERT ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_charge_not_void()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER invoice_lines_charge_not_void ON invoice_lines`);
        await queryRunner.query(`DROP FUNCTION invoice_lines_charge_not_void()`);
        await queryRunner.query(`DROP TRIGGER charges_guard ON charges`);
        await queryRunner.query(`DROP FUNCTION charges_guard()`);
        // The earlier functions (1795813118817-billing) come back with the payments that count all.
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION invoice_totals_check() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                target uuid := CASE TG_TABLE_NAME WHEN 'invoices' THEN (to_jsonb(NEW)->>'id')::uuid ELSE (to_jsonb(NEW)->>'invoice_id')::uuid END;
                mismatch boolean;
            BEGIN
                SELECT i.total_minor <> coalesce((SELECT sum(l.amount_minor) FROM invoice_lines l WHERE l.invoice_id = i.id), 0)
                    OR i.paid_minor <> coalesce((SELECT sum(p.amount_minor) FROM payments p WHERE p.invoice_id = i.id), 0)
                  INTO mismatch FROM invoices i WHERE i.id = target;
                IF mismatch THEN
                    RAISE EXCEPTION 'invoice % totals do not match its lines and payments', target USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NULL;
            END $$`);
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    RAISE EXCEPTION 'payments are never changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'ISSUED' THEN
                    RAISE EXCEPTION 'payments are recorded only against an issued, unpaid invoice' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'invoices are never deleted; void them' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NOT ((OLD.status, NEW.status) IN (('DRAFT', 'DRAFT'), ('DRAFT', 'ISSUED'), ('DRAFT', 'PAID'), ('DRAFT', 'VOID'),
                                                     ('ISSUED', 'ISSUED'), ('ISSUED', 'PAID'), ('ISSUED', 'VOID'))) THEN
                    RAISE EXCEPTION 'invoice % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF OLD.status <> 'DRAFT' AND (NEW.admission_id, NEW.patient_id, NEW.number, NEW.year, NEW.sequence, NEW.period_start,
                        NEW.period_end, NEW.currency, NEW.total_minor, NEW.issued_at, NEW.issued_by, NEW.created_at)
                    IS DISTINCT FROM (OLD.admission_id, OLD.patient_id, OLD.number, OLD.year, OLD.sequence, OLD.period_start,
                        OLD.period_end, OLD.currency, OLD.total_minor, OLD.issued_at, OLD.issued_by, OLD.created_at) THEN
                    RAISE EXCEPTION 'issued invoice % cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "FK_499afd81c41c0d58ce9ed252fa0"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP CONSTRAINT "FK_51d1f810f3e918879d7311ddbe6"`);
        await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "payments_invoice_idempotency_key"`);
        await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "payments_key_check"`);
        await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "payments_void_check"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP CONSTRAINT "charges_void_check"`);
        for (const column of ['void_reason', 'voided_by', 'voided_at', 'request_hash', 'idempotency_key']) await queryRunner.query(`ALTER TABLE "payments" DROP COLUMN "${column}"`);
        for (const column of ['void_reason', 'voided_by', 'voided_at']) await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "${column}"`);
    }
}
