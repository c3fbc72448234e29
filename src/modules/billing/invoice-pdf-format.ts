/**
 * How the invoice writes money and text. Money is integer minor units (satang) only, written
 * "THB …" and "US$ …"; names and descriptions print as written, in any script.
 */
import { dayCount, formatDate } from '../../common/pdf/display-format.js';
import type { InvoicePdfModel } from './invoice-pdf-model.js';

/** 28000000 → "THB 280,000.00"; negative amounts (credits) → "-THB 12.34". */
export function formatThb(minor: number): string {
  assertMinorUnits(minor);
  const abs = Math.abs(minor);
  const satang = abs % 100;
  const baht = (abs - satang) / 100; // exact: an integer multiple of 100 divided by 100
  return `${minor < 0 ? '-' : ''}THB ${groupThousands(String(baht))}.${String(satang).padStart(2, '0')}`;
}

/** THB satang → "US$ 8,484.85" at a THB-per-US$ rate, rounded half away from zero to the cent. */
export function formatUsd(minor: number, thbPerUsd: number): string {
  assertMinorUnits(minor);
  if (!Number.isFinite(thbPerUsd) || thbPerUsd <= 0) throw new RangeError(`THB per US$ must be positive, got ${thbPerUsd}`);
  // US cents = satang / rate. The rate is scaled to an integer (6 decimals) so the money
  // arithmetic itself stays in integers (BigInt, no overflow for any safe-integer amount).
  const scale = 1_000_000n;
  const rate = BigInt(Math.round(thbPerUsd * 1_000_000));
  const numerator = BigInt(Math.abs(minor)) * scale;
  const cents = numerator / rate + ((numerator % rate) * 2n >= rate ? 1n : 0n);
  const dollars = groupThousands((cents / 100n).toString());
  const sign = minor < 0 && cents > 0n ? '-' : '';
  return `${sign}US$ ${dollars}.${(cents % 100n).toString().padStart(2, '0')}`;
}

function assertMinorUnits(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be a whole number of minor units, got ${minor}`);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatPeriod(invoice: InvoicePdfModel['invoice']): string {
  return `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)} (${dayCount(invoice.days)})`;
}

export function formatRate(thbPerUsd: number): string {
  return thbPerUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
}

export function formatQuantity(quantity: number): string {
  return quantity.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
