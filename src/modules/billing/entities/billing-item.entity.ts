import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const COVERAGES = ['INCLUDED', 'BILLABLE'] as const;
export type Coverage = (typeof COVERAGES)[number];

/**
 * How an item is priced: INCLUDED in the fee (never charged), FIXED (catalogue price), VARIABLE
 * (the price is given with each charge: flights, visas, hospital bills), FORMULARY (per dispensed
 * unit of a drug and strength), or FEE (the residential fee, per 30 days, invoiced by period).
 */
export const PRICINGS = ['INCLUDED', 'FIXED', 'VARIABLE', 'FORMULARY', 'FEE'] as const;
export type Pricing = (typeof PRICINGS)[number];

/** The catalogue of what the monthly fee includes and what is billed separately (domain.md §10). */
@Entity('billing_items')
@Check('billing_items_coverage_check', `coverage IN ('INCLUDED', 'BILLABLE')`)
@Check('billing_items_pricing_check', `pricing IN ('INCLUDED', 'FIXED', 'VARIABLE', 'FORMULARY', 'FEE') AND ((coverage = 'INCLUDED') = (pricing = 'INCLUDED'))`)
export class BillingItemEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  coverage: Coverage;

  @Column({ type: 'text' })
  pricing: Pricing;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
