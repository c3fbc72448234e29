import { ApiProperty } from '@nestjs/swagger';
import { DSM5_CRITERIA } from '../../../clinical/dsm5.js';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { AssessmentEntity } from '../assessment.entity.js';
import { assessedOnOf } from '../assessed-on.js';
import type { IntakeInput } from '../intake-input.js';
import { AssessmentRequest } from './assessment.requests.js';

export class MmeLineDto {
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({ description: 'mg per day, or the patch strength in mcg/h.' }) dailyDose: number;
  @ApiProperty({ enum: ['mg', 'mcg/h'] }) unit: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null when the drug is not converted (buprenorphine).' }) factor: number | null;
  @ApiProperty({ type: Number, nullable: true }) dailyMme: number | null;
  @ApiProperty() converted: boolean;
}

export class Dsm5ResultDto {
  @ApiProperty({ description: 'Criteria answered yes.' }) criteriaMet: number;
  @ApiProperty({ description: 'Criteria that count (tolerance and withdrawal do not under supervised use).' }) criteriaCounted: number;
  @ApiProperty({ enum: DSM5_CRITERIA, isArray: true }) excluded: string[];
  @ApiProperty({ enum: ['NONE', 'MILD', 'MODERATE', 'SEVERE'] }) severity: string;
}

export class AssessmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enquiryId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'HN-000123', description: "The patient's hospital number, given when the first assessment created the record." }) hn: string;
  @ApiProperty({ description: '1 for the first assessment of the enquiry, then 2, 3…' }) version: number;
  @ApiProperty({ format: 'date', description: 'The day the patient was assessed (the clinical date summaries print).' }) assessedOn: string;
  @ApiProperty({ description: 'Sum of dailyMme over converted opioids.' }) totalDailyMme: number;
  @ApiProperty({ example: 'CDC2022' }) factorTable: string;
  @ApiProperty({ type: [MmeLineDto] }) mme: MmeLineDto[];
  @ApiProperty({ type: Dsm5ResultDto }) dsm5: Dsm5ResultDto;
  @ApiProperty({ enum: ['PHYSICAL_DEPENDENCE', 'OPIOID_USE_DISORDER', 'NO_DEPENDENCE_FOUND'] }) classification: string;
  @ApiProperty({ description: 'The classification in the words a summary uses.' }) classificationText: string;
  @ApiProperty() hyperalgesiaSuspected: boolean;
  @ApiProperty() longActing: boolean;
  @ApiProperty({ type: [WarningDto] }) warnings: WarningDto[];
  @ApiProperty({ type: AssessmentRequest, description: 'What was entered.' }) input: IntakeInput;
  @ApiProperty({ type: String, nullable: true, description: 'A correction made during the stay: why the intake was corrected; null for an assessment before admission.' })
  correctionReason: string | null;
  @ApiProperty({ format: 'uuid' }) assessedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AssessmentVersions {
  @ApiProperty({ type: [AssessmentResponse], description: 'Oldest first; the last one is current.' }) items: AssessmentResponse[];
}

export function toAssessmentResponse(assessment: AssessmentEntity, hn: string, classificationText: string, timeZone: string): AssessmentResponse {
  const { criteriaMet, criteriaCounted, excluded, severity } = assessment.dsm5Result;
  return {
    id: assessment.id,
    enquiryId: assessment.enquiryId,
    patientId: assessment.patientId,
    hn,
    version: assessment.version,
    assessedOn: assessedOnOf(assessment, timeZone),
    totalDailyMme: assessment.totalDailyMme,
    factorTable: assessment.factorTable,
    mme: assessment.mmeLines,
    dsm5: { criteriaMet, criteriaCounted, excluded, severity },
    classification: assessment.classification,
    classificationText,
    hyperalgesiaSuspected: assessment.hyperalgesiaSuspected,
    longActing: assessment.longActing,
    warnings: assessment.warnings,
    input: assessment.input,
    correctionReason: assessment.correctionReason,
    assessedBy: assessment.assessedBy,
    createdAt: assessment.createdAt.toISOString(),
  };
}
