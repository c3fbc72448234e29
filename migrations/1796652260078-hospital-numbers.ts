import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Hospital numbers (domain.md §12) and the patient's own phone and email (api.md v1.1, given at
 * the assessment).
 *
 * HN: a bigint identity, never reused (the sequence only moves forward, and GENERATED ALWAYS
 * refuses a number set by hand); existing patients get 1, 2, 3… in the order they were created,
 * new ones continue after the highest. Printed HN-000123.
 */
export class HospitalNumbers1796652260078 implements MigrationInterface {
    name = 'HospitalNumbers1796652260078'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "patients" ADD "hn" bigint`);
        await queryRunner.query(`
            UPDATE "patients" p SET "hn" = o.n
              FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM "patients") o
             WHERE o.id = p.id
        `);
        await queryRunner.query(`ALTER TABLE "patients" ALTER COLUMN "hn" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "patients" ALTER COLUMN "hn" ADD GENERATED ALWAYS AS IDENTITY`);
        await queryRunner.query(`SELECT setval(pg_get_serial_sequence('patients', 'hn'), coalesce(max(hn), 0) + 1, false) FROM "patients"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "patients_hn_key" ON "patients" ("hn")`);

        await queryRunner.query(`ALTER TABLE "patients" ADD "phone" text`);
        await queryRunner.query(`ALTER TABLE "patients" ADD "email" text`);
        await queryRunner.query(`ALTER TABLE "patients" ADD CONSTRAINT "patients_phone_check" CHECK (length(phone) BETWEEN 3 AND 50)`);
        await queryRunner.query(`ALTER TABLE "patients" ADD CONSTRAINT "patients_email_check" CHECK (length(email) BETWEEN 3 AND 254)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "patients" DROP CONSTRAINT "patients_email_check"`);
        await queryRunner.query(`ALTER TABLE "patients" DROP CONSTRAINT "patients_phone_check"`);
        await queryRunner.query(`ALTER TABLE "patients" DROP COLUMN "email"`);
        await queryRunner.query(`ALTER TABLE "patients" DROP COLUMN "phone"`);
        await queryRunner.query(`DROP INDEX "public"."patients_hn_key"`);
        await queryRunner.query(`ALTER TABLE "patients" DROP COLUMN "hn"`);
    }
}
