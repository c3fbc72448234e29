import { searchPhoneDigits } from './phone-digits.js';

/**
 * What a search box's text can mean (domain.md §12): part of a name, a phone number, an email or
 * a hospital number. One text may mean several (`123` is an HN and phone digits); each meaning
 * is searched and the best match wins. Names and phones are folded by the database
 * (search_fold, search_phone_digits: see the patient-search and phone-search-prefixes
 * migrations), so the same rules apply to what is stored and to what is typed.
 */

/** The longest search text accepted (a full name is at most 100 + 1 + 100, an email 254, but nobody types those). */
export const SEARCH_TEXT_MAX_LENGTH = 100;

/**
 * Phone digits needed before a number is searched as a phone, counted as it is searched
 * (searchPhoneDigits: `+66 8` is `08`, two): fewer match too much to be useful, and the phone
 * index holds 3-digit pieces.
 */
export const MIN_PHONE_DIGITS = 3;

/** An email is matched from this many characters (its index holds 3-character pieces). */
export const MIN_EMAIL_LENGTH = 3;

export type SearchKind = 'HN' | 'NAME' | 'PHONE' | 'EMAIL';

export interface SearchTerms {
  /** The text as typed (trimmed): the database folds it for names and takes its digits for phones. */
  text: string;
  /** `HN-000123`, `hn 123`, `000123` or `123`: that hospital number, matched exactly. */
  hn: number | null;
  /** Searched as (part of) a name: it has a letter, and is not an email or an HN written with its prefix. */
  name: boolean;
  /** Searched as phone digits: only digits and phone punctuation, at least MIN_PHONE_DIGITS of them once folded (searchPhoneDigits). */
  phone: boolean;
  /** Searched as (part of) an email, in lower case: it has an @. */
  email: string | null;
  /** What it was searched as, for the audit trail (which records this and the length, never the text). */
  kinds: SearchKind[];
}

const HN = /^(hn)?[\s-]*0*(\d{1,15})$/i;
const PHONE = /^\+?[0-9๐-๙\s()./-]+$/u;
const LETTER = /\p{L}/u;

export function searchTerms(typed: string): SearchTerms {
  const text = typed.trim();
  const hnMatch = HN.exec(text);
  const hnNumber = hnMatch ? Number(hnMatch[2]) : 0;
  const hn = hnNumber > 0 && Number.isSafeInteger(hnNumber) ? hnNumber : null;
  const email = text.includes('@') && text.length >= MIN_EMAIL_LENGTH ? text.toLowerCase() : null;
  const phone = PHONE.test(text) && searchPhoneDigits(text).length >= MIN_PHONE_DIGITS;
  const name = LETTER.test(text) && !text.includes('@') && !(hnMatch?.[1] && hn !== null);
  const kinds: SearchKind[] = [];
  if (hn !== null) kinds.push('HN');
  if (name) kinds.push('NAME');
  if (phone) kinds.push('PHONE');
  if (email !== null) kinds.push('EMAIL');
  return { text, hn, name, phone, email, kinds };
}

/** What the audit trail keeps of a search: how it was searched and how long the text was, not the text. */
export function searchAuditDetail(terms: SearchTerms): { searchedBy: string[]; searchLength: number } {
  return { searchedBy: terms.kinds, searchLength: [...terms.text].length };
}
