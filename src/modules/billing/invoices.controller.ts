import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody, ApiOkIn } from '../../common/http/api-content.js';
import { negotiate } from '../../common/http/content-negotiation.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { INVOICE_EXAMPLES, PAYMENT_EXAMPLES } from './dto/billing.examples.js';
import { DraftInvoiceRequest, InvoiceQuery, ListInvoicesQuery, PaymentRequest, VoidRequest, type InvoiceFormat } from './dto/invoice.requests.js';
import { InvoicePage, InvoiceResponse } from './dto/invoice.responses.js';
import { InvoiceDocumentsService } from './invoice-documents.service.js';
import { InvoiceDraftingService } from './invoice-drafting.service.js';
import { InvoicePaymentsService } from './invoice-payments.service.js';
import { toInvoiceResponse } from './invoice-view.js';
import { InvoicesService } from './invoices.service.js';
import { NoBody, NoBodyAccepted } from '../../common/http/no-body.js';


@ApiTags('Invoices')
@Controller()
export class InvoicesController {
  constructor(
    private readonly drafting: InvoiceDraftingService,
    private readonly invoices: InvoicesService,
    private readonly payments: InvoicePaymentsService,
    private readonly documents: InvoiceDocumentsService,
  ) {}

  @Post('admissions/:id/invoices')
  @Roles('billing')
  @ApiOperation({ summary: 'Draft an invoice for a period: prorated fee, uninvoiced extras dated in it, included services at no charge' })
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiJsonBody(DraftInvoiceRequest, INVOICE_EXAMPLES)
  draft(@Param('id', UuidParamPipe) id: string, @Body() body: DraftInvoiceRequest, @Ctx() context: SignedInContext): Promise<InvoiceResponse> {
    return this.drafting.draft(id, body, context);
  }

  @Get('admissions/:id/invoices')
  @Roles('billing')
  @ApiOperation({ summary: 'Every invoice of a stay, oldest first' })
  @ApiOkResponse({ type: InvoicePage })
  list(@Param('id', UuidParamPipe) id: string, @Query() query: ListInvoicesQuery, @Ctx() context: RequestContext): Promise<InvoicePage> {
    return this.invoices.listForAdmission(id, query, context);
  }

  @Get('invoices/:id')
  @Roles('billing')
  @ApiOperation({ summary: 'One invoice as JSON, or as a PDF, by ?format= or the Accept header' })
  @ApiOkIn('The invoice: JSON by default; `Accept: application/pdf` or `?format=pdf` the PDF (`?format=` wins over Accept).', { json: InvoiceResponse, pdf: true })
  async get(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: InvoiceQuery,
    @Headers('accept') accept: string | undefined,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse | Buffer> {
    void reply.header('vary', 'accept');
    const format: InvoiceFormat = query.format ?? (negotiate(accept, ['application/json', 'application/pdf']) === 'application/pdf' ? 'pdf' : 'json');
    if (format === 'pdf') {
      const { filename, pdf } = await this.documents.pdf(id, context);
      void reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`);
      return pdf;
    }
    return toInvoiceResponse(await this.invoices.get(id, context));
  }

  @Post('invoices/:id/issue')
  @HttpCode(200)
  @Roles('billing')
  @ApiOperation({ summary: 'Issue a draft: a gapless yearly number, then the invoice can no longer change' })
  @ApiOkResponse({ type: InvoiceResponse })
  @NoBodyAccepted()
  issue(@Param('id', UuidParamPipe) id: string, @Body() _none: NoBody, @Ctx() context: SignedInContext): Promise<InvoiceResponse> {
    return this.invoices.issue(id, context);
  }

  @Post('invoices/:id/payments')
  @Roles('billing')
  @ApiOperation({ summary: 'Record a payment; the invoice is PAID when the balance reaches zero. With an idempotency key, a retry returns the invoice (200) and records nothing new.' })
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiOkResponse({ type: InvoiceResponse, description: 'A retry with the same idempotency key: nothing new was recorded.' })
  @ApiJsonBody(PaymentRequest, PAYMENT_EXAMPLES)
  async pay(@Param('id', UuidParamPipe) id: string, @Body() body: PaymentRequest, @Ctx() context: SignedInContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<InvoiceResponse> {
    const { invoice, created } = await this.payments.pay(id, body, context);
    void reply.status(created ? 201 : 200);
    return invoice;
  }

  @Post('payments/:id/void')
  @HttpCode(200)
  @Roles('billing')
  @ApiOperation({ summary: 'Void a payment entered by mistake, with the reason: it stays on the invoice, marked void, and is no longer counted (a PAID invoice is ISSUED again)' })
  @ApiOkResponse({ type: InvoiceResponse, description: 'The invoice the payment was on.' })
  voidPayment(@Param('id', UuidParamPipe) id: string, @Body() body: VoidRequest, @Ctx() context: SignedInContext): Promise<InvoiceResponse> {
    return this.payments.void(id, body.reason, context);
  }

  @Post('invoices/:id/void')
  @HttpCode(200)
  @Roles('billing')
  @ApiOperation({ summary: 'Void with a reason: kept on record, its charges and days become uninvoiced again. Payments that are not void must be voided first.' })
  @ApiOkResponse({ type: InvoiceResponse })
  void(@Param('id', UuidParamPipe) id: string, @Body() body: VoidRequest, @Ctx() context: SignedInContext): Promise<InvoiceResponse> {
    return this.invoices.void(id, body.reason, context);
  }
}
