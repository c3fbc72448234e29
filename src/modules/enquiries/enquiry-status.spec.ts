import { describe, expect, it } from '@jest/globals';
import { assertCanMove, canMove, ENQUIRY_STATUSES } from './enquiry-status.js';

describe('enquiry state machine (domain.md §2)', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = ENQUIRY_STATUSES.flatMap((from) => ENQUIRY_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'NEW→ASSESSED', 'NEW→CLOSED',
        'ASSESSED→ASSESSED', 'ASSESSED→TRIAGED', 'ASSESSED→CLOSED',
        'TRIAGED→ASSESSED', 'TRIAGED→TRIAGED', 'TRIAGED→ADMITTED', 'TRIAGED→REFERRED', 'TRIAGED→DECLINED', 'TRIAGED→CLOSED',
      ].sort(),
    );
  });

  it('ends at ADMITTED, REFERRED, DECLINED and CLOSED', () => {
    for (const end of ['ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED'] as const) {
      expect(ENQUIRY_STATUSES.filter((to) => canMove(end, to))).toEqual([]);
    }
  });

  it('refuses with a 409 naming both states', () => {
    expect(() => assertCanMove('ADMITTED', 'CLOSED')).toThrow(expect.objectContaining({ status: 409, code: 'INVALID_TRANSITION', message: 'An enquiry that is ADMITTED cannot become CLOSED.' }));
  });
});
