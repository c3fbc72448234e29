import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A new patient record is first compared with those born the same day (a duplicate record of one
 * person splits their medication history and bills their stay twice): an index on the date of birth.
 */
export class PatientDateOfBirthIndex1796680000000 implements MigrationInterface {
    name = 'PatientDateOfBirthIndex1796680000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "patients_date_of_birth_idx" ON "patients" ("date_of_birth")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."patients_date_of_birth_idx"`);
    }
}
