import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { ADMINISTRATION_OUTCOMES, type AdministrationOutcome } from '../../../clinical/administration.js';
import { IsIdempotencyKey } from '../../../common/http/idempotency.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { IsInstant } from '../../../common/validation/instant.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';
import { trim } from '../../../common/validation/transforms.js';
import { ORDER_KINDS, type OrderKind } from '../administration.entity.js';

export const ADMINISTRATION_UNITS = ['mg', 'mcg/h', 'patch'] as const;
export type AdministrationUnit = (typeof ADMINISTRATION_UNITS)[number];

export class RecordAdministrationRequest {
  @ApiProperty({ enum: ORDER_KINDS, description: 'Which kind of order the dose belongs to.' })
  @IsIn(ORDER_KINDS)
  orderKind: OrderKind;

  @ApiProperty({ format: 'uuid', description: "The taper order's orderId (as on the nurses' list; the id of its active version is taken for it), the pain-plan medication's id or the as-needed order's id." })
  @IsUUID()
  orderId: string;

  @ApiProperty({ example: 10, description: 'The dose given (or the one that was due, for HELD, REFUSED, OMITTED), in `unit`; more than 0, up to 3 decimals.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(100_000)
  dose: number;

  @ApiProperty({ enum: ADMINISTRATION_UNITS, description: "The order's unit: mg, mcg/h for a fentanyl patch, patch for a lidocaine patch." })
  @IsIn(ADMINISTRATION_UNITS)
  unit: AdministrationUnit;

  @ApiProperty({ format: 'date-time', example: '2027-01-11T08:05:00+07:00', description: 'When it was given (or due); not in the future (5 minutes of clock skew allowed), within the stay.' })
  @IsInstant()
  givenAt: string;

  @ApiProperty({ enum: ADMINISTRATION_OUTCOMES })
  @IsIn(ADMINISTRATION_OUTCOMES)
  outcome: AdministrationOutcome;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Drowsy at 08:00; RR 10. Held and the psychiatrist informed.', description: 'Required for HELD, REFUSED and OMITTED.' })
  @ValidateIf((o: RecordAdministrationRequest) => o.outcome !== 'GIVEN' || o.reason !== undefined)
  @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MinLength(1) @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The second nurse who witnessed it; required for an opioid GIVEN, and not the nurse giving it.' })
  @IsOptional() @IsUUID()
  witnessId?: string;

  @ApiProperty({ example: 'ward-b:2027-01-11:08:oxy', description: 'A retry with the same key returns the first entry (200) and records nothing more; with a different body → 409 IDEMPOTENCY_KEY_REUSED.' })
  @IsIdempotencyKey()
  idempotencyKey: string;
}

export class VoidAdministrationRequest {
  @ApiProperty({ maxLength: 2000, example: 'Entered against the wrong patient.' })
  @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MinLength(1) @MaxLength(2000)
  reason: string;
}

export class ListAdministrationsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date', description: "Only the entries of this day on the clinic's calendar." })
  @IsOptional() @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the entries of this order (a taper orderId or the id of any of its versions, a pain-plan medication, an as-needed order).' })
  @IsOptional() @IsUUID()
  orderId?: string;
}

export class DosesDueQuery {
  @ApiProperty({ format: 'date', example: '2027-01-18' }) @IsCalendarDate()
  date: string;
}
