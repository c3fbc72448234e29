import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last invoice number issued in a year. Issuing increments it under a row lock in the same
 * transaction, so a rolled-back issue leaves no gap and two issues never share a number.
 */
@Entity('invoice_counters')
@Check('invoice_counters_check', `last_sequence >= 1`)
export class InvoiceCounterEntity {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ name: 'last_sequence', type: 'int' })
  lastSequence: number;
}
