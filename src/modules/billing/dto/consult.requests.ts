import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNullable } from '../../../common/validation/optional.js';
import { IsIdempotencyKey } from '../../../common/http/idempotency.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';
import { trim } from '../../../common/validation/transforms.js';
import { CONSULT_KINDS, type ConsultKind } from '../entities/psych-consult.entity.js';

export class RecordConsultRequest {
  @ApiProperty({ format: 'date', example: '2027-01-11', description: 'The day of the consultation; not before the admission (422 DATE_OUTSIDE_STAY).' })
  @IsCalendarDate()
  date: string;

  @ApiProperty({ enum: CONSULT_KINDS, description: 'INTAKE and ROUTINE are included up to the quota; ADDITIONAL is always billed.' })
  @IsIn(CONSULT_KINDS)
  kind: ConsultKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsNullable() @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A retry with the same key returns the first consult (200) and creates nothing; generated when absent.', example: 'consult-2027-01-11-a' })
  @IsNullable() @IsIdempotencyKey()
  idempotencyKey?: string | null;
}

export class ListConsultsQuery extends PageQuery {}

export class VoidConsultRequest {
  @ApiProperty({ maxLength: 2000, example: 'Wrong date: the consult was on 2026-12-01, not 2027-12-01.' })
  @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MinLength(1) @MaxLength(2000)
  reason: string;
}
