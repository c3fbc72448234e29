import { ApiProperty } from '@nestjs/swagger';
import { SEXES, type PatientEntity, type Sex } from '../patient.entity.js';
import { formatHn } from '../hospital-number.js';
import type { PatientAdmissionRow } from '../patients.repository.js';
import type { PatientSearchRow } from '../patient-search.js';

export class PatientSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HN-000123', description: 'Hospital number, given at the first assessment and never reused.' }) hn: string;
  @ApiProperty() givenName: string;
  @ApiProperty() familyName: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ enum: SEXES }) sex: Sex;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class PatientAdmissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISCHARGED'] }) status: string;
}

export class PatientResponse extends PatientSummaryResponse {
  @ApiProperty({ type: [PatientAdmissionDto], description: 'Every stay, the latest first.' }) admissions: PatientAdmissionDto[];
}

export class PatientPage {
  @ApiProperty({ type: [PatientSummaryResponse], description: 'Best matches first.' }) items: PatientSummaryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toPatientSummary(row: PatientSearchRow | PatientEntity): PatientSummaryResponse {
  return {
    id: row.id,
    hn: formatHn(row.hn),
    givenName: row.givenName,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    sex: row.sex as Sex,
    phone: row.phone,
    email: row.email,
  };
}

export function toPatientResponse(patient: PatientEntity, admissions: PatientAdmissionRow[]): PatientResponse {
  return { ...toPatientSummary(patient), admissions: admissions.map(({ id, admittedOn, status }) => ({ id, admittedOn, status })) };
}
