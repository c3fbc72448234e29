import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext } from '../../common/auth/request-context.js';
import { AuditTrailService } from './audit-trail.service.js';
import { ListAuditEventsQuery } from './dto/audit.requests.js';
import { AuditEventPage, ChainVerification } from './dto/audit.responses.js';

@ApiTags('Audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Audit events, newest first' })
  @ApiOkResponse({ type: AuditEventPage })
  list(@Query() query: ListAuditEventsQuery, @Ctx() context: RequestContext): Promise<AuditEventPage> {
    return this.trail.list(query, context);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: 'Check the hash chain: is every row unchanged and in place?' })
  @ApiOkResponse({ type: ChainVerification })
  verify(@Ctx() context: RequestContext): Promise<ChainVerification> {
    return this.trail.verify(context);
  }
}
