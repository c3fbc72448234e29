import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { CLINIC_CURRENCY } from '../../common/money/money.js';
import { AppConfig } from '../../config/app-config.js';
import type { SetPriceRequest } from './dto/catalogue.requests.js';
import type { CatalogueItem, PriceResponse } from './dto/catalogue.responses.js';
import { CatalogueRepository } from './catalogue.repository.js';
import { PriceEntity } from './entities/price.entity.js';
import { BILLING_ERRORS } from './billing.errors.js';

/** The catalogue (included vs billable) and dated prices, formulary included. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogueItems: CatalogueRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async catalogue(): Promise<CatalogueItem[]> {
    const manager = this.dataSource.manager;
    const items = await this.catalogueItems.items(manager);
    const prices = await this.catalogueItems.priceList(manager, this.today());
    return items.map((item) => ({
      code: item.code,
      name: item.name,
      coverage: item.coverage,
      pricing: item.pricing,
      unitPriceMinor: item.pricing === 'FIXED' || item.pricing === 'FEE' ? (prices.find((p) => p.itemCode === item.code && p.product === '')?.unitPriceMinor ?? null) : null,
      currency: CLINIC_CURRENCY,
    }));
  }

  /** Every price in force on a day (the formulary among them). */
  async prices(date: string | undefined): Promise<{ date: string; items: PriceResponse[] }> {
    const day = date ?? this.today();
    return { date: day, items: (await this.catalogueItems.priceList(this.dataSource.manager, day)).map(toPriceResponse) };
  }

  /** A new price from a date; earlier charges keep the price they were made at. */
  async setPrice(request: SetPriceRequest, context: SignedInContext): Promise<PriceResponse> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.catalogueItems.item(manager, request.itemCode).catch(() => {
        throw BILLING_ERRORS.UNKNOWN_ITEM(`${request.itemCode} is not in the catalogue.`, [{ field: 'itemCode', reason: 'is not in the catalogue' }]);
      });
      const product = request.product ?? '';
      if (item.pricing !== 'FIXED' && item.pricing !== 'FEE' && item.pricing !== 'FORMULARY') {
        throw BILLING_ERRORS.ITEM_NOT_PRICED(`${item.code} has no catalogue price (${item.pricing.toLowerCase()}).`);
      }
      if ((item.pricing === 'FORMULARY') !== (product !== '')) {
        throw new ValidationFailed([{ field: 'product', reason: item.pricing === 'FORMULARY' ? 'is required for a formulary price (drug:strength:unit)' : 'applies only to formulary prices' }]);
      }
      const label = request.label ?? (await this.catalogueItems.latestLabel(manager, item.code, product)) ?? (product ? productLabel(product) : item.name);
      const price = manager.create(PriceEntity, { itemCode: item.code, product, label, unitPriceMinor: request.unitPriceMinor, currency: CLINIC_CURRENCY, validFrom: request.validFrom, createdBy: context.actor.id });
      await this.catalogueItems.insertPrice(manager, price);
      await this.audit.record(context, { action: 'CREATE', resource: 'price', resourceId: price.id, detail: { itemCode: item.code, product, validFrom: request.validFrom } }, manager);
      return toPriceResponse(price);
    });
  }

  private today(): string {
    return this.clock.today(this.config.clinicTimeZone);
  }
}

/**
 * A new formulary product without a label is named after the product, so its charges and invoice
 * lines say what was dispensed: `morphine:15:mg` → "Morphine 15 mg" (not the item's generic name).
 */
export function productLabel(product: string): string {
  const [drug = '', strength = '', unit = ''] = product.split(':');
  return `${drug.charAt(0).toUpperCase()}${drug.slice(1)} ${strength}${unit === '%' ? '%' : ` ${unit}`}`;
}

function toPriceResponse(price: PriceEntity): PriceResponse {
  return { itemCode: price.itemCode, product: price.product || null, label: price.label, unitPriceMinor: price.unitPriceMinor, currency: price.currency, validFrom: price.validFrom };
}
