import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AdmissionEntity } from '../../admissions/index.js';
import { InvoiceEntity } from './invoice.entity.js';

/**
 * One day of a stay covered by an invoice's residential fee. A day can be on at most one live
 * invoice (partial unique index), so two drafts for overlapping periods cannot both charge it.
 */
@Entity('invoiced_days')
@Index('invoiced_days_one_live_per_day', ['admissionId', 'day'], { unique: true, where: `live` })
export class InvoicedDayEntity {
  @ForeignKey(() => InvoiceEntity)
  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @Column({ type: 'boolean', default: true })
  live: boolean;
}
