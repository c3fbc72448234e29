import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsEmailAddress } from '../../../common/validation/email.js';
import { IsOptional } from '../../../common/validation/optional.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { SearchText } from '../../../common/search/search-text.js';
import { trim } from '../../../common/validation/transforms.js';
import { ENQUIRY_STATUSES, type EnquiryStatus } from '../enquiry-status.js';
import { RELATIONSHIPS, type Relationship } from '../enquiry.entity.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export class CreateEnquiryRequest {
  @ApiProperty({ maxLength: 200, example: 'Anna Keller' })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  contactName: string;

  @ApiPropertyOptional({ maxLength: 50, example: '+41 79 555 01 23' })
  @IsOptional() @Transform(trim) @IsString() @Matches(/^\+?[0-9 ()./-]{3,50}$/, { message: 'must be a phone number (digits, spaces, + ( ) . / -)' })
  contactPhone?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional() @IsEmailAddress()
  contactEmail?: string;

  @ApiProperty({ enum: RELATIONSHIPS, description: 'Who is calling, relative to the person who may need treatment.' })
  @IsIn(RELATIONSHIPS)
  relationship: Relationship;

  @ApiPropertyOptional({ maxLength: 200, example: 'GP referral' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MaxLength(4000)
  summary?: string;
}

export class ListEnquiriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENQUIRY_STATUSES })
  @IsOptional() @IsIn(ENQUIRY_STATUSES)
  status?: EnquiryStatus;

  /** By contact name, phone or email (domain.md §12); the results come best match first, then newest. */
  @SearchText({ required: false })
  q?: string;
}

/** A reason, required when an enquiry is closed, referred or declined. */
export class ReasonRequest {
  @ApiProperty({ maxLength: 1000, example: 'Family decided on a clinic nearer home.' })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(1000)
  reason: string;
}
