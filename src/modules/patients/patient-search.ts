import { searchSql, positionalParams } from '../../common/search/search-sql.js';
import type { SearchTerms } from '../../common/search/search-terms.js';

/** A patient found by a search, with the sort key of its place in the results. */
export interface PatientSearchRow {
  id: string;
  hn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: string;
  phone: string | null;
  email: string | null;
  tier: number;
  nameLength: number;
}

/** Where the previous page ended: [tier, name length, HN]. */
export type PatientSearchKey = [number, number, number];

/**
 * One statement for a page of a patient search, best matches first: by tier (see searchSql),
 * then shorter names first (the words typed cover more of them), then by HN, which makes the
 * order total, so the key of the last row is an exact keyset cursor. The inner query's OFFSET 0
 * keeps it from being merged into the outer one, so the tier is worked out once per candidate.
 * Shared with the benchmark's raw baseline, which sends the same SQL.
 */
export function patientSearchStatement(terms: SearchTerms, page: { after: PatientSearchKey | null; limit: number }): { sql: string; values: unknown[] } {
  const { values, param } = positionalParams();
  const { where, tier } = searchSql(terms, { hn: 'p.hn', name: 'p.search_name', phone: 'p.search_phone', email: 'p.email' }, param);
  const after = page.after
    ? `AND (m.tier, m.name_length, m.hn) > (${param(page.after[0])}::integer, ${param(page.after[1])}::integer, ${param(page.after[2])}::bigint)`
    : '';
  const sql = `SELECT m.id, m.hn, m.given_name AS "givenName", m.family_name AS "familyName", m.date_of_birth::text AS "dateOfBirth", m.sex,
  m.phone, m.email, m.tier, m.name_length AS "nameLength"
  FROM (
    SELECT p.id, p.hn, p.given_name, p.family_name, p.date_of_birth, p.sex, p.phone, p.email,
      ${tier} AS tier, char_length(p.given_name) + char_length(p.family_name) AS name_length
    FROM patients p
    WHERE ${where}
    OFFSET 0
  ) m
  WHERE m.tier IS NOT NULL ${after}
  ORDER BY m.tier, m.name_length, m.hn
  LIMIT ${page.limit + 1}`;
  return { sql, values };
}

/** The cursor key of a row (see PatientSearchKey). */
export function patientSearchKey(row: PatientSearchRow): PatientSearchKey {
  return [row.tier, row.nameLength, Number(row.hn)];
}
