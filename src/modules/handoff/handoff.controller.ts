import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptional } from '../../common/validation/optional.js';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext } from '../../common/auth/request-context.js';
import { ApiOkIn } from '../../common/http/api-content.js';
import { negotiate } from '../../common/http/content-negotiation.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { FhirBundleDto } from './dto/handoff-fhir.responses.js';
import { HandoffSummaryDto } from './dto/handoff.responses.js';
import { HandoffService, type HandoffFormat } from './handoff.service.js';

export class HandoffQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf', 'fhir'], description: 'Wins over the Accept header.' })
  @IsOptional() @IsIn(['json', 'pdf', 'fhir'])
  format?: HandoffFormat;
}

const CONTENT_TYPES: Record<HandoffFormat, string> = { json: 'application/json', pdf: 'application/pdf', fhir: 'application/fhir+json' };
const FORMAT_OF: Record<string, HandoffFormat> = Object.fromEntries(Object.entries(CONTENT_TYPES).map(([format, type]) => [type, format as HandoffFormat]));

@ApiTags('Discharge and aftercare')
@Controller()
export class HandoffController {
  constructor(private readonly handoffs: HandoffService) {}

  @Get('admissions/:id/handoff')
  @Roles('aftercare', 'psychiatrist')
  @ApiOperation({
    summary: 'The handoff summary for the outside prescriber: JSON, a PDF or a FHIR document Bundle, by ?format= or the Accept header',
  })
  @ApiOkIn('The handoff: JSON by default; `Accept: application/pdf` or `?format=pdf` a PDF; `Accept: application/fhir+json` or `?format=fhir` a FHIR R4 document Bundle.', {
    json: HandoffSummaryDto,
    pdf: true,
    fhir: FhirBundleDto,
  })
  async handoff(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: HandoffQuery,
    @Headers('accept') accept: string | undefined,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const format = query.format ?? FORMAT_OF[negotiate(accept, [CONTENT_TYPES.json, CONTENT_TYPES.pdf, CONTENT_TYPES.fhir])]!;
    const document = await this.handoffs.produce(id, format, context);
    void reply.type(CONTENT_TYPES[document.format]).header('vary', 'accept');
    if (document.format === 'fhir') return JSON.stringify(document.body);
    return document.body;
  }
}
