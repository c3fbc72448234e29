import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, Max, Min, ValidateIf } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { COWS_ITEMS } from '../../../clinical/cows.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsInstant } from '../../../common/validation/instant.js';
import { OBSERVATION_TYPES, type ObservationType } from '../observation.entity.js';


const scores = (item: keyof typeof COWS_ITEMS) => ({ type: Number, enum: [...COWS_ITEMS[item]] });

/** The 11 COWS items, each scored only from its own anchors (domain.md §8). Documentation only: the service checks them. */
export class CowsItemsDto {
  @ApiProperty({ ...scores('pulse'), description: 'Resting pulse rate.' }) pulse: number;
  @ApiProperty({ ...scores('sweating'), description: 'Sweating over the past half hour.' }) sweating: number;
  @ApiProperty({ ...scores('restlessness') }) restlessness: number;
  @ApiProperty({ ...scores('pupils'), description: 'Pupil size.' }) pupils: number;
  @ApiProperty({ ...scores('boneJointAches') }) boneJointAches: number;
  @ApiProperty({ ...scores('runnyNoseTearing') }) runnyNoseTearing: number;
  @ApiProperty({ ...scores('giUpset') }) giUpset: number;
  @ApiProperty({ ...scores('tremor'), description: 'Tremor of the outstretched hands.' }) tremor: number;
  @ApiProperty({ ...scores('yawning') }) yawning: number;
  @ApiProperty({ ...scores('anxietyIrritability') }) anxietyIrritability: number;
  @ApiProperty({ ...scores('gooseflesh'), description: 'Gooseflesh skin.' }) gooseflesh: number;
}

/**
 * A COWS (`items`, no `score`: the total is computed) or a PAIN observation (`score`, no `items`).
 * The shape is checked here; which fields a type needs and the items' scores are checked by the
 * service, which names each bad item as `items.<item>`.
 */
export class RecordObservationRequest {
  @ApiProperty({ enum: OBSERVATION_TYPES })
  @IsIn(OBSERVATION_TYPES)
  type: ObservationType;

  @ApiProperty({ format: 'date-time', example: '2027-01-04T08:00:00Z', description: 'When it was observed; may be entered after the fact, but not in the future (5 minutes of clock skew allowed) nor before 1970.' })
  @IsInstant()
  recordedAt: string;

  @ApiPropertyOptional({ type: CowsItemsDto, description: 'COWS only, and required for it: every item, each from its allowed scores.' })
  @ValidateIf((o: RecordObservationRequest) => o.items !== undefined) @IsObject({ message: 'must be an object of COWS item scores' })
  items?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 0, maximum: 10, example: 6, description: 'PAIN only, and required for it: numeric rating 0–10 (LOINC 72514-3).' })
  @ValidateIf((o: RecordObservationRequest) => o.score !== undefined) @IsInt() @Min(0) @Max(10)
  score?: number;
}

export class ListObservationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OBSERVATION_TYPES })
  @IsOptional() @IsIn(OBSERVATION_TYPES)
  type?: ObservationType;

  @ApiPropertyOptional({ format: 'date-time', description: 'Observations recorded at or after this instant.' })
  @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Observations recorded before this instant.' })
  @IsOptional() @IsInstant()
  to?: string;
}
