import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsEmailAddress } from '../../../common/validation/email.js';
import { IsOptional } from '../../../common/validation/optional.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { trim } from '../../../common/validation/transforms.js';
import { CHECK_IN_STATUSES, type CheckInStatus } from '../entities/check-in.entity.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export class OutsidePrescriberDto {
  @ApiProperty({ example: 'Dr. Hannah Weber' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Praxis am Markt, Zürich' }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  practice?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Matches(/^\+?[0-9 ()./-]{3,50}$/, { message: 'must be a phone number (digits, spaces, + ( ) . / -)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254 }) @IsOptional() @IsEmailAddress()
  email?: string;
}

export class ConsentDto {
  @ApiProperty({ description: 'The patient agrees to share their records with the named outside prescriber.' }) @IsBoolean()
  given: boolean;

  @ApiProperty({ format: 'date', description: 'Not in the future.' }) @IsCalendarDate()
  recordedOn: string;
}

export class DischargeRequest {
  @ApiProperty({ format: 'date', description: 'Not in the future, not before admission.' }) @IsCalendarDate()
  dischargedOn: string;

  @ApiProperty({ type: OutsidePrescriberDto }) @IsObject() @ValidateNested() @Type(() => OutsidePrescriberDto)
  outsidePrescriber: OutsidePrescriberDto;

  @ApiProperty({ type: ConsentDto }) @IsObject() @ValidateNested() @Type(() => ConsentDto)
  consentToShare: ConsentDto;
}

export class CheckInUpdateRequest {
  @ApiProperty({ enum: CHECK_IN_STATUSES }) @IsIn(CHECK_IN_STATUSES)
  status: CheckInStatus;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MaxLength(2000)
  notes?: string;
}
