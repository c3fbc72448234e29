import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Finding patients and enquiries by any part of a name in any script, a phone number or an email
 * (domain.md §12; the HN has its unique index already).
 *
 * pg_trgm is not used. On a database whose LC_CTYPE is C (the embedded server's, made with
 * --no-locale) it treats every non-ASCII character as a word break, so Thai, Chinese, Japanese,
 * Korean, Cyrillic and accented names get no trigrams at all; lower() there is ASCII-only too.
 * Instead:
 * - search_fold(): one spelling per name whatever the database's locale: compatibility
 *   decomposition (full-width letters, ligatures), accents and apostrophes dropped, lower case by
 *   Unicode rules (the builtin pg_c_utf8 collation, PostgreSQL 17+), ß/æ/ø/ł… spelled out,
 *   recomposed (Hangul, kana), punctuation to spaces. Thai vowels and tone marks are kept.
 * - search_name / search_phone columns, kept by a trigger (the entities map them read-only): the
 *   folded name (Chinese, Japanese and Korean names also family+given and given+family without a
 *   space, as they are written), and the phone's digits without a trunk 0 or +66.
 * - GIN indexes over each word's 1-, 2- and 3-character pieces (phone and email: 3 only): a
 *   search needs every piece of the query (its 3-character pieces, or itself when it is 1 or 2
 *   characters long), then search_rank() checks the real substring and ranks the match.
 * Every function is IMMUTABLE and uses nothing outside PostgreSQL itself: no extension to install.
 */
export class PatientSearch1796652320000 implements MigrationInterface {
    name = 'PatientSearch1796652320000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // The functions' bodies are SQL-standard (BEGIN ATOMIC / RETURN): parsed here, so they
        // depend on the objects they name, not on the search_path of whoever later calls them.
        await queryRunner.query(`
            CREATE FUNCTION search_fold(value text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN btrim(regexp_replace(
                normalize(translate(replace(replace(replace(replace(
                    lower(regexp_replace(normalize(value, NFKD),
                        '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f\\u00ad\\u200b-\\u200f\\u2060\\ufeff''\\u2019\\u02bc\`]', '', 'g') COLLATE pg_c_utf8),
                    'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'øłđħŧıðŀς', 'oldhtidlσ'), NFC),
                '[\\s\\-\\u2010-\\u2015_.,;:/()"]+', ' ', 'g'))
        `);
        await queryRunner.query(`
            CREATE FUNCTION search_name_text(given text, family text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN search_fold(coalesce(given, '') || ' ' || coalesce(family, ''))
                || CASE WHEN coalesce(given, '') || coalesce(family, '') ~ '[\\u1100-\\u11ff\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff]'
                   THEN ' ' || replace(search_fold(coalesce(family, '') || coalesce(given, '')), ' ', '')
                     || ' ' || replace(search_fold(coalesce(given, '') || coalesce(family, '')), ' ', '')
                   ELSE '' END
        `);
        await queryRunner.query(`
            CREATE FUNCTION search_phone_digits(value text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN nullif(regexp_replace(regexp_replace(
                translate(value, '๐๑๒๓๔๕๖๗๘๙', '0123456789'), '[^0-9]', '', 'g'),
                '^(?:0(?=[0-9]{3})|66(?=[0-9]{8}))', ''), '')
        `);
        await queryRunner.query(`
            CREATE FUNCTION search_grams(words text, shortest integer) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            BEGIN ATOMIC
                SELECT coalesce(array_agg(DISTINCT substr(w.word, i, n)), '{}')
                  FROM regexp_split_to_table(words, ' ') AS w(word),
                       generate_series(shortest, 3) AS n,
                       generate_series(1, char_length(w.word) - n + 1) AS i;
            END
        `);
        await queryRunner.query(`
            CREATE FUNCTION search_query_tokens(query text) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN array_remove(regexp_split_to_array(search_fold(query), ' '), '')
        `);
        await queryRunner.query(`
            CREATE FUNCTION search_query_grams(tokens text[]) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            BEGIN ATOMIC
                SELECT coalesce(array_agg(DISTINCT substr(t.token, i, least(3, char_length(t.token)))), '{}')
                  FROM unnest(tokens) AS t(token),
                       generate_series(1, greatest(1, char_length(t.token) - 2)) AS i
                 WHERE t.token <> '';
            END
        `);
        // 1: every token is a whole word of the name; 2: each at least starts a word; 3: each is
        // inside the name somewhere; NULL: some token is not in it (the grams matched by chance).
        await queryRunner.query(`
            CREATE FUNCTION search_rank(doc text, tokens text[]) RETURNS integer
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
            AS $$
            DECLARE
                token text;
                worst integer := 1;
            BEGIN
                IF cardinality(tokens) = 0 THEN RETURN NULL; END IF;
                FOREACH token IN ARRAY tokens LOOP
                    IF strpos(' ' || doc || ' ', ' ' || token || ' ') > 0 THEN CONTINUE;
                    ELSIF strpos(' ' || doc, ' ' || token) > 0 THEN worst := greatest(worst, 2);
                    ELSIF strpos(doc, token) > 0 THEN worst := greatest(worst, 3);
                    ELSE RETURN NULL;
                    END IF;
                END LOOP;
                RETURN worst;
            END
            $$
        `);

        // The search columns, filled for the rows there are, then kept by triggers on every write.
        await queryRunner.query(`ALTER TABLE "patients" ADD "search_name" text`);
        await queryRunner.query(`ALTER TABLE "patients" ADD "search_phone" text`);
        await queryRunner.query(`UPDATE "patients" SET "search_name" = search_name_text(given_name, family_name), "search_phone" = search_phone_digits(phone)`);
        await queryRunner.query(`ALTER TABLE "patients" ALTER COLUMN "search_name" SET NOT NULL`);
        await queryRunner.query(`
            CREATE FUNCTION patients_search_columns() RETURNS trigger
            LANGUAGE plpgsql
            AS $$
            BEGIN
                NEW.search_name := public.search_name_text(NEW.given_name, NEW.family_name);
                NEW.search_phone := public.search_phone_digits(NEW.phone);
                RETURN NEW;
            END
            $$
        `);
        await queryRunner.query(`CREATE TRIGGER patients_search_columns BEFORE INSERT OR UPDATE ON "patients" FOR EACH ROW EXECUTE FUNCTION patients_search_columns()`);

        await queryRunner.query(`ALTER TABLE "enquiries" ADD "search_name" text`);
        await queryRunner.query(`ALTER TABLE "enquiries" ADD "search_phone" text`);
        await queryRunner.query(`UPDATE "enquiries" SET "search_name" = search_name_text(contact_name, NULL), "search_phone" = search_phone_digits(contact_phone)`);
        await queryRunner.query(`ALTER TABLE "enquiries" ALTER COLUMN "search_name" SET NOT NULL`);
        await queryRunner.query(`
            CREATE FUNCTION enquiries_search_columns() RETURNS trigger
            LANGUAGE plpgsql
            AS $$
            BEGIN
                NEW.search_name := public.search_name_text(NEW.contact_name, NULL);
                NEW.search_phone := public.search_phone_digits(NEW.contact_phone);
                RETURN NEW;
            END
            $$
        `);
        await queryRunner.query(`CREATE TRIGGER enquiries_search_columns BEFORE INSERT OR UPDATE ON "enquiries" FOR EACH ROW EXECUTE FUNCTION enquiries_search_columns()`);

        await queryRunner.query(`CREATE INDEX "patients_search_name_idx" ON "patients" USING gin (search_grams(search_name, 1))`);
        await queryRunner.query(`CREATE INDEX "patients_search_phone_idx" ON "patients" USING gin (search_grams(search_phone, 3))`);
        await queryRunner.query(`CREATE INDEX "patients_search_email_idx" ON "patients" USING gin (search_grams(email, 3))`);
        await queryRunner.query(`CREATE INDEX "enquiries_search_name_idx" ON "enquiries" USING gin (search_grams(search_name, 1))`);
        await queryRunner.query(`CREATE INDEX "enquiries_search_phone_idx" ON "enquiries" USING gin (search_grams(search_phone, 3))`);
        await queryRunner.query(`CREATE INDEX "enquiries_search_email_idx" ON "enquiries" USING gin (search_grams(contact_email, 3))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['patients', 'enquiries']) {
            await queryRunner.query(`DROP INDEX "public"."${table}_search_email_idx"`);
            await queryRunner.query(`DROP INDEX "public"."${table}_search_phone_idx"`);
            await queryRunner.query(`DROP INDEX "public"."${table}_search_name_idx"`);
            await queryRunner.query(`DROP TRIGGER ${table}_search_columns ON "${table}"`);
            await queryRunner.query(`DROP FUNCTION ${table}_search_columns()`);
            await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "search_phone"`);
            await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "search_name"`);
        }
        await queryRunner.query(`DROP FUNCTION search_rank(text, text[])`);
        await queryRunner.query(`DROP FUNCTION search_query_grams(text[])`);
        await queryRunner.query(`DROP FUNCTION search_query_tokens(text)`);
        await queryRunner.query(`DROP FUNCTION search_grams(text, integer)`);
        await queryRunner.query(`DROP FUNCTION search_phone_digits(text)`);
        await queryRunner.query(`DROP FUNCTION search_name_text(text, text)`);
        await queryRunner.query(`DROP FUNCTION search_fold(text)`);
    }
}
