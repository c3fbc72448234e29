import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Pathway, TriageReason } from '../../clinical/triage.js';
import { EnquiryEntity } from '../enquiries/index.js';
import { AssessmentEntity } from '../intake/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';
import { TriageRuleSetEntity } from './triage-rule-set.entity.js';

export type DecisionKind = 'RULES' | 'OVERRIDE';

/**
 * A triage decision: by the rules (with the rule-set version and assessment it used) or an
 * override by the psychiatrist or an admin with a reason. Both stay on record; the one with
 * the highest sequence is current.
 */
@Entity('triage_decisions')
@Unique('triage_decisions_enquiry_sequence_key', ['enquiryId', 'sequence'])
@Check('triage_decisions_pathway_check', `pathway IN ('HOSPITAL_DETOX_FIRST', 'ONSITE_TAPER', 'OUTPATIENT_TAPER')`)
@Check('triage_decisions_kind_check', `kind IN ('RULES', 'OVERRIDE')`)
@Check('triage_decisions_override_check', `(kind = 'OVERRIDE') = (overrides_id IS NOT NULL AND override_reason IS NOT NULL)`)
export class TriageDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => EnquiryEntity)
  @Column({ name: 'enquiry_id', type: 'uuid' })
  enquiryId: string;

  /** 1 for the rules' decision, then one more for each override. */
  @Column({ type: 'int' })
  sequence: number;

  @ForeignKey(() => AssessmentEntity)
  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  kind: DecisionKind;

  @Column({ type: 'text' })
  pathway: Pathway;

  @Column({ type: 'jsonb' })
  reasons: TriageReason[];

  @ForeignKey(() => TriageRuleSetEntity)
  @Column({ name: 'rule_set_version', type: 'int' })
  ruleSetVersion: number;

  @ForeignKey(() => TriageDecisionEntity)
  @Column({ name: 'overrides_id', type: 'uuid', nullable: true })
  overridesId: string | null;

  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'decided_by', type: 'uuid' })
  decidedBy: string;

  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}
