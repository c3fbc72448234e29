import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Discharge: the admission's discharge date (set exactly when it is DISCHARGED), the outside
 * prescriber, the history of consent-to-share decisions, and the eight aftercare check-ins.
 * Generated from the entities, reviewed.
 */
export class Aftercare1795813863060 implements MigrationInterface {
    name = 'Aftercare1795813863060'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "aftercare_check_ins" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "sequence" integer NOT NULL,
                "due_on" date NOT NULL,
                "status" text NOT NULL DEFAULT 'PLANNED',
                "notes" text,
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "aftercare_check_ins_admission_sequence_key" UNIQUE ("admission_id", "sequence"),
                CONSTRAINT "aftercare_check_ins_status_check" CHECK (status IN ('PLANNED', 'DONE', 'MISSED')),
                CONSTRAINT "PK_8799bd87c30c385a2c57c609821" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "discharges" (
                "admission_id" uuid NOT NULL,
                "discharged_on" date NOT NULL,
                "prescriber_name" text NOT NULL,
                "prescriber_practice" text,
                "prescriber_phone" text,
                "prescriber_email" text,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c707913d8921843a35f748a8ea9" PRIMARY KEY ("admission_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "share_consents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "admission_id" uuid NOT NULL,
                "given" boolean NOT NULL,
                "recipient_name" text NOT NULL,
                "recorded_on" date NOT NULL,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0780541d99553582ac1e0d21d84" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "share_consents_admission_idx" ON "share_consents" ("admission_id", "position")
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD "discharged_on" date
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions"
            ADD CONSTRAINT "admissions_discharge_check" CHECK (
                    (status = 'DISCHARGED') = (discharged_on IS NOT NULL)
                    AND (
                        discharged_on IS NULL
                        OR discharged_on >= admitted_on
                    )
                )
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins"
            ADD CONSTRAINT "FK_45c61547bc2d857264ef69e49cf" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins"
            ADD CONSTRAINT "FK_85366cee352341217b7f4a6cd3b" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins"
            ADD CONSTRAINT "FK_6d7d29c76b712743eab36280334" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "discharges"
            ADD CONSTRAINT "FK_c707913d8921843a35f748a8ea9" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "discharges"
            ADD CONSTRAINT "FK_4e4878fbb361e1f394c79af62bb" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "share_consents"
            ADD CONSTRAINT "FK_bf2a5fcc74bfc8d85fbae4657e6" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "share_consents"
            ADD CONSTRAINT "FK_286b56c60e1b150c4bd4773ae85" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "share_consents" DROP CONSTRAINT "FK_286b56c60e1b150c4bd4773ae85"
        `);
        await queryRunner.query(`
            ALTER TABLE "share_consents" DROP CONSTRAINT "FK_bf2a5fcc74bfc8d85fbae4657e6"
        `);
        await queryRunner.query(`
            ALTER TABLE "discharges" DROP CONSTRAINT "FK_4e4878fbb361e1f394c79af62bb"
        `);
        await queryRunner.query(`
            ALTER TABLE "discharges" DROP CONSTRAINT "FK_c707913d8921843a35f748a8ea9"
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins" DROP CONSTRAINT "FK_6d7d29c76b712743eab36280334"
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins" DROP CONSTRAINT "FK_85366cee352341217b7f4a6cd3b"
        `);
        await queryRunner.query(`
            ALTER TABLE "aftercare_check_ins" DROP CONSTRAINT "FK_45c61547bc2d857264ef69e49cf"
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP CONSTRAINT "admissions_discharge_check"
        `);
        await queryRunner.query(`
            ALTER TABLE "admissions" DROP COLUMN "discharged_on"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."share_consents_admission_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "share_consents"
        `);
        await queryRunner.query(`
            DROP TABLE "discharges"
        `);
        await queryRunner.query(`
            DROP TABLE "aftercare_check_ins"
        `);
    }

}
