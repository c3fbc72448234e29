import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/common.errors.js';
import { CLINIC_CURRENCY } from '../../common/money/money.js';
import { AppConfig } from '../../config/app-config.js';
import type { CatalogueItem, PriceResponse, SetPriceRequest } from './dto/catalogue.dto.js';
import { BillingItemEntity } from './entities/billing-item.entity.js';
import { PriceEntity } from './entities/price.entity.js';
import { BILLING_ERRORS } from './billing.errors.js';

/** The price in force on a day: the latest `validFrom` not after it. */
const PRICE_COLUMNS = 'id, item_code, product, label, unit_price_minor, currency, valid_from::text AS valid_from, created_by';

const PRICE_ON = `
  SELECT ${PRICE_COLUMNS} FROM prices WHERE item_code = $1 AND product = $2 AND valid_from <= $3::date
  ORDER BY valid_from DESC LIMIT 1`;

const PRICE_LIST_ON = `
  SELECT DISTINCT ON (item_code, product) ${PRICE_COLUMNS} FROM prices WHERE valid_from <= $1::date
  ORDER BY item_code, product, valid_from DESC`;

/** The catalogue (included vs billable) and dated prices, formulary included. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async catalogue(): Promise<CatalogueItem[]> {
    const manager = this.dataSource.manager;
    const items = await manager.find(BillingItemEntity, { order: { sortOrder: 'ASC' } });
    const prices = await this.priceList(manager, this.today());
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
    return { date: day, items: (await this.priceList(this.dataSource.manager, day)).map(toPriceResponse) };
  }

  /** A new price from a date; earlier charges keep the price they were made at. */
  async setPrice(request: SetPriceRequest, context: SignedInContext): Promise<PriceResponse> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.item(manager, request.itemCode).catch(() => {
        throw BILLING_ERRORS.UNKNOWN_ITEM(`${request.itemCode} is not in the catalogue.`, [{ field: 'itemCode', reason: 'is not in the catalogue' }]);
      });
      const product = request.product ?? '';
      if (item.pricing !== 'FIXED' && item.pricing !== 'FEE' && item.pricing !== 'FORMULARY') {
        throw BILLING_ERRORS.ITEM_NOT_PRICED(`${item.code} has no catalogue price (${item.pricing.toLowerCase()}).`);
      }
      if ((item.pricing === 'FORMULARY') !== (product !== '')) {
        throw new ValidationFailed([{ field: 'product', reason: item.pricing === 'FORMULARY' ? 'is required for a formulary price (drug:strength:unit)' : 'applies only to formulary prices' }]);
      }
      const label = request.label ?? (await this.latestLabel(manager, item.code, product)) ?? item.name;
      const price = manager.create(PriceEntity, { itemCode: item.code, product, label, unitPriceMinor: request.unitPriceMinor, currency: CLINIC_CURRENCY, validFrom: request.validFrom, createdBy: context.actor.id });
      await manager.insert(PriceEntity, price);
      await this.audit.record(context, { action: 'CREATE', resource: 'price', resourceId: price.id, detail: { itemCode: item.code, product, validFrom: request.validFrom } }, manager);
      return toPriceResponse(price);
    });
  }

  async item(manager: EntityManager, code: string): Promise<BillingItemEntity> {
    const item = await manager.findOneBy(BillingItemEntity, { code });
    if (!item) throw new NotFound('Billing item');
    return item;
  }

  /** The price of an item (and formulary product) on a day, or null when none applies yet. */
  async priceOn(manager: EntityManager, itemCode: string, product: string, date: string): Promise<PriceEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(PRICE_ON, [itemCode, product, date]);
    return rows[0] ? manager.create(PriceEntity, fromRow(rows[0])) : null;
  }

  private async priceList(manager: EntityManager, date: string): Promise<PriceEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(PRICE_LIST_ON, [date]);
    return rows.map((row) => manager.create(PriceEntity, fromRow(row)));
  }

  private async latestLabel(manager: EntityManager, itemCode: string, product: string): Promise<string | null> {
    const latest = await manager.findOne(PriceEntity, { where: { itemCode, product }, order: { validFrom: 'DESC' } });
    return latest?.label ?? null;
  }

  private today(): string {
    return this.clock.today(this.config.clinicTimeZone);
  }
}

function fromRow(row: Record<string, unknown>): Partial<PriceEntity> {
  return {
    id: row.id as string,
    itemCode: row.item_code as string,
    product: row.product as string,
    label: row.label as string,
    unitPriceMinor: Number(row.unit_price_minor),
    currency: row.currency as string,
    validFrom: row.valid_from as string,
    createdBy: row.created_by as string | null,
  };
}

function toPriceResponse(price: PriceEntity): PriceResponse {
  return { itemCode: price.itemCode, product: price.product || null, label: price.label, unitPriceMinor: price.unitPriceMinor, currency: price.currency, validFrom: price.validFrom };
}
