import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A rotation stops the order of the product it replaces on its first day, unless the psychiatrist
 * marks it a cross-taper (both given for a while). Orders written before keep running side by
 * side as they did: they are marked cross-tapers.
 */
export class RotationCrossTaper1796692000000 implements MigrationInterface {
    name = 'RotationCrossTaper1796692000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD "cross_taper" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`UPDATE "taper_orders" SET "cross_taper" = true WHERE "replaces_drug" IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD CONSTRAINT "taper_orders_cross_taper_check" CHECK (NOT "cross_taper" OR "replaces_drug" IS NOT NULL)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP CONSTRAINT "taper_orders_cross_taper_check"`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP COLUMN "cross_taper"`);
    }
}
