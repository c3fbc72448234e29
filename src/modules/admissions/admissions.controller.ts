import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { AdmissionsService } from './admissions.service.js';
import { AdmitRequest, ListAdmissionsQuery } from './dto/admission.requests.js';
import { AdmissionPage, AdmissionResponse } from './dto/admission.responses.js';

@ApiTags('Admissions')
@Controller()
export class AdmissionsController {
  constructor(private readonly admissions: AdmissionsService) {}

  @Post('enquiries/:id/admissions')
  @Roles('admissions')
  @ApiOperation({ summary: 'Admit a triaged enquiry (pathway ONSITE_TAPER or HOSPITAL_DETOX_FIRST, else 409)' })
  @ApiCreatedResponse({ type: AdmissionResponse })
  admit(@Param('id', UuidParamPipe) id: string, @Body() body: AdmitRequest, @Ctx() context: SignedInContext): Promise<AdmissionResponse> {
    return this.admissions.admit(id, body, context);
  }

  @Get('admissions')
  @Roles('admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare')
  @ApiOperation({ summary: 'Admissions, newest first, optionally by status' })
  @ApiOkResponse({ type: AdmissionPage })
  list(@Query() query: ListAdmissionsQuery, @Ctx() context: RequestContext): Promise<AdmissionPage> {
    return this.admissions.list(query, context);
  }

  @Get('admissions/:id')
  @Roles('admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare')
  @ApiOperation({ summary: 'One admission' })
  @ApiOkResponse({ type: AdmissionResponse })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<AdmissionResponse> {
    return this.admissions.get(id, context);
  }
}
