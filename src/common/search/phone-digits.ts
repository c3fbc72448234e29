/**
 * The digits a phone is searched by, the same for a number on record and for what staff type, so
 * that every way of writing a Thai number, and the start of any of them, meets the stored one:
 *
 *   081-234-5678, +66 81 234 5678, +66 (0)81 234 5678, 0066 81 234 5678, 66 81 234 5678 → 0812345678
 *   081 → 081, +66 81 → 081, +6681 → 081, +66 812 → 0812, 0066 812 → 0812
 *
 * Thai digits become ASCII; a leading + is the international prefix 00; 00 66 (then an optional
 * trunk 0) becomes the trunk 0, so a Thai number is kept in its national form. A bare 66 is the
 * country code only when 8 or more digits follow, as no national number without its 0 is that
 * long; shorter, it may be the middle of a number and is kept. Other countries keep 00 and their
 * code (+41 79… → 004179…), so they never look like a Thai number's start. The national form
 * keeps its 0, so `081` and `+66 81` are three digits the index's 3-digit pieces can answer.
 *
 * The database applies the same rule (search_phone_digits(), migration
 * 1796694600000-phone-search-prefixes) to the stored phones and to the typed text; this copy
 * only decides whether the typed text has enough digits to be searched as a phone. A test runs
 * both over the same inputs.
 */
export function searchPhoneDigits(text: string): string {
  return text
    .replace(/[๐-๙]/gu, (digit) => String(digit.codePointAt(0)! - 0x0e50))
    .replace(/[^0-9+]/g, '')
    .replace(/^[+](?=[0-9])/, '00')
    .replace(/[^0-9]/g, '')
    .replace(/^(?:0066|66(?=[0-9]{8}))0?/, '0');
}
