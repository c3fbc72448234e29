import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Taper orders (one row per version, at most one ACTIVE per opioid and admission) with their
 * steps, withdrawal and pain observations, and the non-opioid pain plan (medications with the
 * checks they were overridden past, one ACTIVE order per drug; non-drug therapies).
 * Generated from the entities, reviewed.
 */
export class TaperObservationsPainPlan1795812811544 implements MigrationInterface {
    name = 'TaperObservationsPainPlan1795812811544'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "observations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "type" text NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "score" integer NOT NULL,
                "items" jsonb,
                "band" text,
                "alerts" jsonb NOT NULL,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "observations_score_check" CHECK (
                    (
                        type = 'COWS'
                        AND score BETWEEN 0 AND 48
                        AND items IS NOT NULL
                        AND band IS NOT NULL
                    )
                    OR (
                        type = 'PAIN'
                        AND score BETWEEN 0 AND 10
                        AND items IS NULL
                        AND band IS NULL
                    )
                ),
                CONSTRAINT "observations_type_check" CHECK (type IN ('COWS', 'PAIN')),
                CONSTRAINT "observations_band_check" CHECK (
                    band IS NULL
                    OR band IN (
                        'NONE',
                        'MILD',
                        'MODERATE',
                        'MODERATELY_SEVERE',
                        'SEVERE'
                    )
                ),
                CONSTRAINT "PK_f9208d64f50a76030758087c0ef" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "observations_position_key" ON "observations" ("position")
        `);
        await queryRunner.query(`
            CREATE INDEX "observations_admission_time_idx" ON "observations" ("admission_id", "recorded_at", "position")
        `);
        await queryRunner.query(`
            CREATE INDEX "observations_admission_type_time_idx" ON "observations" ("admission_id", "type", "recorded_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "pain_medications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "drug" text NOT NULL,
                "dose" numeric(12, 3) NOT NULL,
                "unit" text NOT NULL,
                "times_per_day" integer NOT NULL,
                "route" text NOT NULL,
                "indication" text,
                "daily_dose" numeric(12, 3) NOT NULL,
                "max_daily_dose" numeric(12, 3) NOT NULL,
                "status" text NOT NULL DEFAULT 'ACTIVE',
                "warnings" jsonb NOT NULL,
                "overridden" jsonb NOT NULL,
                "override_reason" text,
                "ordered_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "discontinued_at" TIMESTAMP WITH TIME ZONE,
                "discontinued_by" uuid,
                "discontinue_reason" text,
                CONSTRAINT "pain_medications_override_check" CHECK (
                    jsonb_array_length(overridden) = 0
                    OR override_reason IS NOT NULL
                ),
                CONSTRAINT "pain_medications_discontinued_check" CHECK (
                    (status = 'DISCONTINUED') = (
                        discontinued_at IS NOT NULL
                        AND discontinued_by IS NOT NULL
                        AND discontinue_reason IS NOT NULL
                    )
                ),
                CONSTRAINT "pain_medications_dose_check" CHECK (
                    dose > 0
                    AND times_per_day BETWEEN 1 AND 24
                    AND daily_dose > 0
                ),
                CONSTRAINT "pain_medications_route_check" CHECK (route IN ('ORAL', 'TOPICAL', 'TRANSDERMAL')),
                CONSTRAINT "pain_medications_unit_check" CHECK (unit IN ('mg', 'patch')),
                CONSTRAINT "pain_medications_status_check" CHECK (status IN ('ACTIVE', 'DISCONTINUED')),
                CONSTRAINT "PK_846729335b0fa290c2dac4dd14a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "pain_medications_one_active_per_drug" ON "pain_medications" ("admission_id", "drug")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`
            CREATE INDEX "pain_medications_admission_idx" ON "pain_medications" ("admission_id", "status")
        `);
        await queryRunner.query(`
            CREATE TABLE "pain_therapies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "type" text NOT NULL,
                "frequency" text NOT NULL,
                "notes" text,
                "ordered_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pain_therapies_type_check" CHECK (
                    type IN (
                        'PHYSIOTHERAPY',
                        'MOVEMENT',
                        'SLEEP',
                        'CBT',
                        'ACCEPTANCE',
                        'INTERVENTIONAL'
                    )
                ),
                CONSTRAINT "PK_b03cd2e7e28a2c4a6161a7559f1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "pain_therapies_admission_idx" ON "pain_therapies" ("admission_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "taper_orders" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "status" text NOT NULL,
                "drug" text NOT NULL,
                "formulation" text NOT NULL,
                "unit" text NOT NULL,
                "start_daily_dose" numeric(12, 3) NOT NULL,
                "unit_strengths" jsonb NOT NULL,
                "allow_half_tablets" boolean NOT NULL,
                "reduction_percent" numeric(6, 3) NOT NULL,
                "interval_days" integer NOT NULL,
                "basis" text NOT NULL,
                "start_date" date NOT NULL,
                "target_daily_dose" numeric(12, 3) NOT NULL,
                "override_reason" text,
                "life_threatening_reason" text,
                "ends_on" date NOT NULL,
                "warnings" jsonb NOT NULL,
                "pauses" jsonb NOT NULL,
                "supersedes_id" uuid,
                "effective_from" date,
                "amendment_reason" text,
                "superseded_from" date,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "signed_by" uuid,
                "signed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "taper_orders_order_version_key" UNIQUE ("order_id", "version"),
                CONSTRAINT "taper_orders_signed_check" CHECK ((status = 'DRAFT') = (signed_by IS NULL)),
                CONSTRAINT "taper_orders_rate_check" CHECK (
                    reduction_percent > 0
                    AND reduction_percent <= 100
                    AND interval_days >= 1
                ),
                CONSTRAINT "taper_orders_doses_check" CHECK (
                    start_daily_dose > 0
                    AND target_daily_dose >= 0
                    AND target_daily_dose < start_daily_dose
                ),
                CONSTRAINT "taper_orders_basis_check" CHECK (basis IN ('START', 'CURRENT')),
                CONSTRAINT "taper_orders_status_check" CHECK (status IN ('DRAFT', 'ACTIVE', 'SUPERSEDED')),
                CONSTRAINT "PK_2391cccd9ef5a296c66075c3c1d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "taper_orders_order_idx" ON "taper_orders" ("order_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "taper_orders_admission_idx" ON "taper_orders" ("admission_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "taper_orders_one_active_per_drug" ON "taper_orders" ("admission_id", "drug")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`
            CREATE TABLE "taper_steps" (
                "version_id" uuid NOT NULL,
                "step" integer NOT NULL,
                "starts_on" date NOT NULL,
                "daily_dose" numeric(12, 3) NOT NULL,
                "daily_mme" numeric(14, 5) NOT NULL,
                "reduction_percent" numeric(6, 2) NOT NULL,
                "percent_of_start" numeric(6, 2) NOT NULL,
                CONSTRAINT "PK_0e510f351c28d02a3965b386eee" PRIMARY KEY ("version_id", "step")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "taper_steps_version_starts_idx" ON "taper_steps" ("version_id", "starts_on")
        `);
        await queryRunner.query(`
            ALTER TABLE "observations"
            ADD CONSTRAINT "FK_4db49a2d1d3d82d22d2fa46bfd1" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "observations"
            ADD CONSTRAINT "FK_26133b14cbfaa9740c1a8f4076c" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "observations"
            ADD CONSTRAINT "FK_35e3b41142a85c3da6644bb0eb8" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications"
            ADD CONSTRAINT "FK_d644828e46b1f5cc7c16328a86c" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications"
            ADD CONSTRAINT "FK_3936bf2bd12711e5d992b71e335" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications"
            ADD CONSTRAINT "FK_889ce37dccb8cae94b447dbe7c4" FOREIGN KEY ("ordered_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications"
            ADD CONSTRAINT "FK_6bb0105c519911e0e07a2f15de7" FOREIGN KEY ("discontinued_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies"
            ADD CONSTRAINT "FK_7993783e2891c01e14c1469bd19" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies"
            ADD CONSTRAINT "FK_ae0b22088c9ea69b7eddbd83d39" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies"
            ADD CONSTRAINT "FK_a7a707b4cfb4185da00ef9678b3" FOREIGN KEY ("ordered_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders"
            ADD CONSTRAINT "FK_abb193fd475f1ca83bf27a72c70" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders"
            ADD CONSTRAINT "FK_5a85558d212af3f15959faabeed" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders"
            ADD CONSTRAINT "FK_53b640470f80e377b8c95e331bb" FOREIGN KEY ("supersedes_id") REFERENCES "taper_orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders"
            ADD CONSTRAINT "FK_276986115c8a8d2465a1969ecf4" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders"
            ADD CONSTRAINT "FK_59be3eda442ca23a2695f81623b" FOREIGN KEY ("signed_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_steps"
            ADD CONSTRAINT "FK_9b42861e310391d16a16431c0c6" FOREIGN KEY ("version_id") REFERENCES "taper_orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "taper_steps" DROP CONSTRAINT "FK_9b42861e310391d16a16431c0c6"
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" DROP CONSTRAINT "FK_59be3eda442ca23a2695f81623b"
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" DROP CONSTRAINT "FK_276986115c8a8d2465a1969ecf4"
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" DROP CONSTRAINT "FK_53b640470f80e377b8c95e331bb"
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" DROP CONSTRAINT "FK_5a85558d212af3f15959faabeed"
        `);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" DROP CONSTRAINT "FK_abb193fd475f1ca83bf27a72c70"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies" DROP CONSTRAINT "FK_a7a707b4cfb4185da00ef9678b3"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies" DROP CONSTRAINT "FK_ae0b22088c9ea69b7eddbd83d39"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_therapies" DROP CONSTRAINT "FK_7993783e2891c01e14c1469bd19"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications" DROP CONSTRAINT "FK_6bb0105c519911e0e07a2f15de7"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications" DROP CONSTRAINT "FK_889ce37dccb8cae94b447dbe7c4"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications" DROP CONSTRAINT "FK_3936bf2bd12711e5d992b71e335"
        `);
        await queryRunner.query(`
            ALTER TABLE "pain_medications" DROP CONSTRAINT "FK_d644828e46b1f5cc7c16328a86c"
        `);
        await queryRunner.query(`
            ALTER TABLE "observations" DROP CONSTRAINT "FK_35e3b41142a85c3da6644bb0eb8"
        `);
        await queryRunner.query(`
            ALTER TABLE "observations" DROP CONSTRAINT "FK_26133b14cbfaa9740c1a8f4076c"
        `);
        await queryRunner.query(`
            ALTER TABLE "observations" DROP CONSTRAINT "FK_4db49a2d1d3d82d22d2fa46bfd1"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."taper_steps_version_starts_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "taper_steps"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."taper_orders_one_active_per_drug"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."taper_orders_admission_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."taper_orders_order_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "taper_orders"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."pain_therapies_admission_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "pain_therapies"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."pain_medications_admission_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."pain_medications_one_active_per_drug"
        `);
        await queryRunner.query(`
            DROP TABLE "pain_medications"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."observations_admission_type_time_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."observations_admission_time_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."observations_position_key"
        `);
        await queryRunner.query(`
            DROP TABLE "observations"
        `);
    }

}
