import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { PainPlanModule } from '../pain-plan/index.js';
import { PatientsModule } from '../patients/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { BillingController } from './billing.controller.js';
import { CatalogueRepository } from './catalogue.repository.js';
import { CatalogueService } from './catalogue.service.js';
import { ChargeCorrectionsService } from './charge-corrections.service.js';
import { ChargesService } from './charges.service.js';
import { ClinicalChargesController } from './clinical-charges.controller.js';
import { DispensationVoidService } from './dispensation-void.service.js';
import { DispensationsService } from './dispensations.service.js';
import { DispensingOrders } from './dispensing-orders.js';
import { InvoiceDocumentsService } from './invoice-documents.service.js';
import { InvoiceDraftingService } from './invoice-drafting.service.js';
import { InvoicePaymentsService } from './invoice-payments.service.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicesService } from './invoices.service.js';
import { PsychConsultVoidService } from './psych-consult-void.service.js';
import { PsychConsultsService } from './psych-consults.service.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';

/** Catalogue and prices, charges, invoices and payments (domain.md §10). */
@Module({
  imports: [AdmissionsModule, PatientsModule, TaperOrdersModule, PainPlanModule],
  controllers: [BillingController, InvoicesController, ClinicalChargesController],
  providers: [CatalogueService, CatalogueRepository, ChargesService, ChargeCorrectionsService, InvoiceDraftingService, InvoicesService, InvoicePaymentsService, InvoiceDocumentsService, PsychConsultsService, PsychConsultVoidService, DispensationsService, DispensationVoidService, StockLedgerRepository, DispensingOrders],
  exports: [StockLedgerRepository],
})
export class BillingModule {}
