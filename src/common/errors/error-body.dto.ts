import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'patient.dateOfBirth' }) field: string;
  @ApiProperty({ example: 'must not be in the future' }) reason: string;
}

/** The body of every error response (api.md §Conventions). */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'ABRUPT_DISCONTINUATION', description: 'Stable code clients can rely on.' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto], description: 'One entry per bad field (400).' }) details?: ErrorDetailDto[];
  @ApiProperty({ description: 'Also in the x-correlation-id response header.' }) correlationId: string;
}
