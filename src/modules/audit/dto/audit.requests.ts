import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { AUDIT_ACTIONS, type AuditAction } from '../../../common/audit/audit-event.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsInstant } from '../../../common/validation/instant.js';

export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this instant.' })
  @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this instant.' })
  @IsOptional() @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS }) @IsOptional() @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;
}
