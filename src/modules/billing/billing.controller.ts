import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnyStaff, Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { CatalogueService } from './catalogue.service.js';
import { ChargeCorrectionsService } from './charge-corrections.service.js';
import { ChargesService } from './charges.service.js';
import { VoidRequest } from './dto/invoice.requests.js';
import { PriceListQuery, SetPriceRequest } from './dto/catalogue.requests.js';
import { CatalogueItem, PriceListResponse, PriceResponse } from './dto/catalogue.responses.js';
import { CHARGE_EXAMPLES } from './dto/billing.examples.js';
import { CreateChargeRequest, ListChargesQuery } from './dto/charge.requests.js';
import { ChargePage, ChargeResponse } from './dto/charge.responses.js';


@ApiTags('Billing')
@Controller()
export class BillingController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly charges: ChargesService,
    private readonly corrections: ChargeCorrectionsService,
  ) {}

  @Get('billing/catalog')
  @AnyStaff()
  @ApiOperation({ summary: 'What the residential fee includes and what is billed separately, with today’s prices' })
  @ApiOkResponse({ type: [CatalogueItem] })
  catalog(): Promise<CatalogueItem[]> {
    return this.catalogue.catalogue();
  }

  @Get('billing/prices')
  @Roles('billing', 'admin')
  @ApiOperation({ summary: 'Every price in force on a day, the formulary included' })
  @ApiOkResponse({ type: PriceListResponse })
  prices(@Query() query: PriceListQuery): Promise<PriceListResponse> {
    return this.catalogue.prices(query.date);
  }

  @Post('billing/prices')
  @Roles('billing')
  @ApiOperation({ summary: 'A new price from a date (earlier charges keep theirs)' })
  @ApiCreatedResponse({ type: PriceResponse })
  setPrice(@Body() body: SetPriceRequest, @Ctx() context: SignedInContext): Promise<PriceResponse> {
    return this.catalogue.setPrice(body, context);
  }

  @Post('admissions/:id/charges')
  @Roles('billing')
  @ApiOperation({ summary: 'Record a billable extra; the same idempotency key again returns the first charge (200)' })
  @ApiCreatedResponse({ type: ChargeResponse })
  @ApiOkResponse({ type: ChargeResponse, description: 'A retry: the charge made the first time.' })
  @ApiJsonBody(CreateChargeRequest, CHARGE_EXAMPLES)
  async charge(@Param('id', UuidParamPipe) id: string, @Body() body: CreateChargeRequest, @Ctx() context: SignedInContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChargeResponse> {
    const { charge, created } = await this.charges.create(id, body, context);
    void reply.status(created ? 201 : 200);
    return charge;
  }

  @Post('charges/:id/void')
  @HttpCode(200)
  @Roles('billing')
  @ApiOperation({
    summary:
      'Void a manual charge entered by mistake, with the reason: it stays listed, marked void, and is never invoiced. ' +
      'A charge on a live invoice is voided after that invoice; one made by a dispensation or a consult is corrected through that record.',
  })
  @ApiOkResponse({ type: ChargeResponse })
  voidCharge(@Param('id', UuidParamPipe) id: string, @Body() body: VoidRequest, @Ctx() context: SignedInContext): Promise<ChargeResponse> {
    return this.corrections.void(id, body.reason, context);
  }

  @Get('admissions/:id/charges')
  @Roles('billing')
  @ApiOperation({ summary: 'Charges of a stay by service date, void ones included and marked; uninvoiced=true for those still to invoice (on no live invoice, not void)' })
  @ApiOkResponse({ type: ChargePage })
  listCharges(@Param('id', UuidParamPipe) id: string, @Query() query: ListChargesQuery, @Ctx() context: RequestContext): Promise<ChargePage> {
    return this.charges.list(id, query, context);
  }
}
