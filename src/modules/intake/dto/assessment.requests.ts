import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsEmailAddress } from '../../../common/validation/email.js';
import { IsOptional } from '../../../common/validation/optional.js';
import type { DoseUnit, OpioidFormulation } from '../../../clinical/mme.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { trim } from '../../../common/validation/transforms.js';
import { SEXES, type Sex } from '../../patients/index.js';
import { PAIN_CONDITIONS, type PainCondition } from '../intake-input.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

const FORMULATIONS: OpioidFormulation[] = ['IR', 'ER', 'TRANSDERMAL'];
const UNITS: DoseUnit[] = ['mg', 'mcg/h'];

export class PatientDetailsDto {
  @ApiProperty({ maxLength: 100 }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(100)
  givenName: string;

  @ApiProperty({ maxLength: 100 }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(100)
  familyName: string;

  @ApiProperty({ format: 'date', example: '1968-04-12', description: 'Not in the future.' }) @IsCalendarDate()
  dateOfBirth: string;

  @ApiPropertyOptional({ enum: SEXES, default: 'unknown' }) @IsOptional() @IsIn(SEXES)
  sex?: Sex;

  @ApiPropertyOptional({ maxLength: 50, example: '081-234-5678', description: "The patient's own phone (v1.1). Left out on a later version: the one on record is kept." })
  @IsOptional() @Transform(trim) @IsString() @Matches(/^\+?[0-9 ()./-]{3,50}$/, { message: 'must be a phone number (digits, spaces, + ( ) . / -)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'mali.srisuk@example.org', description: "The patient's own email (v1.1), kept in lower case. Left out on a later version: the one on record is kept." })
  @IsOptional() @IsEmailAddress()
  email?: string;
}

export class OpioidDto {
  @ApiProperty({ example: 'oxycodone', description: 'Drug code of the CDC 2022 factor table, or buprenorphine.' })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(50)
  drug: string;

  @ApiProperty({ enum: FORMULATIONS }) @IsIn(FORMULATIONS)
  formulation: OpioidFormulation;

  @ApiProperty({ example: 10, description: 'Per administration; mcg/h for a transdermal patch. Up to 3 decimals.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(100_000)
  dose: number;

  @ApiProperty({ enum: UNITS }) @IsIn(UNITS)
  unit: DoseUnit;

  @ApiProperty({ minimum: 1, maximum: 24, description: '1 for a patch.' }) @IsInt() @Min(1) @Max(24)
  timesPerDay: number;

  @ApiProperty({ minimum: 0, example: 30 }) @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 }) @Min(0) @Max(1200)
  monthsOnTherapy: number;

  @ApiProperty() @IsBoolean()
  prescribed: boolean;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Taken as needed: timesPerDay is then the most a day, and MME counts that most.' })
  @IsOptional() @IsBoolean()
  asNeeded?: boolean;

  @ApiPropertyOptional({ type: Number, example: 325, description: 'A combination product: the paracetamol in each unit, in mg (counts toward the daily paracetamol limit).' })
  @IsOptional() @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(1000)
  paracetamolPerUnitMg?: number;
}

export class Dsm5AnswersDto {
  @ApiProperty() @IsBoolean() largerOrLonger: boolean;
  @ApiProperty() @IsBoolean() cutDownAttempts: boolean;
  @ApiProperty() @IsBoolean() timeSpent: boolean;
  @ApiProperty() @IsBoolean() craving: boolean;
  @ApiProperty() @IsBoolean() roleFailure: boolean;
  @ApiProperty() @IsBoolean() socialProblems: boolean;
  @ApiProperty() @IsBoolean() activitiesGivenUp: boolean;
  @ApiProperty() @IsBoolean() hazardousUse: boolean;
  @ApiProperty() @IsBoolean() useDespiteHarm: boolean;
  @ApiProperty() @IsBoolean() tolerance: boolean;
  @ApiProperty() @IsBoolean() withdrawal: boolean;
}

export class PainDto {
  @ApiProperty({ enum: PAIN_CONDITIONS }) @IsIn(PAIN_CONDITIONS) condition: PainCondition;
  @ApiProperty({ minimum: 0, maximum: 10 }) @IsInt() @Min(0) @Max(10) score: number;
  @ApiProperty() @IsBoolean() spreadBeyondOriginalSite: boolean;
  @ApiProperty() @IsBoolean() worseBetweenDoses: boolean;
  @ApiPropertyOptional({ default: false, description: 'Pain is diffuse: widespread rather than confined to the injured area.' }) @IsOptional() @IsBoolean()
  diffuse?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Pain got worse after an opioid dose increase.' }) @IsOptional() @IsBoolean()
  worseAfterDoseIncrease?: boolean;
}

export class MedicalDto {
  @ApiProperty() @IsBoolean() cardiacDisease: boolean;
  @ApiProperty({ description: 'COPD, sleep apnoea and the like.' }) @IsBoolean() respiratoryDisease: boolean;
  @ApiProperty() @IsBoolean() hepaticImpairment: boolean;
  @ApiProperty() @IsBoolean() renalImpairment: boolean;
  @ApiProperty() @IsBoolean() giBleedHistory: boolean;
  @ApiProperty() @IsBoolean() heartFailure: boolean;
  @ApiProperty() @IsBoolean() anticoagulants: boolean;
  @ApiProperty() @IsBoolean() pregnant: boolean;
  @ApiProperty() @IsBoolean() benzodiazepineUse: boolean;
  @ApiProperty() @IsBoolean() heavyAlcoholUse: boolean;
  @ApiProperty() @IsBoolean() seizureHistory: boolean;
  @ApiPropertyOptional({ default: false, description: 'Severe or complicated withdrawal before.' }) @IsOptional() @IsBoolean()
  complicatedWithdrawalHistory?: boolean;

  @ApiPropertyOptional({ type: Number, example: 85, description: 'Creatinine clearance in mL/min (kidney dosing of the pain plan).' })
  @IsOptional() @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 }) @Min(0) @Max(250)
  creatinineClearance?: number;
}

export class SocialDto {
  @ApiProperty() @IsBoolean() prescriberWillingToTaper: boolean;
  @ApiProperty() @IsBoolean() stableHousehold: boolean;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100) failedHomeTaperAttempts: number;
}

export class AssessmentRequest {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'The day the patient was assessed (default today); not in the future.' })
  @IsOptional() @IsCalendarDate()
  assessedOn?: string;

  @ApiProperty({ type: PatientDetailsDto }) @IsObject() @ValidateNested() @Type(() => PatientDetailsDto)
  patient: PatientDetailsDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'A returning patient: attach this enquiry to their existing record.' })
  @IsOptional() @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({
    description:
      'A new patient although one born the same day with the same name, phone or email is on record (409 POSSIBLE_DUPLICATE_PATIENT names them): true confirms this is another person.',
  })
  @IsOptional() @IsBoolean()
  confirmNewPatient?: boolean;

  // IsObject each: ValidateNested alone lets an array through in place of an opioid ([[]] passed, then threw in the MME code).
  @ApiProperty({ type: [OpioidDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => OpioidDto)
  opioids: OpioidDto[];

  @ApiProperty({ description: 'Taken only as prescribed, under medical supervision.' }) @IsBoolean()
  takenAsPrescribed: boolean;

  @ApiProperty({ type: Dsm5AnswersDto }) @IsObject() @ValidateNested() @Type(() => Dsm5AnswersDto)
  dsm5: Dsm5AnswersDto;

  @ApiProperty({ type: PainDto }) @IsObject() @ValidateNested() @Type(() => PainDto)
  pain: PainDto;

  @ApiProperty({ type: MedicalDto }) @IsObject() @ValidateNested() @Type(() => MedicalDto)
  medical: MedicalDto;

  @ApiProperty({ type: SocialDto }) @IsObject() @ValidateNested() @Type(() => SocialDto)
  social: SocialDto;
}

/** A correction of an admitted patient's intake: the whole assessment again, and why. */
export class IntakeCorrectionRequest extends AssessmentRequest {
  @ApiProperty({ maxLength: 2000, example: 'Tramadol 50 mg four times a day was missed at intake (pharmacy record).' })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  correctionReason: string;
}
