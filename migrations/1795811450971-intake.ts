import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Enquiries, patients, versioned intake assessments, versioned triage rule sets (version 1 holds
 * the defaults of domain.md §3/§6: 90 and 200 MME/day, outpatient pain below 7), triage
 * decisions with overrides, and admissions (one ACTIVE per patient, enforced by a partial index).
 * Generated from the entities, then reviewed; the seed row was added by hand.
 */
export class Intake1795811450971 implements MigrationInterface {
    name = 'Intake1795811450971'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "patients" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "given_name" text NOT NULL,
                "family_name" text NOT NULL,
                "date_of_birth" date NOT NULL,
                "sex" text NOT NULL DEFAULT 'unknown',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "patients_sex_check" CHECK (sex IN ('female', 'male', 'other', 'unknown')),
                CONSTRAINT "patients_family_name_check" CHECK (
                    length(family_name) BETWEEN 1 AND 100
                ),
                CONSTRAINT "patients_given_name_check" CHECK (
                    length(given_name) BETWEEN 1 AND 100
                ),
                CONSTRAINT "PK_a7f0b9fcbb3469d5ec0b0aceaa7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "enquiries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "status" text NOT NULL DEFAULT 'NEW',
                "contact_name" text NOT NULL,
                "contact_phone" text,
                "contact_email" text,
                "relationship" text NOT NULL,
                "source" text,
                "summary" text,
                "patient_id" uuid,
                "status_reason" text,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "enquiries_status_reason_check" CHECK (
                    (status IN ('REFERRED', 'DECLINED', 'CLOSED')) = (status_reason IS NOT NULL)
                ),
                CONSTRAINT "enquiries_contact_name_check" CHECK (
                    length(contact_name) BETWEEN 1 AND 200
                ),
                CONSTRAINT "enquiries_relationship_check" CHECK (
                    relationship IN ('SELF', 'FAMILY', 'PROFESSIONAL')
                ),
                CONSTRAINT "enquiries_status_check" CHECK (
                    status IN (
                        'NEW',
                        'ASSESSED',
                        'TRIAGED',
                        'ADMITTED',
                        'REFERRED',
                        'DECLINED',
                        'CLOSED'
                    )
                ),
                CONSTRAINT "PK_1516c8a887df94dc119a1db749e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "enquiries_position_key" ON "enquiries" ("position")
        `);
        await queryRunner.query(`
            CREATE INDEX "enquiries_patient_idx" ON "enquiries" ("patient_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "enquiries_status_position_idx" ON "enquiries" ("status", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "assessments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enquiry_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "input" jsonb NOT NULL,
                "factor_table" text NOT NULL,
                "total_daily_mme" numeric(14, 5) NOT NULL,
                "mme_lines" jsonb NOT NULL,
                "dsm5_result" jsonb NOT NULL,
                "classification" text NOT NULL,
                "hyperalgesia_suspected" boolean NOT NULL,
                "long_acting" boolean NOT NULL,
                "warnings" jsonb NOT NULL,
                "assessed_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "assessments_enquiry_version_key" UNIQUE ("enquiry_id", "version"),
                CONSTRAINT "assessments_classification_check" CHECK (
                    classification IN (
                        'PHYSICAL_DEPENDENCE',
                        'OPIOID_USE_DISORDER',
                        'NO_DEPENDENCE_FOUND'
                    )
                ),
                CONSTRAINT "assessments_total_daily_mme_check" CHECK (total_daily_mme >= 0),
                CONSTRAINT "assessments_version_check" CHECK (version >= 1),
                CONSTRAINT "PK_a3442bd80a00e9111cefca57f6c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "assessments_patient_idx" ON "assessments" ("patient_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "triage_rule_sets" (
                "version" integer NOT NULL,
                "high_dose_mme" numeric(8, 2) NOT NULL,
                "very_high_mme" numeric(8, 2) NOT NULL,
                "outpatient_max_pain_score" integer NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "triage_rule_sets_pain_check" CHECK (
                    outpatient_max_pain_score BETWEEN 1 AND 10
                ),
                CONSTRAINT "triage_rule_sets_very_high_check" CHECK (very_high_mme > high_dose_mme),
                CONSTRAINT "triage_rule_sets_high_dose_check" CHECK (high_dose_mme > 0),
                CONSTRAINT "triage_rule_sets_version_check" CHECK (version >= 1),
                CONSTRAINT "PK_38b6f8d6c9185e0f4f4aa47167e" PRIMARY KEY ("version")
            )
        `);
        await queryRunner.query(`
            INSERT INTO "triage_rule_sets" ("version", "high_dose_mme", "very_high_mme", "outpatient_max_pain_score")
            VALUES (1, 90, 200, 7)
        `);
        await queryRunner.query(`
            CREATE TABLE "triage_decisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enquiry_id" uuid NOT NULL,
                "sequence" integer NOT NULL,
                "assessment_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "pathway" text NOT NULL,
                "reasons" jsonb NOT NULL,
                "rule_set_version" integer NOT NULL,
                "overrides_id" uuid,
                "override_reason" text,
                "decided_by" uuid NOT NULL,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "triage_decisions_enquiry_sequence_key" UNIQUE ("enquiry_id", "sequence"),
                CONSTRAINT "triage_decisions_override_check" CHECK (
                    (kind = 'OVERRIDE') = (
                        overrides_id IS NOT NULL
                        AND override_reason IS NOT NULL
                    )
                ),
                CONSTRAINT "triage_decisions_kind_check" CHECK (kind IN ('RULES', 'OVERRIDE')),
                CONSTRAINT "triage_decisions_pathway_check" CHECK (
                    pathway IN (
                        'HOSPITAL_DETOX_FIRST',
                        'ONSITE_TAPER',
                        'OUTPATIENT_TAPER'
                    )
                ),
                CONSTRAINT "PK_d0a058d4e8909b43ddd4958bfd0" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "admissions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "patient_id" uuid NOT NULL,
                "enquiry_id" uuid NOT NULL,
                "triage_decision_id" uuid NOT NULL,
                "pathway" text NOT NULL,
                "admitted_on" date NOT NULL,
                "via_partner_hospital" boolean NOT NULL,
                "status" text NOT NULL DEFAULT 'ACTIVE',
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "admissions_pathway_check" CHECK (
                    pathway IN ('ONSITE_TAPER', 'HOSPITAL_DETOX_FIRST')
                ),
                CONSTRAINT "admissions_status_check" CHECK (status IN ('ACTIVE', 'DISCHARGED')),
                CONSTRAINT "PK_6d47682a899dfa0a78ce11fe98a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "admissions_position_key" ON "admissions" ("position")
        `);
        await queryRunner.query(`
            CREATE INDEX "admissions_patient_idx" ON "admissions" ("patient_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "admissions_enquiry_key" ON "admissions" ("enquiry_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "admissions_status_position_idx" ON "admissions" ("status", "position")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "admissions_one_active_per_patient" ON "admissions" ("patient_id")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`
            ALTER TABLE "enquiries"
            ADD CONSTRAINT "FK_d62d440b75e133a2f9aea06b2a7" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "enquiries"
            ADD CONSTRAINT "FK_b58180e9e2691f894558c41ca8a" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments"
            ADD CONSTRAINT "FK_c91803987eec40b741f40dc88d7" FOREIGN KEY ("enquiry_id") REFERENCES "enquiries"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments"
            ADD CONSTRAINT "FK_6caf8dbbf09b4cadd473c71e732" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments"
            ADD CONSTRAINT "FK_41a5e177ebcb519699bd28984ab" FOREIGN KEY ("assessed_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_rule_sets"
            ADD CONSTRAINT "FK_80017ddab95b2783b5dd550e311" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_c33d901af39a89de0161fa13cf9" FOREIGN KEY ("enquiry_id") REFERENCES "enquiries"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_5614ed2265baab45d68816d96c7" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_de14d25d66d0a61ad99ad0d0490" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_0c6375110284aa1fc24de60cda3" FOREIGN KEY ("rule_set_version") REFERENCES "triage_rule_sets"("version") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_53dd568dd4081a450b4fb04ab1e" FOREIGN KEY ("overrides_id") REFERENCES "triage_decisions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions"
            ADD CONSTRAINT "FK_51c276cd31d4fa55ebcd94d4743" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD CONSTRAINT "FK_b9424c402dbd99d8e4003fd3500" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD CONSTRAINT "FK_b2d45de391919ba364d2c32fc54" FOREIGN KEY ("enquiry_id") REFERENCES "enquiries"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD CONSTRAINT "FK_06cda9e6686aae01e06fcdbfeb0" FOREIGN KEY ("triage_decision_id") REFERENCES "triage_decisions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD CONSTRAINT "FK_69943ebb89cc9320d8b94cce226" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP CONSTRAINT "FK_69943ebb89cc9320d8b94cce226"
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP CONSTRAINT "FK_06cda9e6686aae01e06fcdbfeb0"
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP CONSTRAINT "FK_b2d45de391919ba364d2c32fc54"
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP CONSTRAINT "FK_b9424c402dbd99d8e4003fd3500"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_51c276cd31d4fa55ebcd94d4743"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_53dd568dd4081a450b4fb04ab1e"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_0c6375110284aa1fc24de60cda3"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_de14d25d66d0a61ad99ad0d0490"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_5614ed2265baab45d68816d96c7"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_decisions" DROP CONSTRAINT "FK_c33d901af39a89de0161fa13cf9"
        `);
        await queryRunner.query(`
            ALTER TABLE "triage_rule_sets" DROP CONSTRAINT "FK_80017ddab95b2783b5dd550e311"
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments" DROP CONSTRAINT "FK_41a5e177ebcb519699bd28984ab"
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments" DROP CONSTRAINT "FK_6caf8dbbf09b4cadd473c71e732"
        `);
        await queryRunner.query(`
            ALTER TABLE "assessments" DROP CONSTRAINT "FK_c91803987eec40b741f40dc88d7"
        `);
        await queryRunner.query(`
            ALTER TABLE "enquiries" DROP CONSTRAINT "FK_b58180e9e2691f894558c41ca8a"
        `);
        await queryRunner.query(`
            ALTER TABLE "enquiries" DROP CONSTRAINT "FK_d62d440b75e133a2f9aea06b2a7"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."admissions_one_active_per_patient"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."admissions_status_position_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."admissions_enquiry_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."admissions_patient_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."admissions_position_key"
        `);
        await queryRunner.query(`
            DROP TABLE "admissions"
        `);
        await queryRunner.query(`
            DROP TABLE "triage_decisions"
        `);
        await queryRunner.query(`
            DROP TABLE "triage_rule_sets"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."assessments_patient_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "assessments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."enquiries_status_position_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."enquiries_patient_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."enquiries_position_key"
        `);
        await queryRunner.query(`
            DROP TABLE "enquiries"
        `);
        await queryRunner.query(`
            DROP TABLE "patients"
        `);
    }

}
