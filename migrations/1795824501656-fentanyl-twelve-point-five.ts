import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The fentanyl patch labelled "12" delivers 12.5 mcg/h. Listed only as 12, it could not be part
 * of a taper with the 25 and 50 mcg/h patches (doses must be whole multiples of the smallest
 * strength, and 25 is not a multiple of 12). It is now also listed as 12.5 mcg/h, at the same
 * price; the 12 entry stays for the dispensations already recorded under it.
 */
export class FentanylTwelvePointFive1795824501656 implements MigrationInterface {
    name = 'FentanylTwelvePointFive1795824501656'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            INSERT INTO prices (item_code, product, label, unit_price_minor, currency, valid_from)
            SELECT item_code, 'fentanyl:12.5:mcg/h', 'Fentanyl 12.5 mcg/h patch (labelled "12")', unit_price_minor, currency, valid_from
              FROM prices
             WHERE item_code = 'MEDICATION' AND product = 'fentanyl:12:mcg/h'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM prices WHERE item_code = 'MEDICATION' AND product = 'fentanyl:12.5:mcg/h'`);
    }
}
