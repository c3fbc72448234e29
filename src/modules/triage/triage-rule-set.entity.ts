import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { UserEntity } from '../users/index.js';

/** One version of the triage thresholds. Never changed: a new setting is a new version. */
@Entity('triage_rule_sets')
@Check('triage_rule_sets_version_check', `version >= 1`)
@Check('triage_rule_sets_high_dose_check', `high_dose_mme > 0`)
@Check('triage_rule_sets_very_high_check', `very_high_mme > high_dose_mme`)
@Check('triage_rule_sets_pain_check', `outpatient_max_pain_score BETWEEN 1 AND 10`)
export class TriageRuleSetEntity {
  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ name: 'high_dose_mme', type: 'numeric', precision: 8, scale: 2, transformer: numericTransformer })
  highDoseMme: number;

  @Column({ name: 'very_high_mme', type: 'numeric', precision: 8, scale: 2, transformer: numericTransformer })
  veryHighMme: number;

  /** Outpatient taper only when the intake pain score is below this. */
  @Column({ name: 'outpatient_max_pain_score', type: 'int' })
  outpatientMaxPainScore: number;

  /** Null for the defaults the migration installs. */
  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
