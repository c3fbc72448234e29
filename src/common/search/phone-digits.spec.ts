import { describe, expect, it } from '@jest/globals';
import { searchPhoneDigits } from './phone-digits.js';
import { searchTerms } from './search-terms.js';

describe('searchPhoneDigits: one form for every way of writing a Thai number, whole or its start', () => {
  it.each([
    ['081-234-5678', '0812345678'],
    ['+66 81 234 5678', '0812345678'],
    ['+66 (0)81 234 5678', '0812345678'],
    ['0066 81 234 5678', '0812345678'],
    ['66812345678', '0812345678'],
    ['๐๘๑ ๒๓๔ ๕๖๗๘', '0812345678'],
    ['02 555 0199', '025550199'],
    ['+66 2 555 0199', '025550199'],
  ])('a whole number: %s → %s', (typed, digits) => {
    expect(searchPhoneDigits(typed)).toBe(digits);
  });

  it.each([
    ['081', '081'],
    ['+66 81', '081'],
    ['+6681', '081'],
    ['0066 81', '081'],
    ['+66 812', '0812'],
    ['+66 (0)812', '0812'],
  ])('the start of one: %s → %s, the start of the number on record', (typed, digits) => {
    expect(searchPhoneDigits(typed)).toBe(digits);
  });

  it.each([
    ['234-5678', '2345678'],
    ['0023', '0023'],
    ['6681', '6681'],
    ['661234567', '661234567'],
  ])('a part from inside keeps its digits: %s → %s (66 is the country code only with 8 or more digits after it)', (typed, digits) => {
    expect(searchPhoneDigits(typed)).toBe(digits);
  });

  it('keeps another country with 00 and its code, so it never reads as a Thai number', () => {
    expect(searchPhoneDigits('+41 79 555 01 23')).toBe('0041795550123');
    expect(searchPhoneDigits('0041 79')).toBe('004179');
  });

  it('has no digits for a + alone', () => {
    expect(searchPhoneDigits('+')).toBe('');
  });
});

describe('searchTerms: a phone needs 3 digits as they are searched', () => {
  it.each([
    ['081', true],
    ['+66 81', true],
    ['+66 8', false],
    ['+66', false],
    ['0066', false],
    ['66', false],
    ['08', false],
    ['666', true],
  ])('%s searched as a phone: %s', (typed, phone) => {
    expect(searchTerms(typed).phone).toBe(phone);
    expect(searchTerms(typed).kinds.includes('PHONE')).toBe(phone);
  });

  it('keeps 0066 an HN even when it is too short a phone', () => {
    expect(searchTerms('0066')).toMatchObject({ hn: 66, phone: false, kinds: ['HN'] });
  });
});
