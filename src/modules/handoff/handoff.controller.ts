import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { HandoffSummaryDto } from './dto/handoff.responses.js';
import { HandoffService, type HandoffFormat } from './handoff.service.js';

export class HandoffQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf', 'fhir'], default: 'json' })
  @IsOptional() @IsIn(['json', 'pdf', 'fhir'])
  format?: HandoffFormat;
}

const CONTENT_TYPES: Record<HandoffFormat, string> = { json: 'application/json', pdf: 'application/pdf', fhir: 'application/fhir+json' };

@ApiTags('Discharge and aftercare')
@Controller()
export class HandoffController {
  constructor(private readonly handoffs: HandoffService) {}

  @Get('admissions/:id/handoff')
  @Roles('aftercare', 'psychiatrist')
  @ApiOperation({ summary: 'The handoff summary for the outside prescriber: JSON, ?format=pdf or ?format=fhir (409 NOT_DISCHARGED / CONSENT_REQUIRED)' })
  @ApiProduces('application/json', 'application/pdf', 'application/fhir+json')
  @ApiOkResponse({ type: HandoffSummaryDto })
  async handoff(@Param('id', UuidParamPipe) id: string, @Query() query: HandoffQuery, @Ctx() context: RequestContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const document = await this.handoffs.produce(id, query.format ?? 'json', context);
    void reply.type(CONTENT_TYPES[document.format]);
    if (document.format === 'fhir') return JSON.stringify(document.body);
    return document.body;
  }
}
