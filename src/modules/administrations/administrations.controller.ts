import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { AdministrationsService } from './administrations.service.js';
import { ADMINISTRATION_EXAMPLES } from './dto/administration.examples.js';
import { DosesDueQuery, ListAdministrationsQuery, RecordAdministrationRequest, VoidAdministrationRequest } from './dto/administration.requests.js';
import { AdministrationPage, AdministrationResponse, MedicationBalanceResponse } from './dto/administration.responses.js';
import { DosesDueResponse } from './dto/doses-due.responses.js';
import { NursesListService } from './nurses-list.service.js';

@ApiTags('Medication administration record')
@Controller()
export class AdministrationsController {
  constructor(
    private readonly administrations: AdministrationsService,
    private readonly nursesList: NursesListService,
  ) {}

  @Post('admissions/:id/administrations')
  @Roles('nurse')
  @ApiOperation({
    summary:
      'Record one dose given, held, refused or omitted, checked against its order in force, the day’s total, the as-needed interval, maximum and COWS indication, and (an opioid given) a second nurse as witness. The same idempotency key again returns the first entry (200).',
  })
  @ApiCreatedResponse({ type: AdministrationResponse })
  @ApiOkResponse({ type: AdministrationResponse, description: 'A retry: the entry recorded the first time.' })
  @ApiJsonBody(RecordAdministrationRequest, ADMINISTRATION_EXAMPLES)
  async give(@Param('id', UuidParamPipe) id: string, @Body() body: RecordAdministrationRequest, @Ctx() context: SignedInContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<AdministrationResponse> {
    const { entry, created } = await this.administrations.give(id, body, context);
    void reply.status(created ? 201 : 200);
    return entry;
  }

  @Post('administrations/:id/void')
  @HttpCode(200)
  @Roles('nurse')
  @ApiOperation({ summary: 'Void a mistaken entry, with the reason: it stays on record and counts toward nothing' })
  @ApiOkResponse({ type: AdministrationResponse })
  void(@Param('id', UuidParamPipe) id: string, @Body() body: VoidAdministrationRequest, @Ctx() context: SignedInContext): Promise<AdministrationResponse> {
    return this.administrations.void(id, body, context);
  }

  @Get('admissions/:id/administrations')
  @Roles('nurse', 'psychiatrist', 'aftercare')
  @ApiOperation({ summary: 'The administration record of a stay, in the order given; void entries included and marked' })
  @ApiOkResponse({ type: AdministrationPage })
  list(@Param('id', UuidParamPipe) id: string, @Query() query: ListAdministrationsQuery, @Ctx() context: RequestContext): Promise<AdministrationPage> {
    return this.administrations.list(id, query, context);
  }

  @Get('taper-doses')
  @Roles('nurse', 'psychiatrist')
  @ApiOperation({ summary: "The nurses' list for a day: every admitted patient's taper, pain-plan and as-needed orders due, pauses included, with what was given so far and what remains" })
  @ApiOkResponse({ type: DosesDueResponse })
  dosesDue(@Query() query: DosesDueQuery, @Ctx() context: RequestContext): Promise<DosesDueResponse> {
    return this.nursesList.dueOn(query.date, context);
  }

  @Get('admissions/:id/medication-balance')
  @Roles('nurse', 'psychiatrist')
  @ApiOperation({ summary: 'Per product (drug + formulation): dispensed for the stay, given, and on hand' })
  @ApiOkResponse({ type: MedicationBalanceResponse })
  balance(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<MedicationBalanceResponse> {
    return this.administrations.balance(id, context);
  }
}
