import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A version made by stopping an order (a discontinue, or the stop a rotation makes of the product
 * it replaces) is marked, so the handoff says "stopped" rather than "target reached". Stops made
 * before are found where they were recorded: the audit event of the new version says so.
 */
export class TaperDiscontinued1796694000000 implements MigrationInterface {
    name = 'TaperDiscontinued1796694000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD "discontinued" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`
            UPDATE "taper_orders" t SET "discontinued" = true
            FROM "audit_events" a
            WHERE a.resource = 'taper_order' AND a.resource_id = t.id::text AND a.detail->>'discontinued' = 'true'`);
        await queryRunner.query(`ALTER TABLE "taper_orders" ADD CONSTRAINT "taper_orders_discontinued_check" CHECK (NOT "discontinued" OR "target_daily_dose" = 0)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP CONSTRAINT "taper_orders_discontinued_check"`);
        await queryRunner.query(`ALTER TABLE "taper_orders" DROP COLUMN "discontinued"`);
    }
}
