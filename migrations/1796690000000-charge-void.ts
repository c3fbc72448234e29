import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A charge can be voided (kept, with who voided it, when and why), never edited or deleted:
 * the three columns are set together or not at all.
 */
export class ChargeVoid1796690000000 implements MigrationInterface {
    name = 'ChargeVoid1796690000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "charges" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "charges" ADD "voided_by" uuid`);
        await queryRunner.query(`ALTER TABLE "charges" ADD "void_reason" text`);
        await queryRunner.query(`ALTER TABLE "charges" ADD CONSTRAINT "charges_void_check" CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
        await queryRunner.query(`ALTER TABLE "charges" ADD CONSTRAINT "FK_51d1f810f3e918879d7311ddbe6" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "charges" DROP CONSTRAINT "FK_51d1f810f3e918879d7311ddbe6"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP CONSTRAINT "charges_void_check"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "void_reason"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "voided_by"`);
        await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "voided_at"`);
    }
}
