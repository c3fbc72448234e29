import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, RolesOrSearchers } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { ENQUIRY_EXAMPLES } from './dto/enquiry.examples.js';
import { CreateEnquiryRequest, ListEnquiriesQuery, ReasonRequest } from './dto/enquiry.requests.js';
import { EnquiryPage, EnquiryResponse, EnquirySearchResult } from './dto/enquiry.responses.js';
import { EnquiriesService } from './enquiries.service.js';
import { FINDER_ROLES, REGISTER_ROLES } from '../../common/search/finder-query.js';


@ApiTags('Enquiries')
@Controller('enquiries')
export class EnquiriesController {
  constructor(private readonly enquiries: EnquiriesService) {}

  @Post()
  @Roles('admissions')
  @ApiOperation({ summary: 'Record a new enquiry (status NEW)' })
  @ApiCreatedResponse({ type: EnquiryResponse })
  @ApiJsonBody(CreateEnquiryRequest, ENQUIRY_EXAMPLES)
  create(@Body() body: CreateEnquiryRequest, @Ctx() context: SignedInContext): Promise<EnquiryResponse> {
    return this.enquiries.create(body, context);
  }

  @Get()
  // Everyone who works with patients finds a caller's enquiry (api.md v1.1); browsing the register is admissions' work.
  @RolesOrSearchers(REGISTER_ROLES, FINDER_ROLES)
  @ApiOperation({
    summary: 'Enquiries, newest first, optionally by status; with q, found by contact name, phone or email, best matches first',
    description:
      'Admissions and the psychiatrist browse and search, and get whole enquiries. Nurse, billing and aftercare only search, ' +
      'with at least 3 letters or digits (2 in Chinese, Japanese or Korean script), and get each enquiry found as an ' +
      'EnquirySearchResult: who called, how to call back and its status, without the summary, source, status reason or author.',
  })
  @ApiExtraModels(EnquirySearchResult)
  @ApiOkResponse({ type: EnquiryPage })
  list(@Query() query: ListEnquiriesQuery, @Ctx() context: RequestContext): Promise<EnquiryPage> {
    return this.enquiries.list(query, context);
  }

  @Get(':id')
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'One enquiry' })
  @ApiOkResponse({ type: EnquiryResponse })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<EnquiryResponse> {
    return this.enquiries.get(id, context);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('admissions')
  @ApiOperation({ summary: 'Close an enquiry before admission, with a reason (409 once admitted, referred, declined or closed)' })
  @ApiOkResponse({ type: EnquiryResponse })
  close(@Param('id', UuidParamPipe) id: string, @Body() body: ReasonRequest, @Ctx() context: RequestContext): Promise<EnquiryResponse> {
    return this.enquiries.conclude(id, 'CLOSED', body.reason, context);
  }

  @Post(':id/refer')
  @HttpCode(200)
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'Refer a triaged enquiry elsewhere (e.g. back home for an outpatient taper), with a reason' })
  @ApiOkResponse({ type: EnquiryResponse })
  refer(@Param('id', UuidParamPipe) id: string, @Body() body: ReasonRequest, @Ctx() context: RequestContext): Promise<EnquiryResponse> {
    return this.enquiries.conclude(id, 'REFERRED', body.reason, context);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'Decline a triaged enquiry, with a reason' })
  @ApiOkResponse({ type: EnquiryResponse })
  decline(@Param('id', UuidParamPipe) id: string, @Body() body: ReasonRequest, @Ctx() context: RequestContext): Promise<EnquiryResponse> {
    return this.enquiries.conclude(id, 'DECLINED', body.reason, context);
  }
}
