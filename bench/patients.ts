/**
 * The patient register for the "search-patients" scenario: tens of thousands of patients are too
 * many to enter through the API in a benchmark run, so they are inserted with SQL (the database's
 * own triggers fill the search columns and its identity the hospital numbers, exactly as for a
 * patient created by an assessment). Names as a Chiang Mai clinic sees them: about 45% Thai,
 * 35% Latin script with accents, 12% Chinese, Japanese or Korean, 8% Cyrillic; family names
 * built from syllables, so that, as in Thailand, most are rare. Nine in ten have a phone, in
 * four formats (local and +66); half an email. Deterministic: the same register on every run.
 */
import type pg from 'pg';

const THAI_GIVEN = ['สมชาย', 'สมศักดิ์', 'มาลี', 'ประเสริฐ', 'วิไล', 'สุนทร', 'อรุณ', 'กนกวรรณ', 'ณัฐพล', 'พิมพ์ชนก', 'ธนพล', 'ปิยะ', 'วันเพ็ญ', 'จันทร์เพ็ญ', 'สุรชัย', 'นิรันดร์', 'กัญญา', 'ศิริพร', 'อำนาจ', 'บุญมี'];
const THAI_SYLLABLES = ['ศรี', 'สุข', 'ใจ', 'ทอง', 'แก้ว', 'บุญ', 'จันทร์', 'เพชร', 'รัตน', 'ชัย', 'กุล', 'พงษ์', 'วงศ์', 'สม', 'ประ', 'มณี', 'ทิพย์', 'นาค', 'เจริญ', 'ศักดิ์', 'อินทร์', 'ดี', 'วัฒน', 'สวัสดิ์', 'พันธ์', 'เลิศ', 'กิจ', 'ธรรม', 'สิริ', 'โชค'];
const LATIN_GIVEN = ['Zoë', 'José', 'Renée', 'Søren', 'Łukasz', 'François', 'Björn', 'Anaïs', 'Margaret', 'Lukas', 'Sofia', 'James', 'Daniel', 'Chloé', 'Arthur', 'Henrik', 'Inès', 'Tom', 'Anna', 'Jürgen'];
const LATIN_START = [
  'Kel', 'Hol', 'Jan', 'Mey', 'Lau', 'Oka', 'Nils', 'Ros', 'Bren', 'Dub', 'Kow', 'Schm', 'Mül', 'Gar', 'Fer', 'Mar', 'Ber', 'Lef', 'Van', 'Ols', 'Hä', 'Brø', 'Ćw', 'Dvo', 'Sza',
  'Whit', 'Cart', 'Fisch', 'Wag', 'Beck', 'Hoff', 'Kra', 'Lam', 'Pet', 'Quin', 'Rich', 'Sant', 'Tho', 'Ulr', 'Vog', 'Wal', 'Yor', 'Zim', 'Ald', 'Bau', 'Cos', 'Dal', 'Eng', 'Gon', 'Heg',
];
const LATIN_MIDDLE = ['', 'en', 'ar', 'ow', 'ing', 'ab', 'ot', 'il', 'ur', 'es'];
const LATIN_SECOND = ['', 'berg', 'man', 'wick', 'stein', 'ford', 'dal', 'hof'];
const LATIN_END = ['ler', 'loway', 'sen', 'er', 'rent', 'for', 'sson', 'si', 'nan', 'ois', 'alski', 'midt', 'cía', 'nández', 'tin', 'ger', 'èvre', 'dijk', 'son', 'ák'];
const CHINESE_FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const CHINESE_GIVEN = ['芳', '伟', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞'];
const JAPANESE_FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本'];
const JAPANESE_GIVEN = ['太郎', '花子', '翔', 'さくら', '健', '陽菜', '蓮', '結衣', '大輝', '美咲'];
const KOREAN_FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const KOREAN_GIVEN = ['민준', '서연', '도윤', '지우', '하준', '서윤', '시우', '하은', '주원', '지민'];
const CYRILLIC_GIVEN = ['Иван', 'Ольга', 'Сергей', 'Наталья', 'Алексей', 'Елена', 'Дмитрий', 'Татьяна', 'Юрий', 'Анна'];
const CYRILLIC_START = ['Иван', 'Смирн', 'Кузнец', 'Попов', 'Васильев', 'Петр', 'Соколов', 'Михайл', 'Новик', 'Федор', 'Мороз', 'Волк', 'Лебед', 'Козл', 'Степан', 'Никол', 'Орл', 'Андре', 'Макар', 'Зайц'];
const CYRILLIC_MIDDLE = ['', 'ен', 'ар', 'ов', 'ин', 'ал', 'ец', 'уш'];
const CYRILLIC_END = ['ов', 'ова', 'ин', 'ина', 'ский', 'ская'];
/** Romanised names for the emails of patients whose names are not in Latin script. */
const ROMAN = ['somchai', 'malee', 'niran', 'kanya', 'wei', 'yuki', 'minjun', 'ivan', 'olga', 'ploy'];
const DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.co.th', 'outlook.com', 'example.org'];

const array = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;
/** The element of `values` at `index` (a SQL integer expression), wrapping around. */
const pick = (values: readonly string[], index: string) => `(${array(values)})[1 + (${index}) % ${values.length}]`;

/**
 * Inserts `count` patients in one statement (about a minute for 100,000 on two busy cores: the
 * triggers fold every name, the indexes take every piece). Returns the first HN they got.
 */
export async function seedPatients(client: pg.Client, count: number): Promise<{ firstHn: number; count: number }> {
  const { rows } = await client.query<{ next: string }>('SELECT coalesce(max(hn), 0) + 1 AS next FROM patients');
  await client.query(`
    INSERT INTO patients (given_name, family_name, date_of_birth, sex, phone, email)
    SELECT n.given, n.family,
           date '1940-01-01' + (h.x % 21000),
           CASE WHEN h.x % 97 = 0 THEN 'unknown' WHEN h.y % 2 = 0 THEN 'female' ELSE 'male' END,
           CASE WHEN h.x % 10 = 0 THEN NULL
                ELSE CASE h.y % 4
                  WHEN 0 THEN '0' || d.p || substr(d.digits, 1, 1) || '-' || substr(d.digits, 2, 3) || '-' || substr(d.digits, 5, 4)
                  WHEN 1 THEN '0' || d.p || d.digits
                  WHEN 2 THEN '+66 ' || d.p || substr(d.digits, 1, 1) || ' ' || substr(d.digits, 2, 3) || ' ' || substr(d.digits, 5, 4)
                  ELSE '0' || d.p || substr(d.digits, 1, 1) || ' ' || substr(d.digits, 2, 3) || ' ' || substr(d.digits, 5, 4)
                END END,
           CASE WHEN h.x % 2 = 0 THEN
             CASE WHEN n.script = 'latin' THEN replace(search_fold(n.given), ' ', '') || '.' || replace(search_fold(n.family), ' ', '')
                  ELSE ${pick(ROMAN, 'h.y / 7')} || '.' || ${pick(ROMAN, 'h.x / 11')} END
             || (i % 1000) || '@' || ${pick(DOMAINS, 'h.y / 3')} END
      FROM generate_series(1, $1::int) AS i
      CROSS JOIN LATERAL (SELECT abs(hashint4(i)) AS x, abs(hashint4(i + 7777777)) AS y) h
      CROSS JOIN LATERAL (SELECT ${pick(['8', '9', '6'], 'h.y / 5')} AS p, lpad((h.y % 100000000)::text, 8, '0') AS digits) d
      CROSS JOIN LATERAL (
        SELECT s.script,
          CASE s.script
            WHEN 'thai' THEN ${pick(THAI_GIVEN, 'h.y')}
            WHEN 'latin' THEN ${pick(LATIN_GIVEN, 'h.y')}
            WHEN 'chinese' THEN ${pick(CHINESE_GIVEN, 'h.y')}
            WHEN 'japanese' THEN ${pick(JAPANESE_GIVEN, 'h.y')}
            WHEN 'korean' THEN ${pick(KOREAN_GIVEN, 'h.y')}
            ELSE ${pick(CYRILLIC_GIVEN, 'h.y')}
          END AS given,
          CASE s.script
            WHEN 'thai' THEN ${pick(THAI_SYLLABLES, 'h.x')} || ${pick(THAI_SYLLABLES, 'h.x / 30')} || ${pick(THAI_SYLLABLES, 'h.x / 900')}
            WHEN 'latin' THEN ${pick(LATIN_START, 'h.x')} || ${pick(LATIN_MIDDLE, 'h.x / 50')} || ${pick(LATIN_SECOND, 'h.x / 500')} || ${pick(LATIN_END, 'h.x / 4000')}
            WHEN 'chinese' THEN ${pick(CHINESE_FAMILY, 'h.x')}
            WHEN 'japanese' THEN ${pick(JAPANESE_FAMILY, 'h.x')}
            WHEN 'korean' THEN ${pick(KOREAN_FAMILY, 'h.x')}
            ELSE ${pick(CYRILLIC_START, 'h.x')} || ${pick(CYRILLIC_MIDDLE, 'h.x / 20')} || ${pick(CYRILLIC_END, 'h.x / 160')}
          END AS family
        FROM (SELECT CASE WHEN i % 100 < 45 THEN 'thai' WHEN i % 100 < 80 THEN 'latin' WHEN i % 100 < 87 THEN 'chinese'
                          WHEN i % 100 < 90 THEN 'japanese' WHEN i % 100 < 92 THEN 'korean' ELSE 'cyrillic' END AS script) s
      ) n`, [count]);
  return { firstHn: Number(rows[0]!.next), count };
}

/**
 * What the front desk types, taken from the register: the start of a Latin surname, a given
 * name and the start of the surname, a whole name, a Thai surname's first syllables or a Thai
 * full name, a phone number in another format than it was stored in or its last seven digits,
 * an HN, the start of an email, a Chinese, Japanese or Korean name as written (family name
 * first, no space), a Cyrillic surname in capitals. `count` of them, in a fixed order.
 */
export async function searchQueries(client: pg.Client, count: number, seeded: { firstHn: number; count: number }): Promise<string[]> {
  const { rows } = await client.query<{ q: string }>(
    `SELECT CASE w.i % 10
              WHEN 0 THEN lower(left(p.family_name, 6))
              WHEN 1 THEN p.given_name || ' ' || left(p.family_name, 5)
              WHEN 2 THEN p.given_name || ' ' || p.family_name
              WHEN 3 THEN left(p.family_name, 8)
              WHEN 4 THEN p.given_name || ' ' || p.family_name
              WHEN 5 THEN CASE WHEN p.phone ~ '^[+]66' THEN search_phone_digits(p.phone) ELSE '+66 ' || substr(search_phone_digits(p.phone), 2) END
              WHEN 6 THEN right(search_phone_digits(p.phone), 7)
              WHEN 7 THEN CASE WHEN w.i % 20 = 7 THEN 'HN-' || lpad(p.hn::text, 6, '0') ELSE p.hn::text END
              WHEN 8 THEN left(p.email, position('@' in p.email))
              ELSE CASE WHEN w.i % 20 = 9 THEN p.family_name || p.given_name ELSE upper(p.family_name) END
            END AS q
       FROM generate_series(0, $1::int - 1) AS w(i)
       CROSS JOIN LATERAL (
         SELECT * FROM patients x
          WHERE x.hn >= $2::bigint + (w.i * 7919) % $3::int
            AND CASE WHEN w.i % 10 IN (0, 1, 2, 8) THEN x.given_name ~ '^[A-Za-z\u00c0-\u024f]'
                     WHEN w.i % 10 IN (3, 4) THEN x.given_name ~ '[\u0e00-\u0e7f]'
                     WHEN w.i % 20 = 9 THEN x.given_name ~ '[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]'
                     WHEN w.i % 20 = 19 THEN x.given_name ~ '[\u0400-\u04ff]'
                     ELSE true END
            AND (w.i % 10 NOT IN (5, 6) OR x.phone IS NOT NULL)
            AND (w.i % 10 <> 8 OR x.email IS NOT NULL)
          ORDER BY x.hn
          LIMIT 1
       ) p
      ORDER BY w.i`,
    [count, seeded.firstHn, seeded.count],
  );
  return rows.map((row) => row.q);
}
