import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Taper orders per product (domain.md §7): oxycodone ER and oxycodone IR of one patient are
 * tapered side by side, so "one active order" is per drug and formulation. An order may rotate
 * an intake product (the product it replaces and why). Buprenorphine can be tapered: its steps
 * have no MME.
 */
export class TaperOrdersPerProduct1796651700000 implements MigrationInterface {
    name = 'TaperOrdersPerProduct1796651700000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."taper_orders_one_active_per_drug"`);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "taper_orders_one_active_per_product" ON "taper_orders" ("admission_id", "drug", "formulation")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD "replaces_drug" text`);
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD "replaces_formulation" text`);
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD "rotation_reason" text`);
        await queryRunner.query(`
            ALTER TABLE "taper_orders" ADD CONSTRAINT "taper_orders_rotation_check"
            CHECK ((replaces_drug IS NULL) = (replaces_formulation IS NULL) AND (replaces_drug IS NULL) = (rotation_reason IS NULL))
        `);
        await queryRunner.query(`ALTER TABLE "taper_steps" ALTER COLUMN "daily_mme" DROP NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "taper_steps" ALTER COLUMN "daily_mme" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP CONSTRAINT "taper_orders_rotation_check"`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP COLUMN "rotation_reason"`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP COLUMN "replaces_formulation"`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP COLUMN "replaces_drug"`);
        await queryRunner.query(`DROP INDEX "public"."taper_orders_one_active_per_product"`);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "taper_orders_one_active_per_drug" ON "taper_orders" ("admission_id", "drug")
            WHERE status = 'ACTIVE'
        `);
    }
}
