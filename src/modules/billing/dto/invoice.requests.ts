import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsIdempotencyKey } from '../../../common/http/idempotency.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { trim } from '../../../common/validation/transforms.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../entities/payment.entity.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export class DraftInvoiceRequest {
  @ApiProperty({ format: 'date', example: '2027-01-04', description: 'First day, included.' }) @IsCalendarDate()
  periodStart: string;

  @ApiProperty({ format: 'date', example: '2027-02-02', description: 'Last day, included (2027-01-04..2027-02-02 is 30 days).' }) @IsCalendarDate()
  periodEnd: string;

  @ApiPropertyOptional({
    description:
      'A supplementary invoice of charges alone: every uninvoiced charge of the stay dated in the period, no residential fee, whatever days are already ' +
      'invoiced and also after the stay (the flight home, a bill that came in after the last invoice). 422 NOTHING_TO_INVOICE when there is none.',
  })
  @IsOptional() @IsBoolean()
  chargesOnly?: boolean;
}

export class PaymentRequest {
  @ApiProperty({ description: 'Minor units (satang).' }) @IsInt() @Min(1) @Max(1_000_000_000_000)
  amountMinor: number;

  @ApiProperty({ enum: PAYMENT_METHODS }) @IsIn(PAYMENT_METHODS)
  method: PaymentMethod;

  @ApiProperty({ format: 'date', description: 'Not in the future.' }) @IsCalendarDate()
  receivedOn: string;

  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({
    description: 'A retry with the same key (on this invoice) returns the invoice as it is, 200, and records nothing new; the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED.',
    example: 'desk-42:2027-02-03:1',
  })
  @IsOptional() @IsIdempotencyKey()
  idempotencyKey?: string;
}

export class VoidRequest {
  @ApiProperty({ maxLength: 1000, example: 'Wrong period; reissued as INV-2027-000014.' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(1000)
  reason: string;
}

export class ListInvoicesQuery extends PageQuery {}

export const INVOICE_FORMATS = ['json', 'pdf'] as const;
export type InvoiceFormat = (typeof INVOICE_FORMATS)[number];

/** As for the handoff: `?format=` names the format and wins over the Accept header. */
export class InvoiceQuery {
  @ApiPropertyOptional({ enum: INVOICE_FORMATS, description: 'json or pdf; wins over the Accept header.' })
  @IsOptional() @IsIn(INVOICE_FORMATS)
  format?: InvoiceFormat;
}
