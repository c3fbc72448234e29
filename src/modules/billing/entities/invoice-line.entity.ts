import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { numericTransformer } from '../../../common/database/numeric.transformer.js';
import { ChargeEntity } from './charge.entity.js';
import { InvoiceEntity } from './invoice.entity.js';

export const LINE_KINDS = ['RESIDENTIAL_FEE', 'CHARGE', 'INCLUDED'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/**
 * A line of an invoice. `live` is true until the invoice is voided: a charge can sit on at most
 * one live line (partial unique index), so it can never be billed twice, and a void releases it.
 */
@Entity('invoice_lines')
@Unique('invoice_lines_invoice_position_key', ['invoiceId', 'position'])
@Index('invoice_lines_one_live_per_charge', ['chargeId'], { unique: true, where: `live AND charge_id IS NOT NULL` })
@Check('invoice_lines_kind_check', `kind IN ('RESIDENTIAL_FEE', 'CHARGE', 'INCLUDED')`)
@Check('invoice_lines_amount_check', `amount_minor >= 0 AND quantity > 0 AND (kind <> 'INCLUDED' OR amount_minor = 0)`)
@Check('invoice_lines_charge_check', `(kind = 'CHARGE') = (charge_id IS NOT NULL)`)
export class InvoiceLineEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => InvoiceEntity)
  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  kind: LineKind;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'service_date', type: 'date', nullable: true })
  serviceDate: string | null;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  quantity: number;

  @Column({ name: 'unit_price_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  unitPriceMinor: number | null;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: number;

  @ForeignKey(() => ChargeEntity)
  @Column({ name: 'charge_id', type: 'uuid', nullable: true })
  chargeId: string | null;

  @Column({ type: 'boolean', default: true })
  live: boolean;
}
