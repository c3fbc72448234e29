import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { UserEntity } from '../../users/index.js';
import { InvoiceEntity } from './invoice.entity.js';

export const PAYMENT_METHODS = ['CARD', 'TRANSFER', 'CASH'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment received against an issued invoice. */
@Entity('payments')
@Index('payments_invoice_idx', ['invoiceId'])
@Check('payments_amount_check', `amount_minor > 0`)
@Check('payments_method_check', `method IN ('CARD', 'TRANSFER', 'CASH')`)
export class PaymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => InvoiceEntity)
  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: number;

  @Column({ type: 'text' })
  method: PaymentMethod;

  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  @Column({ type: 'text', nullable: true })
  reference: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
