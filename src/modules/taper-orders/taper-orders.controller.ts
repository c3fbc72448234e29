import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { AMENDMENT_EXAMPLES, DISCONTINUE_EXAMPLES, TAPER_ORDER_EXAMPLES } from './dto/taper-order.examples.js';
import { AmendTaperOrderRequest, CreateTaperOrderRequest, DiscontinueTaperOrderRequest, ListTaperOrdersQuery } from './dto/taper-order.requests.js';
import { TaperOrderPage, TaperOrderResponse, TaperOrderWithVersions } from './dto/taper-order.responses.js';
import { TaperAmendmentsService } from './taper-amendments.service.js';
import { TaperOrdersService } from './taper-orders.service.js';
import { NoBody, NoBodyAccepted } from '../../common/http/no-body.js';

@ApiTags('Taper orders')
@Controller()
export class TaperOrdersController {
  constructor(
    private readonly orders: TaperOrdersService,
    private readonly amendments: TaperAmendmentsService,
  ) {}

  @Post('admissions/:id/taper-orders')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Draft a taper order: the schedule is generated and checked against guidance' })
  @ApiCreatedResponse({ type: TaperOrderResponse })
  @ApiJsonBody(CreateTaperOrderRequest, TAPER_ORDER_EXAMPLES)
  create(@Param('id', UuidParamPipe) id: string, @Body() body: CreateTaperOrderRequest, @Ctx() context: SignedInContext): Promise<TaperOrderResponse> {
    return this.orders.createDraft(id, body, context);
  }

  @Get('admissions/:id/taper-orders')
  @Roles('psychiatrist', 'nurse', 'aftercare')
  @ApiOperation({ summary: 'The latest version of every taper order of an admission' })
  @ApiOkResponse({ type: TaperOrderPage })
  list(@Param('id', UuidParamPipe) id: string, @Query() query: ListTaperOrdersQuery, @Ctx() context: RequestContext): Promise<TaperOrderPage> {
    return this.orders.listForAdmission(id, query, context);
  }

  @Get('taper-orders/:id')
  @Roles('psychiatrist', 'nurse', 'aftercare')
  @ApiOperation({ summary: 'One version of a taper order, with the list of all its versions' })
  @ApiOkResponse({ type: TaperOrderWithVersions })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<TaperOrderWithVersions> {
    return this.orders.get(id, context);
  }

  @Post('taper-orders/:id/sign')
  @HttpCode(200)
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Sign a draft: it becomes ACTIVE and can no longer change (409 if not a draft or another is active)' })
  @ApiOkResponse({ type: TaperOrderResponse })
  @NoBodyAccepted()
  sign(@Param('id', UuidParamPipe) id: string, @Body() _none: NoBody, @Ctx() context: SignedInContext): Promise<TaperOrderResponse> {
    return this.orders.sign(id, context);
  }

  @Post('taper-orders/:id/amendments')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Amend the active version from a date (pause, new rate or interval): a new ACTIVE version; the old one is SUPERSEDED' })
  @ApiCreatedResponse({ type: TaperOrderResponse })
  @ApiJsonBody(AmendTaperOrderRequest, AMENDMENT_EXAMPLES)
  amend(@Param('id', UuidParamPipe) id: string, @Body() body: AmendTaperOrderRequest, @Ctx() context: SignedInContext): Promise<TaperOrderResponse> {
    return this.amendments.amend(id, body, context);
  }

  @Post('taper-orders/:id/discontinue')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Stop the order from a date: a new ACTIVE version ending with a step of 0 that day; the old one is SUPERSEDED' })
  @ApiCreatedResponse({ type: TaperOrderResponse })
  @ApiJsonBody(DiscontinueTaperOrderRequest, DISCONTINUE_EXAMPLES)
  discontinue(@Param('id', UuidParamPipe) id: string, @Body() body: DiscontinueTaperOrderRequest, @Ctx() context: SignedInContext): Promise<TaperOrderResponse> {
    return this.amendments.discontinue(id, body, context);
  }
}
