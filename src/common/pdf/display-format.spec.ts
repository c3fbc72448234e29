import { describe, expect, it } from '@jest/globals';
import { withPrintedDates } from './display-format.js';

describe('withPrintedDates', () => {
  it('prints the dates of a sentence as the page does, and leaves instants and other digits alone', () => {
    expect(withPrintedDates('Given on 66 of 68 scheduled days; held on 1 (2027-01-13), refused on 1 (2027-02-01).')).toBe(
      'Given on 66 of 68 scheduled days; held on 1 (13 Jan 2027), refused on 1 (1 Feb 2027).',
    );
    expect(withPrintedDates('none given since 2027-01-04.')).toBe('none given since 4 Jan 2027.');
    expect(withPrintedDates('at 2027-01-04T08:00:00.000Z')).toBe('at 2027-01-04T08:00:00.000Z');
    expect(withPrintedDates('ref 12027-01-04 and 2027-01-045')).toBe('ref 12027-01-04 and 2027-01-045');
  });
});
