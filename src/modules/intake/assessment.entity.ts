import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { DependenceClassification, Dsm5Result } from '../../clinical/dsm5.js';
import type { MmeLine } from '../../clinical/mme.js';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { EnquiryEntity } from '../enquiries/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';
import type { IntakeInput } from './intake-input.js';

/**
 * One version of an enquiry's intake assessment: what was entered and what the clinical rules
 * computed from it, frozen together. A new assessment is a new version; old ones stay readable.
 */
@Entity('assessments')
@Unique('assessments_enquiry_version_key', ['enquiryId', 'version'])
@Check('assessments_version_check', `version >= 1`)
@Check('assessments_total_daily_mme_check', `total_daily_mme >= 0`)
@Check('assessments_classification_check', `classification IN ('PHYSICAL_DEPENDENCE', 'OPIOID_USE_DISORDER', 'NO_DEPENDENCE_FOUND')`)
export class AssessmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => EnquiryEntity)
  @Column({ name: 'enquiry_id', type: 'uuid' })
  enquiryId: string;

  @ForeignKey(() => PatientEntity)
  @Index('assessments_patient_idx')
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'int' })
  version: number;

  /** The request as validated: patient details as given, regimens, answers. */
  @Column({ type: 'jsonb' })
  input: IntakeInput;

  @Column({ name: 'factor_table', type: 'text' })
  factorTable: string;

  @Column({ name: 'total_daily_mme', type: 'numeric', precision: 14, scale: 5, transformer: numericTransformer })
  totalDailyMme: number;

  @Column({ name: 'mme_lines', type: 'jsonb' })
  mmeLines: MmeLine[];

  @Column({ name: 'dsm5_result', type: 'jsonb' })
  dsm5Result: Dsm5Result;

  @Column({ type: 'text' })
  classification: DependenceClassification;

  @Column({ name: 'hyperalgesia_suspected', type: 'boolean' })
  hyperalgesiaSuspected: boolean;

  @Column({ name: 'long_acting', type: 'boolean' })
  longActing: boolean;

  /** MME and hyperalgesia warnings, in words. */
  @Column({ type: 'jsonb' })
  warnings: ClinicalWarning[];

  /** A version made during the stay (POST /admissions/:id/assessment): why the intake was corrected. */
  @Column({ name: 'correction_reason', type: 'text', nullable: true })
  correctionReason: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'assessed_by', type: 'uuid' })
  assessedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
