import { ApiProperty } from '@nestjs/swagger';
import { formatHn, type PatientEntity } from '../../patients/index.js';
import { ADMISSION_STATUSES, type AdmissionEntity, type AdmissionStatus } from '../admission.entity.js';

export class AdmittedPatientDto {
  @ApiProperty() givenName: string;
  @ApiProperty() familyName: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ enum: ['female', 'male', 'other', 'unknown'] }) sex: string;
}

export class AdmissionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'HN-000123', description: "The patient's hospital number." }) hn: string;
  @ApiProperty({ format: 'uuid' }) enquiryId: string;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiProperty({ enum: ADMISSION_STATUSES }) status: AdmissionStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dischargedOn: string | null;
  @ApiProperty() viaPartnerHospital: boolean;
  @ApiProperty({ enum: ['ONSITE_TAPER', 'HOSPITAL_DETOX_FIRST'] }) pathway: string;
  @ApiProperty({ format: 'uuid' }) triageDecisionId: string;
  @ApiProperty({ type: AdmittedPatientDto }) patient: AdmittedPatientDto;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AdmissionPage {
  @ApiProperty({ type: [AdmissionResponse] }) items: AdmissionResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toAdmissionResponse(admission: AdmissionEntity, patient: PatientEntity): AdmissionResponse {
  return {
    id: admission.id,
    patientId: admission.patientId,
    hn: formatHn(patient.hn),
    enquiryId: admission.enquiryId,
    admittedOn: admission.admittedOn,
    status: admission.status,
    dischargedOn: admission.dischargedOn,
    viaPartnerHospital: admission.viaPartnerHospital,
    pathway: admission.pathway,
    triageDecisionId: admission.triageDecisionId,
    patient: { givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth, sex: patient.sex },
    createdBy: admission.createdBy,
    createdAt: admission.createdAt.toISOString(),
  };
}
