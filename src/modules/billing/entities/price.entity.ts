import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { UserEntity } from '../../users/index.js';
import { BillingItemEntity } from './billing-item.entity.js';

/**
 * A price from a date on. `product` tells formulary entries apart ("oxycodone 5 mg" is
 * `oxycodone:5:mg`); it is empty for other items. The price in force on a day is the one with the
 * latest `validFrom` not after it, so a change never rewrites what was charged before.
 */
@Entity('prices')
@Unique('prices_item_product_from_key', ['itemCode', 'product', 'validFrom'])
@Check('prices_amount_check', `unit_price_minor >= 0`)
@Check('prices_currency_check', `currency ~ '^[A-Z]{3}$'`)
export class PriceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => BillingItemEntity)
  @Column({ name: 'item_code', type: 'text' })
  itemCode: string;

  @Column({ type: 'text', default: '' })
  product: string;

  /** Shown to billing staff and on invoices, e.g. "Oxycodone 5 mg tablet". */
  @Column({ type: 'text' })
  label: string;

  @Column({ name: 'unit_price_minor', type: 'bigint', transformer: bigintTransformer })
  unitPriceMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Null for the prices the migration installs. */
  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
