import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'patient.dateOfBirth' }) field: string;
  @ApiProperty({ example: 'must not be in the future' }) reason: string;
  @ApiPropertyOptional({ example: 'NSAID_CONTRAINDICATED', description: 'For a list of refusals (422): the code of each.' }) code?: string;
  @ApiPropertyOptional({ description: 'For a list of refusals (422): whether an override reason would let it through.' }) overridable?: boolean;
}

/** The body of every error response (api.md §Conventions). */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'ABRUPT_DISCONTINUATION', description: 'Stable code clients can rely on.' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto], description: 'One entry per bad field (400).' }) details?: ErrorDetailDto[];
  @ApiProperty({ description: 'Also in the x-correlation-id response header.' }) correlationId: string;
}
