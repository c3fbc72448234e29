/**
 * Money is an integer number of minor units (satang for THB) with an ISO currency code; never a
 * floating-point amount. Arithmetic here runs in BigInt, so rounding happens once, exactly.
 */
export const CLINIC_CURRENCY = 'THB';

/** a ÷ b rounded half up, for non-negative integers. */
function divideRoundHalfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

/**
 * The residential fee for `days` days: round-half-up(days × fee ÷ 30), where the fee is the
 * price of 30 days (domain.md §10): 30 days of ฿280,000 = ฿280,000.00; 45 days = ฿420,000.00.
 */
export function proratedFeeMinor(feePer30DaysMinor: number, days: number): number {
  assertWhole(feePer30DaysMinor, 'fee');
  assertWhole(days, 'days');
  return exactNumber(divideRoundHalfUp(BigInt(feePer30DaysMinor) * BigInt(days), 30n));
}

/** quantity × unit price, rounded half up to a whole minor unit; quantities carry at most 3 decimals. */
export function lineAmountMinor(quantity: number, unitPriceMinor: number): number {
  assertWhole(unitPriceMinor, 'unit price');
  const thousandths = Math.round(quantity * 1000);
  if (!(quantity > 0) || Math.abs(quantity * 1000 - thousandths) > 1e-6) throw new RangeError(`quantity ${quantity} must be positive with at most 3 decimals`);
  return exactNumber(divideRoundHalfUp(BigInt(thousandths) * BigInt(unitPriceMinor), 1000n));
}

/** Back to a number only when it stays exact. */
function exactNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${value} is too large to handle exactly`);
  return Number(value);
}

function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative whole number, got ${value}`);
}
