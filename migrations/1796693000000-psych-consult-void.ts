import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A psychiatric consult entered by mistake (a mistyped date that holds back the discharge, a
 * consult recorded twice) is voided with a reason: kept on record, counted toward nothing (the
 * included quota, the discharge date), its EXTRA_PSYCH_CONSULT charge voided with it.
 */
export class PsychConsultVoid1796693000000 implements MigrationInterface {
    name = 'PsychConsultVoid1796693000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "psych_consults" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "psych_consults" ADD "voided_by" uuid`);
        await queryRunner.query(`ALTER TABLE "psych_consults" ADD "void_reason" text`);
        await queryRunner.query(`ALTER TABLE "psych_consults" ADD CONSTRAINT "psych_consults_void_check" CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
        await queryRunner.query(`ALTER TABLE "psych_consults" ADD CONSTRAINT "FK_b58dd3054b5a5411f0df795a12f" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "psych_consults" DROP CONSTRAINT "FK_b58dd3054b5a5411f0df795a12f"`);
        await queryRunner.query(`ALTER TABLE "psych_consults" DROP CONSTRAINT "psych_consults_void_check"`);
        await queryRunner.query(`ALTER TABLE "psych_consults" DROP COLUMN "void_reason"`);
        await queryRunner.query(`ALTER TABLE "psych_consults" DROP COLUMN "voided_by"`);
        await queryRunner.query(`ALTER TABLE "psych_consults" DROP COLUMN "voided_at"`);
    }
}
