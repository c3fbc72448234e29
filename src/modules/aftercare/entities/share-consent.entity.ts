import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AdmissionEntity } from '../../admissions/index.js';
import { UserEntity } from '../../users/index.js';

/**
 * The patient's decision to share their records with the named outside prescriber. Each change
 * (given, withdrawn, given again) is a new row; the latest decides. No consent, no handoff.
 */
@Entity('share_consents')
@Index('share_consents_admission_idx', ['admissionId', 'position'])
export class ShareConsentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of recording; the highest is the decision in force. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @Column({ type: 'boolean' })
  given: boolean;

  /** The recipient the patient agreed to (or refused) sharing with. */
  @Column({ name: 'recipient_name', type: 'text' })
  recipientName: string;

  @Column({ name: 'recorded_on', type: 'date' })
  recordedOn: string;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
