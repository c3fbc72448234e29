import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A dispensation let through above seven days of the orders' need (a warning kept with it) always
 * carries the reason it was let through: the rule the service keeps, held by the database too.
 */
export class DispensationOverrideCheck1796670000000 implements MigrationInterface {
    name = 'DispensationOverrideCheck1796670000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" ADD CONSTRAINT "dispensations_override_check" CHECK (jsonb_array_length(warnings) = 0 OR override_reason IS NOT NULL)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" DROP CONSTRAINT "dispensations_override_check"`);
    }
}
