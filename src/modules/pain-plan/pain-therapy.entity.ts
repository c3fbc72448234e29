import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AdmissionEntity } from '../admissions/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';

export const THERAPY_TYPES = ['PHYSIOTHERAPY', 'MOVEMENT', 'SLEEP', 'CBT', 'ACCEPTANCE', 'INTERVENTIONAL'] as const;
export type TherapyType = (typeof THERAPY_TYPES)[number];

/** A non-drug part of the pain plan (physiotherapy, sleep correction, CBT…). */
@Entity('pain_therapies')
@Index('pain_therapies_admission_idx', ['admissionId'])
@Check('pain_therapies_type_check', `type IN ('PHYSIOTHERAPY', 'MOVEMENT', 'SLEEP', 'CBT', 'ACCEPTANCE', 'INTERVENTIONAL')`)
export class PainTherapyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  type: TherapyType;

  /** In words, e.g. "3 times a week", "nightly". */
  @Column({ type: 'text' })
  frequency: string;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'ordered_by', type: 'uuid' })
  orderedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
