import type { MigrationInterface, QueryRunner } from "typeorm";

/** The comfort medicines of a taper (domain.md §8a), at their common strengths, so they can be dispensed and billed. */
const COMFORT_FORMULARY: [drug: string, strength: number, form: string, minor: number][] = [
    ['clonidine', 0.1, 'tablet', 800],
    ['lofexidine', 0.2, 'tablet', 9_500],
    ['loperamide', 2, 'capsule', 500],
    ['ondansetron', 4, 'tablet', 3_500],
    ['ondansetron', 8, 'tablet', 5_500],
];

/**
 * The medication administration record: as-needed orders, and every dose given, held, refused or
 * omitted. Generated from the entities and reviewed; the guard that keeps a recorded dose from
 * being edited or deleted (only voided, once) and the formulary rows are hand-written.
 */
export class MedicationAdministrationRecord1796655437500 implements MigrationInterface {
    name = 'MedicationAdministrationRecord1796655437500'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "administrations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "order_kind" text NOT NULL,
                "order_id" uuid NOT NULL,
                "version_id" uuid,
                "drug" text NOT NULL,
                "formulation" text,
                "dose" numeric(12, 3) NOT NULL,
                "unit" text NOT NULL,
                "given_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "given_on" date NOT NULL,
                "outcome" text NOT NULL,
                "reason" text,
                "given_by" uuid NOT NULL,
                "witness_id" uuid,
                "warnings" jsonb NOT NULL,
                "idempotency_key" text NOT NULL,
                "request_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "voided_at" TIMESTAMP WITH TIME ZONE,
                "voided_by" uuid,
                "void_reason" text,
                CONSTRAINT "administrations_idempotency_key" UNIQUE ("admission_id", "idempotency_key"),
                CONSTRAINT "administrations_void_check" CHECK (
                    (voided_at IS NULL) = (voided_by IS NULL)
                    AND (voided_at IS NULL) = (void_reason IS NULL)
                ),
                CONSTRAINT "administrations_taper_version_check" CHECK (
                    (order_kind = 'TAPER') = (version_id IS NOT NULL)
                ),
                CONSTRAINT "administrations_witness_check" CHECK (
                    witness_id IS NULL
                    OR witness_id <> given_by
                ),
                CONSTRAINT "administrations_dose_check" CHECK (dose > 0),
                CONSTRAINT "administrations_reason_check" CHECK (
                    outcome = 'GIVEN'
                    OR reason IS NOT NULL
                ),
                CONSTRAINT "administrations_outcome_check" CHECK (
                    outcome IN ('GIVEN', 'HELD', 'REFUSED', 'OMITTED')
                ),
                CONSTRAINT "administrations_kind_check" CHECK (
                    order_kind IN ('TAPER', 'PAIN_PLAN', 'AS_NEEDED')
                ),
                CONSTRAINT "PK_12da45c1c01beca2a84ee9e47e1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "administrations_admission_idx" ON "administrations" ("admission_id", "given_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "administrations_order_day_idx" ON "administrations" ("order_id", "given_on")
        `);
        await queryRunner.query(`
            CREATE TABLE "as_needed_orders" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "drug" text NOT NULL,
                "dose" numeric(12, 3) NOT NULL,
                "unit" text NOT NULL,
                "route" text NOT NULL,
                "min_interval_hours" numeric(5, 2) NOT NULL,
                "max_doses_per_day" integer NOT NULL,
                "indication" text NOT NULL,
                "cows_threshold" integer,
                "status" text NOT NULL DEFAULT 'ACTIVE',
                "warnings" jsonb NOT NULL,
                "overridden" jsonb NOT NULL,
                "override_reason" text,
                "ordered_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "discontinued_at" TIMESTAMP WITH TIME ZONE,
                "discontinued_by" uuid,
                "discontinue_reason" text,
                CONSTRAINT "as_needed_orders_override_check" CHECK (
                    jsonb_array_length(overridden) = 0
                    OR override_reason IS NOT NULL
                ),
                CONSTRAINT "as_needed_orders_discontinued_check" CHECK (
                    (status = 'DISCONTINUED') = (
                        discontinued_at IS NOT NULL
                        AND discontinued_by IS NOT NULL
                        AND discontinue_reason IS NOT NULL
                    )
                ),
                CONSTRAINT "as_needed_orders_cows_check" CHECK (
                    cows_threshold IS NULL
                    OR cows_threshold BETWEEN 0 AND 48
                ),
                CONSTRAINT "as_needed_orders_dose_check" CHECK (
                    dose > 0
                    AND min_interval_hours > 0
                    AND max_doses_per_day BETWEEN 1 AND 24
                ),
                CONSTRAINT "as_needed_orders_status_check" CHECK (status IN ('ACTIVE', 'DISCONTINUED')),
                CONSTRAINT "PK_569721ddb7d42733155de316f5e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "as_needed_orders_one_active_per_drug" ON "as_needed_orders" ("admission_id", "drug")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`
            CREATE INDEX "as_needed_orders_admission_idx" ON "as_needed_orders" ("admission_id", "status")
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_ef31870cdcbed1544d495a82b06" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_20017698028a4330f974fe2a061" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_a3057f44c354ca186b770164310" FOREIGN KEY ("version_id") REFERENCES "taper_orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_f7a755773c00cb2c610198a9abe" FOREIGN KEY ("given_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_3854631f7e71fb9efe774d493ad" FOREIGN KEY ("witness_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations"
            ADD CONSTRAINT "FK_f23da3c87404b828015c9163b8d" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders"
            ADD CONSTRAINT "FK_1f6bfb5db2938c168582afa2e8e" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders"
            ADD CONSTRAINT "FK_3aadb58d5a86bd5f6d61549b2d9" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders"
            ADD CONSTRAINT "FK_8783ff35a68ca5f7ad78c16f957" FOREIGN KEY ("ordered_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders"
            ADD CONSTRAINT "FK_52c0ca1d77219b6f69a993f93d8" FOREIGN KEY ("discontinued_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            CREATE FUNCTION administrations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'a recorded dose is never deleted; void it' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF OLD.voided_at IS NOT NULL OR NEW.voided_at IS NULL
                        OR (to_jsonb(NEW) - 'voided_at' - 'voided_by' - 'void_reason') <> (to_jsonb(OLD) - 'voided_at' - 'voided_by' - 'void_reason') THEN
                    RAISE EXCEPTION 'recorded dose % cannot change, except voided once', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await queryRunner.query(`CREATE TRIGGER administrations_guard BEFORE UPDATE OR DELETE ON administrations FOR EACH ROW EXECUTE FUNCTION administrations_guard()`);
        const insertPrice = `INSERT INTO prices (item_code, product, label, unit_price_minor, currency, valid_from) VALUES ('MEDICATION', $1, $2, $3, 'THB', '2020-01-01')`;
        for (const [drug, strength, form, minor] of COMFORT_FORMULARY) {
            await queryRunner.query(insertPrice, [`${drug}:${strength}:mg`, `${drug[0]!.toUpperCase()}${drug.slice(1)} ${strength} mg ${form}`, minor]);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM prices WHERE item_code = 'MEDICATION' AND product = ANY($1)`, [COMFORT_FORMULARY.map(([drug, strength]) => `${drug}:${strength}:mg`)]);
        await queryRunner.query(`DROP TRIGGER administrations_guard ON administrations`);
        await queryRunner.query(`DROP FUNCTION administrations_guard()`);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders" DROP CONSTRAINT "FK_52c0ca1d77219b6f69a993f93d8"
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders" DROP CONSTRAINT "FK_8783ff35a68ca5f7ad78c16f957"
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders" DROP CONSTRAINT "FK_3aadb58d5a86bd5f6d61549b2d9"
        `);
        await queryRunner.query(`
            ALTER TABLE "as_needed_orders" DROP CONSTRAINT "FK_1f6bfb5db2938c168582afa2e8e"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_f23da3c87404b828015c9163b8d"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_3854631f7e71fb9efe774d493ad"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_f7a755773c00cb2c610198a9abe"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_a3057f44c354ca186b770164310"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_20017698028a4330f974fe2a061"
        `);
        await queryRunner.query(`
            ALTER TABLE "administrations" DROP CONSTRAINT "FK_ef31870cdcbed1544d495a82b06"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."as_needed_orders_admission_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."as_needed_orders_one_active_per_drug"
        `);
        await queryRunner.query(`
            DROP TABLE "as_needed_orders"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."administrations_order_day_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."administrations_admission_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "administrations"
        `);
    }
}
