import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Dispensing reconciled with the orders (domain.md §10): a dispensation above seven days of the
 * orders' need keeps the reason it was let through, and the warning it carried.
 */
export class DispensingReconciled1796660000000 implements MigrationInterface {
    name = 'DispensingReconciled1796660000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "override_reason" text`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "warnings" jsonb NOT NULL DEFAULT '[]'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "warnings"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "override_reason"`);
    }
}
