import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { DISPENSATION_EXAMPLES } from './dto/billing.examples.js';
import { DispensationVoidService } from './dispensation-void.service.js';
import { DispensationsService } from './dispensations.service.js';
import { ListConsultsQuery, RecordConsultRequest, VoidConsultRequest } from './dto/consult.requests.js';
import { ConsultPage, ConsultResponse } from './dto/consult.responses.js';
import { DispenseRequest, ListDispensationsQuery, VoidDispensationRequest } from './dto/dispensation.requests.js';
import { DispensationPage, DispensationResponse } from './dto/dispensation.responses.js';
import { PsychConsultVoidService } from './psych-consult-void.service.js';
import { PsychConsultsService } from './psych-consults.service.js';


/** Clinical events that may carry a charge: psychiatric consults past the quota, dispensed medication. */
@ApiTags('Billing')
@Controller()
export class ClinicalChargesController {
  constructor(
    private readonly consults: PsychConsultsService,
    private readonly consultVoids: PsychConsultVoidService,
    private readonly dispensations: DispensationsService,
    private readonly dispensationVoids: DispensationVoidService,
  ) {}

  @Post('admissions/:id/psychiatric-consults')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Record a psychiatric consult; past the included quota (or ADDITIONAL) it creates an EXTRA_PSYCH_CONSULT charge. The same idempotency key again returns the first consult (200).' })
  @ApiCreatedResponse({ type: ConsultResponse })
  @ApiOkResponse({ type: ConsultResponse, description: 'A retry: the consult recorded the first time.' })
  async recordConsult(@Param('id', UuidParamPipe) id: string, @Body() body: RecordConsultRequest, @Ctx() context: SignedInContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<ConsultResponse> {
    const { consult, created } = await this.consults.record(id, body, context);
    void reply.status(created ? 201 : 200);
    return consult;
  }

  @Post('psychiatric-consults/:id/void')
  @HttpCode(200)
  @Roles('psychiatrist')
  @ApiOperation({
    summary:
      'Void a consult entered by mistake (a mistyped date), with the reason, and its EXTRA_PSYCH_CONSULT charge: it stays on record and counts toward nothing ' +
      '(the included quota, the discharge date). Consults recorded before keep their billing. 409 CHARGE_INVOICED while the charge is on a live invoice.',
  })
  @ApiOkResponse({ type: ConsultResponse })
  voidConsult(@Param('id', UuidParamPipe) id: string, @Body() body: VoidConsultRequest, @Ctx() context: SignedInContext): Promise<ConsultResponse> {
    return this.consultVoids.void(id, body, context);
  }

  @Get('admissions/:id/psychiatric-consults')
  @Roles('psychiatrist', 'billing')
  @ApiOperation({ summary: 'Psychiatric consults of a stay, oldest first, with their charges (notes for psychiatrists only); void consults included and marked' })
  @ApiOkResponse({ type: ConsultPage })
  listConsults(@Param('id', UuidParamPipe) id: string, @Query() query: ListConsultsQuery, @Ctx() context: SignedInContext): Promise<ConsultPage> {
    return this.consults.list(id, query, context);
  }

  @Post('admissions/:id/dispensations')
  @Roles('nurse')
  @ApiOperation({ summary: 'Record medication dispensed during the stay, with its MEDICATION charge at the formulary price of that day. The same idempotency key again returns the first dispensation (200).' })
  @ApiCreatedResponse({ type: DispensationResponse })
  @ApiOkResponse({ type: DispensationResponse, description: 'A retry: the dispensation recorded the first time, and no new charge.' })
  @ApiJsonBody(DispenseRequest, DISPENSATION_EXAMPLES)
  async dispense(@Param('id', UuidParamPipe) id: string, @Body() body: DispenseRequest, @Ctx() context: SignedInContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<DispensationResponse> {
    const { dispensation, created } = await this.dispensations.dispense(id, body, context);
    void reply.status(created ? 201 : 200);
    return dispensation;
  }

  @Post('dispensations/:id/void')
  @HttpCode(200)
  @Roles('nurse')
  @ApiOperation({ summary: 'Void a dispensation entered by mistake, with the reason, and its medication charge: it stays on record and counts toward nothing. 409 CHARGE_INVOICED while the charge is on a live invoice.' })
  @ApiOkResponse({ type: DispensationResponse })
  voidDispensation(@Param('id', UuidParamPipe) id: string, @Body() body: VoidDispensationRequest, @Ctx() context: SignedInContext): Promise<DispensationResponse> {
    return this.dispensationVoids.void(id, body, context);
  }

  @Get('admissions/:id/dispensations')
  @Roles('nurse', 'psychiatrist', 'billing')
  @ApiOperation({ summary: 'Medication dispensed during a stay, newest first, with the charge of each; void dispensations included and marked' })
  @ApiOkResponse({ type: DispensationPage })
  listDispensations(@Param('id', UuidParamPipe) id: string, @Query() query: ListDispensationsQuery, @Ctx() context: RequestContext): Promise<DispensationPage> {
    return this.dispensations.list(id, query, context);
  }
}
