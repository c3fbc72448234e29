// The billing module as other modules see it.
export { BillingModule } from './billing.module.js';
export { StockLedgerRepository } from './stock-ledger.repository.js';
export { TRAVEL_ITEMS } from './charges.service.js';
export { BillingItemEntity } from './entities/billing-item.entity.js';
export { ChargeEntity } from './entities/charge.entity.js';
export { DispensationEntity } from './entities/dispensation.entity.js';
export { InvoiceCounterEntity } from './entities/invoice-counter.entity.js';
export { InvoiceLineEntity } from './entities/invoice-line.entity.js';
export { InvoiceEntity } from './entities/invoice.entity.js';
export { InvoicedDayEntity } from './entities/invoiced-day.entity.js';
export { PaymentEntity } from './entities/payment.entity.js';
export { PriceEntity } from './entities/price.entity.js';
export { PsychConsultEntity } from './entities/psych-consult.entity.js';
