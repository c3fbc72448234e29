import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { lineAmountMinor, proratedFeeMinor } from './money.js';

const FEE = 28_000_000; // ฿280,000.00 per 30 days

describe('residential fee arithmetic (domain.md §10)', () => {
  it('charges the whole fee for 30 days and one and a half for 45', () => {
    expect(proratedFeeMinor(FEE, 30)).toBe(28_000_000);
    expect(proratedFeeMinor(FEE, 45)).toBe(42_000_000);
  });

  it('charges one day as a thirtieth, rounded half up to the satang', () => {
    expect(proratedFeeMinor(FEE, 1)).toBe(933_333); // 933,333.33…
    expect(proratedFeeMinor(FEE, 2)).toBe(1_866_667); // 1,866,666.67 → up
  });

  it('rounds an exact half up', () => {
    expect(proratedFeeMinor(1, 15)).toBe(1); // 0.5 → 1
    expect(proratedFeeMinor(3, 5)).toBe(1); // 0.5 → 1
    expect(proratedFeeMinor(1, 14)).toBe(0); // 0.466… → 0
    expect(proratedFeeMinor(1, 45)).toBe(2); // 1.5 → 2
  });

  it('is additive over days to within one satang, and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (fee, a, b) => {
        const whole = proratedFeeMinor(fee, a + b);
        const parts = proratedFeeMinor(fee, a) + proratedFeeMinor(fee, b);
        return whole >= 0 && Math.abs(whole - parts) <= 1;
      }),
      { numRuns: 500 },
    );
  });

  it('refuses fractions and negative numbers of satang or days', () => {
    expect(() => proratedFeeMinor(100.5, 1)).toThrow(RangeError);
    expect(() => proratedFeeMinor(100, -1)).toThrow(RangeError);
  });
});

describe('line amounts', () => {
  it('multiplies exactly and rounds half up', () => {
    expect(lineAmountMinor(56, 3_500)).toBe(196_000);
    expect(lineAmountMinor(0.5, 3)).toBe(2); // 1.5 → 2
    expect(lineAmountMinor(0.001, 499)).toBe(0); // 0.499 → 0
    expect(lineAmountMinor(2.5, 1_000_000_000_001)).toBe(2_500_000_000_003); // 2,500,000,000,002.5 → up
  });

  it('refuses quantities with more than 3 decimals or not above zero', () => {
    expect(() => lineAmountMinor(0.0001, 100)).toThrow(RangeError);
    expect(() => lineAmountMinor(0, 100)).toThrow(RangeError);
  });
});
