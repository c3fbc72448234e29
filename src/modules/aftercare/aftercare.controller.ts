import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { DISCHARGE_EXAMPLES } from './dto/discharge.examples.js';
import { AftercareService } from './aftercare.service.js';
import { DischargeService } from './discharge.service.js';
import { CheckInUpdateRequest, ConsentDto, DischargeRequest } from './dto/discharge.requests.js';
import { AftercareResponse, CheckInDto, ConsentResponse, DischargeResponse } from './dto/discharge.responses.js';

@ApiTags('Discharge and aftercare')
@Controller()
export class AftercareController {
  constructor(
    private readonly discharges: DischargeService,
    private readonly aftercare: AftercareService,
  ) {}

  @Post('admissions/:id/discharge')
  @Roles('aftercare')
  @ApiOperation({ summary: 'Discharge to aftercare: outside prescriber, consent to share, eight weekly check-ins' })
  @ApiCreatedResponse({ type: DischargeResponse })
  @ApiJsonBody(DischargeRequest, DISCHARGE_EXAMPLES)
  discharge(@Param('id', UuidParamPipe) id: string, @Body() body: DischargeRequest, @Ctx() context: SignedInContext): Promise<DischargeResponse> {
    return this.discharges.discharge(id, body, context);
  }

  @Post('admissions/:id/consent')
  @Roles('aftercare')
  @ApiOperation({ summary: 'Record a later consent decision (given, or withdrawn: the handoff is then refused)' })
  @ApiCreatedResponse({ type: ConsentResponse })
  consent(@Param('id', UuidParamPipe) id: string, @Body() body: ConsentDto, @Ctx() context: SignedInContext): Promise<ConsentResponse> {
    return this.discharges.recordConsent(id, body, context);
  }

  @Get('admissions/:id/aftercare')
  @Roles('aftercare', 'psychiatrist')
  @ApiOperation({ summary: 'The aftercare check-ins of a discharged stay' })
  @ApiOkResponse({ type: AftercareResponse })
  plan(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<AftercareResponse> {
    return this.aftercare.plan(id, context);
  }

  @Patch('aftercare/check-ins/:id')
  @Roles('aftercare')
  @ApiOperation({ summary: 'Mark a check-in done or missed, with notes' })
  @ApiOkResponse({ type: CheckInDto })
  updateCheckIn(@Param('id', UuidParamPipe) id: string, @Body() body: CheckInUpdateRequest, @Ctx() context: SignedInContext): Promise<CheckInDto> {
    return this.aftercare.update(id, body, context);
  }
}
