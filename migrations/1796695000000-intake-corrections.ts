import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The intake of a patient in a stay can be corrected (an opioid missed at intake, a kidney
 * function measured on the ward): a new version of the assessment, with the reason it was made.
 */
export class IntakeCorrections1796695000000 implements MigrationInterface {
    name = 'IntakeCorrections1796695000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "assessments" ADD "correction_reason" text`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "assessments" DROP COLUMN "correction_reason"`);
    }
}
