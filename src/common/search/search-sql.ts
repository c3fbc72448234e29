import type { SearchTerms } from './search-terms.js';

/** The columns a table is searched by (as SQL, with the table's alias). */
export interface SearchColumns {
  /** The hospital number, where the table has one. */
  hn?: string;
  /** The folded name (a search_name column, written by the database). */
  name: string;
  /** The phone's digits (a search_phone column, written by the database). */
  phone: string;
  /** The email, stored in lower case. */
  email: string;
}

export interface SearchSql {
  /**
   * Rows that may match: an OR of conditions each of which one GIN (or the HN's unique) index
   * answers, so PostgreSQL combines them with a BitmapOr. `false` when the text means nothing
   * searchable (e.g. only punctuation).
   */
  where: string;
  /**
   * How well a row matches, best first: 0 its HN; 1 every word typed is a whole word of the name,
   * or the phone or email is exactly it; 2 they start words (or the phone or email); 3 they are
   * inside; NULL not at all (the index's pieces matched, the text does not).
   */
  tier: string;
}

/**
 * The SQL of a search, with its values added through `param` (which returns the placeholder,
 * `$3` or `:search3`). The database folds the typed text itself (search_query_tokens,
 * search_phone_digits), once per statement: PostgreSQL plans each statement with its values and
 * evaluates these immutable functions of them while planning, so the index conditions compare
 * with constants.
 */
export function searchSql(terms: SearchTerms, columns: SearchColumns, param: (value: unknown) => string): SearchSql {
  const conditions: string[] = [];
  const tiers: string[] = [];
  if (terms.hn !== null && columns.hn) {
    const hn = `${param(terms.hn)}::bigint`;
    conditions.push(`${columns.hn} = ${hn}`);
    tiers.push(`CASE WHEN ${columns.hn} = ${hn} THEN 0 END`);
  }
  const text = terms.name || terms.phone ? `${param(terms.text)}::text` : '';
  if (terms.name) {
    const tokens = `search_query_tokens(${text})`;
    conditions.push(`search_grams(${columns.name}, 1) @> search_query_grams(${tokens})`);
    tiers.push(`search_rank(${columns.name}, ${tokens})`);
  }
  if (terms.phone) {
    const digits = `search_phone_digits(${text})`;
    conditions.push(`search_grams(${columns.phone}, 3) @> search_query_grams(ARRAY[${digits}])`);
    tiers.push(exactStartOrInside(columns.phone, digits));
  }
  if (terms.email !== null) {
    const email = `${param(terms.email)}::text`;
    conditions.push(`search_grams(${columns.email}, 3) @> search_query_grams(ARRAY[${email}])`);
    tiers.push(exactStartOrInside(columns.email, email));
  }
  if (conditions.length === 0) return { where: 'false', tier: 'NULL::integer' };
  return {
    where: conditions.length === 1 ? conditions[0]! : `(${conditions.join(' OR ')})`,
    tier: tiers.length === 1 ? tiers[0]! : `LEAST(${tiers.join(', ')})`,
  };
}

function exactStartOrInside(column: string, value: string): string {
  return `CASE WHEN ${column} = ${value} THEN 1 WHEN starts_with(${column}, ${value}) THEN 2 WHEN strpos(${column}, ${value}) > 0 THEN 3 END`;
}

/** `$1`, `$2`… in order, for a plain `pg` statement. */
export function positionalParams(): { values: unknown[]; param: (value: unknown) => string } {
  const values: unknown[] = [];
  return { values, param: (value) => `$${values.push(value)}` };
}

/** `:search0`, `:search1`… for a TypeORM query builder, with the values under those names. */
export function namedParams(): { values: Record<string, unknown>; param: (value: unknown) => string } {
  const values: Record<string, unknown> = {};
  return {
    values,
    param: (value) => {
      const name = `search${Object.keys(values).length}`;
      values[name] = value;
      return `:${name}`;
    },
  };
}
