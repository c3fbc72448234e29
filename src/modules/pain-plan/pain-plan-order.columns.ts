import { Column, CreateDateColumn, ForeignKey, PrimaryGeneratedColumn } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { OverriddenRefusal } from '../../clinical/override-coverage.js';
import { AdmissionEntity } from '../admissions/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';

export type MedicationStatus = 'ACTIVE' | 'DISCONTINUED';

/**
 * The columns a pain-plan medication and an as-needed order share: whose order it is, the drug,
 * the rules' warnings and the refusals overridden with their reason, who ordered it and when, and
 * its discontinuation. Each table has them all (TypeORM copies an abstract class's columns).
 */
export abstract class PainPlanOrderColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  drug: string;

  @Column({ type: 'text', default: 'ACTIVE' })
  status: MedicationStatus;

  @Column({ type: 'jsonb' })
  warnings: ClinicalWarning[];

  /**
   * Refusals the prescriber overrode, with the reason below: each `{ code, message, finding }`,
   * the finding being what the reason covers (override-coverage.ts). Orders written before findings
   * were stored have `{ code, message }` alone, read by the rule for them there.
   */
  @Column({ type: 'jsonb' })
  overridden: OverriddenRefusal[];

  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'ordered_by', type: 'uuid' })
  orderedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'discontinued_at', type: 'timestamptz', nullable: true })
  discontinuedAt: Date | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'discontinued_by', type: 'uuid', nullable: true })
  discontinuedBy: string | null;

  @Column({ name: 'discontinue_reason', type: 'text', nullable: true })
  discontinueReason: string | null;
}
