import { ApiProperty } from '@nestjs/swagger';

/** A clinical warning on an accepted record: read it, it never blocks. */
export class WarningDto {
  @ApiProperty({ example: 'NALOXONE_RECOMMENDED' }) code: string;
  @ApiProperty() message: string;
}
