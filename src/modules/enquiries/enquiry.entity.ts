import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';
import type { EnquiryStatus } from './enquiry-status.js';

export const RELATIONSHIPS = ['SELF', 'FAMILY', 'PROFESSIONAL'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** A first contact about a possible patient, and where it led. */
@Entity('enquiries')
@Check('enquiries_status_check', `status IN ('NEW', 'ASSESSED', 'TRIAGED', 'ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED')`)
@Check('enquiries_relationship_check', `relationship IN ('SELF', 'FAMILY', 'PROFESSIONAL')`)
@Check('enquiries_contact_name_check', `length(contact_name) BETWEEN 1 AND 200`)
@Check('enquiries_status_reason_check', `(status IN ('REFERRED', 'DECLINED', 'CLOSED')) = (status_reason IS NOT NULL)`)
@Index('enquiries_status_position_idx', ['status', 'position'])
export class EnquiryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of arrival: the exact key for "newest first" pages (timestamps can tie). */
  @Index('enquiries_position_key', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @Column({ type: 'text', default: 'NEW' })
  status: EnquiryStatus;

  @Column({ name: 'contact_name', type: 'text' })
  contactName: string;

  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone: string | null;

  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail: string | null;

  /** Written by the database for the search indexes (see PatientEntity.searchName); never read or written here. */
  @Column({ name: 'search_name', type: 'text', select: false, insert: false, update: false })
  searchName?: string;

  @Column({ name: 'search_phone', type: 'text', nullable: true, select: false, insert: false, update: false })
  searchPhone?: string | null;

  @Column({ type: 'text' })
  relationship: Relationship;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  /** Set by the first intake assessment. */
  @ForeignKey(() => PatientEntity)
  @Index('enquiries_patient_idx')
  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId: string | null;

  /** Why it was closed, referred or declined. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
