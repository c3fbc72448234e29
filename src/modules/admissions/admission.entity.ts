import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EnquiryEntity } from '../enquiries/index.js';
import { PatientEntity } from '../patients/index.js';
import { TriageDecisionEntity } from '../triage/index.js';
import { UserEntity } from '../users/index.js';

export const ADMISSION_STATUSES = ['ACTIVE', 'DISCHARGED'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];
export type ResidentialPathway = 'ONSITE_TAPER' | 'HOSPITAL_DETOX_FIRST';

/** A stay in the residential programme. A patient has at most one ACTIVE admission. */
@Entity('admissions')
@Check('admissions_status_check', `status IN ('ACTIVE', 'DISCHARGED')`)
@Check('admissions_pathway_check', `pathway IN ('ONSITE_TAPER', 'HOSPITAL_DETOX_FIRST')`)
@Check('admissions_discharge_check', `(status = 'DISCHARGED') = (discharged_on IS NOT NULL) AND (discharged_on IS NULL OR discharged_on >= admitted_on)`)
@Index('admissions_one_active_per_patient', ['patientId'], { unique: true, where: `status = 'ACTIVE'` })
@Index('admissions_status_position_idx', ['status', 'position'])
export class AdmissionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of creation: the exact key for "newest first" pages. */
  @Index('admissions_position_key', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @ForeignKey(() => PatientEntity)
  @Index('admissions_patient_idx')
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  /** One admission per enquiry. */
  @ForeignKey(() => EnquiryEntity)
  @Index('admissions_enquiry_key', { unique: true })
  @Column({ name: 'enquiry_id', type: 'uuid' })
  enquiryId: string;

  /** The triage decision in force when the patient was admitted. */
  @ForeignKey(() => TriageDecisionEntity)
  @Column({ name: 'triage_decision_id', type: 'uuid' })
  triageDecisionId: string;

  @Column({ type: 'text' })
  pathway: ResidentialPathway;

  @Column({ name: 'admitted_on', type: 'date' })
  admittedOn: string;

  @Column({ name: 'via_partner_hospital', type: 'boolean' })
  viaPartnerHospital: boolean;

  @Column({ type: 'text', default: 'ACTIVE' })
  status: AdmissionStatus;

  @Column({ name: 'discharged_on', type: 'date', nullable: true })
  dischargedOn: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
