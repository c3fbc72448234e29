import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Dispensing per product (drug + formulation, domain.md §7 and §10), and a void for a
 * dispensation entered by mistake.
 *
 * Dispensations recorded before took no formulation. One is given the formulation of its stay's
 * signed taper orders of that drug (in its unit) when they all have one; otherwise it stays null:
 * with oxycodone IR and ER ordered side by side, nothing recorded says which tablets they were,
 * and the balance shows that stock on a line of its own rather than guess.
 */
export class DispensationsPerProduct1796691000000 implements MigrationInterface {
    name = 'DispensationsPerProduct1796691000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "formulation" text`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD CONSTRAINT "dispensations_formulation_check" CHECK (formulation IN ('IR', 'ER', 'TRANSDERMAL'))`);
        await queryRunner.query(`
            UPDATE dispensations d
               SET formulation = o.formulation
              FROM (SELECT admission_id, drug, unit, min(formulation) AS formulation
                      FROM taper_orders
                     WHERE status <> 'DRAFT'
                     GROUP BY admission_id, drug, unit
                    HAVING count(DISTINCT formulation) = 1) o
             WHERE o.admission_id = d.admission_id AND o.drug = d.drug AND o.unit = d.unit
        `);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "voided_by" uuid`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD "void_reason" text`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD CONSTRAINT "dispensations_void_check" CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
        await queryRunner.query(`ALTER TABLE "dispensations" ADD CONSTRAINT "FK_d109f7b07d2c02122becec1120a" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "dispensations" DROP CONSTRAINT "FK_d109f7b07d2c02122becec1120a"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP CONSTRAINT "dispensations_void_check"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "void_reason"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "voided_by"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "voided_at"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP CONSTRAINT "dispensations_formulation_check"`);
        await queryRunner.query(`ALTER TABLE "dispensations" DROP COLUMN "formulation"`);
    }
}
