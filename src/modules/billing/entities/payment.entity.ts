import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { UserEntity, VoidColumns } from '../../users/index.js';
import { InvoiceEntity } from './invoice.entity.js';

export const PAYMENT_METHODS = ['CARD', 'TRANSFER', 'CASH'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * A payment received against an issued invoice. A client's idempotency key makes a retry return
 * the first result; a payment entered by mistake is voided with a reason (kept, counted nowhere).
 */
@Entity('payments')
@Index('payments_invoice_idx', ['invoiceId'])
@Unique('payments_invoice_idempotency_key', ['invoiceId', 'idempotencyKey'])
@Check('payments_key_check', `(idempotency_key IS NULL) = (request_hash IS NULL)`)
@Check('payments_void_check', `(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)`)
@Check('payments_amount_check', `amount_minor > 0`)
@Check('payments_method_check', `method IN ('CARD', 'TRANSFER', 'CASH')`)
export class PaymentEntity extends VoidColumns {
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

  /** Optional on payments (api.md v1 had none); unique per invoice when given. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the request that made it: the same key with a different request is refused. */
  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash: string | null;
}
