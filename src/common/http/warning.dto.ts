import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A clinical warning on an accepted record: read it, it never blocks. */
export class WarningDto {
  @ApiProperty({ example: 'NALOXONE_RECOMMENDED' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: [String], example: ['takenAsPrescribed', 'dsm5.largerOrLonger'], description: 'The request fields the warning is about, when it names some.' })
  fields?: string[];
}
