import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { AdmissionEntity } from '../../admissions/index.js';
import { UserEntity } from '../../users/index.js';

/** The end of a stay and the outside prescriber who takes over. */
@Entity('discharges')
export class DischargeEntity {
  @ForeignKey(() => AdmissionEntity)
  @PrimaryColumn({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @Column({ name: 'discharged_on', type: 'date' })
  dischargedOn: string;

  @Column({ name: 'prescriber_name', type: 'text' })
  prescriberName: string;

  @Column({ name: 'prescriber_practice', type: 'text', nullable: true })
  prescriberPractice: string | null;

  @Column({ name: 'prescriber_phone', type: 'text', nullable: true })
  prescriberPhone: string | null;

  @Column({ name: 'prescriber_email', type: 'text', nullable: true })
  prescriberEmail: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
