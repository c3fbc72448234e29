import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** A person in the programme. Created from the first intake assessment of an enquiry. */
@Entity('patients')
@Check('patients_given_name_check', `length(given_name) BETWEEN 1 AND 100`)
@Check('patients_family_name_check', `length(family_name) BETWEEN 1 AND 100`)
@Check('patients_sex_check', `sex IN ('female', 'male', 'other', 'unknown')`)
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'given_name', type: 'text' })
  givenName: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text', default: 'unknown' })
  sex: Sex;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
