import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A phone is found however a Thai number is typed, whole or its start: 081, +66 81, +6681,
 * 0066 81 234 5678 (domain.md §12, "digits only, any formatting"). search_phone_digits() kept
 * the digits without a trunk 0 or +66, but dropped the 0 only before 3 more digits and 66 only
 * before 8, and never 00; so 081 or +66 81, typed, kept digits the stored number no longer had,
 * and an enquiry's "+66 (0)81…" kept its 0 where a patient's 081… did not.
 *
 * Now every Thai number is kept in its national form, with its 0, by rules that do not depend
 * on how many digits follow (but one: a bare 66 is the country code only before 8 or more
 * digits, as no national number without its 0 is that long). A leading + is 00; 00 66 and an
 * optional (0) become 0; other countries keep 00 and their code. The same function folds the
 * stored phone and the typed text, so a typed start of either form is the start of the stored
 * number; 081 and +66 81 are three digits, which the phone indexes' 3-digit pieces answer.
 * src/common/search/phone-digits.ts has the same rule for the search box (at least 3 digits).
 *
 * The search_phone columns are rewritten; their GIN indexes (on the column) follow the rows.
 */
export class PhoneSearchPrefixes1796694600000 implements MigrationInterface {
    name = 'PhoneSearchPrefixes1796694600000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION search_phone_digits(value text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN nullif(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                translate(value, '๐๑๒๓๔๕๖๗๘๙', '0123456789'),
                '[^0-9+]', '', 'g'),
                '^[+](?=[0-9])', '00'),
                '[^0-9]', '', 'g'),
                '^(?:0066|66(?=[0-9]{8}))0?', '0'), '')
        `);
        await this.refold(queryRunner);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION search_phone_digits(value text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN nullif(regexp_replace(regexp_replace(
                translate(value, '๐๑๒๓๔๕๖๗๘๙', '0123456789'), '[^0-9]', '', 'g'),
                '^(?:0(?=[0-9]{3})|66(?=[0-9]{8}))', ''), '')
        `);
        await this.refold(queryRunner);
    }

    /** The triggers write search_phone on every insert and update; rows already there are redone here. */
    private async refold(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "patients" SET "search_phone" = search_phone_digits(phone) WHERE "search_phone" IS DISTINCT FROM search_phone_digits(phone)`);
        await queryRunner.query(`UPDATE "enquiries" SET "search_phone" = search_phone_digits(contact_phone) WHERE "search_phone" IS DISTINCT FROM search_phone_digits(contact_phone)`);
    }
}
