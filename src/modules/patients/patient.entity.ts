import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** A person in the programme. Created from the first intake assessment of an enquiry. */
@Entity('patients')
@Check('patients_given_name_check', `length(given_name) BETWEEN 1 AND 100`)
@Check('patients_family_name_check', `length(family_name) BETWEEN 1 AND 100`)
@Check('patients_sex_check', `sex IN ('female', 'male', 'other', 'unknown')`)
@Check('patients_phone_check', `length(phone) BETWEEN 3 AND 50`)
@Check('patients_email_check', `length(email) BETWEEN 3 AND 254`)
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The hospital number, given by the database when the record is created and never reused (formatHn prints it). */
  @Index('patients_hn_key', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  hn: string;

  @Column({ name: 'given_name', type: 'text' })
  givenName: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName: string;

  @Index('patients_date_of_birth_idx')
  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text', default: 'unknown' })
  sex: Sex;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** Lower case, as entered otherwise. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /**
   * Written by the database (a trigger, see the patient-search migration) for the search indexes:
   * the folded name and the phone's digits. Never read or written by the application.
   */
  @Column({ name: 'search_name', type: 'text', select: false, insert: false, update: false })
  searchName?: string;

  @Column({ name: 'search_phone', type: 'text', nullable: true, select: false, insert: false, update: false })
  searchPhone?: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
