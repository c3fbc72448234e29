import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { CowsBand, CowsItems } from '../../clinical/cows.js';
import { AdmissionEntity } from '../admissions/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';

export const OBSERVATION_TYPES = ['COWS', 'PAIN'] as const;
export type ObservationType = (typeof OBSERVATION_TYPES)[number];

/** A withdrawal score (COWS, with its items and band) or a pain score (0–10), with any alerts raised. */
@Entity('observations')
@Index('observations_admission_type_time_idx', ['admissionId', 'type', 'recordedAt'])
@Index('observations_admission_time_idx', ['admissionId', 'recordedAt', 'position'])
@Check('observations_band_check', `band IS NULL OR band IN ('NONE', 'MILD', 'MODERATE', 'MODERATELY_SEVERE', 'SEVERE')`)
@Check('observations_type_check', `type IN ('COWS', 'PAIN')`)
@Check('observations_score_check', `(type = 'COWS' AND score BETWEEN 0 AND 48 AND items IS NOT NULL AND band IS NOT NULL) OR (type = 'PAIN' AND score BETWEEN 0 AND 10 AND items IS NULL AND band IS NULL)`)
export class ObservationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Tie-breaker for pages of observations recorded at the same instant. */
  @Index('observations_position_key', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  type: ObservationType;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** The COWS total, or the pain score. */
  @Column({ type: 'int' })
  score: number;

  @Column({ type: 'jsonb', nullable: true })
  items: CowsItems | null;

  @Column({ type: 'text', nullable: true })
  band: CowsBand | null;

  @Column({ type: 'jsonb' })
  alerts: ClinicalWarning[];

  @ForeignKey(() => UserEntity)
  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
