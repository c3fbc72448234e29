import { Check, Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { AdmissionEntity } from '../../admissions/index.js';
import { PatientEntity } from '../../patients/index.js';
import { UserEntity } from '../../users/index.js';

export const CHECK_IN_STATUSES = ['PLANNED', 'DONE', 'MISSED'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

/** One weekly aftercare check-in of the two months included in the fee. */
@Entity('aftercare_check_ins')
@Unique('aftercare_check_ins_admission_sequence_key', ['admissionId', 'sequence'])
@Check('aftercare_check_ins_status_check', `status IN ('PLANNED', 'DONE', 'MISSED')`)
export class CheckInEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  /** 1 to 8. */
  @Column({ type: 'int' })
  sequence: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'text', default: 'PLANNED' })
  status: CheckInStatus;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
