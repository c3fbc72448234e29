import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { COMMON_ERRORS, NotFound } from '../../common/errors/common.errors.js';
import { BillingItemEntity } from './entities/billing-item.entity.js';
import { PriceEntity } from './entities/price.entity.js';

const PRICE_COLUMNS = 'id, item_code, product, label, unit_price_minor, currency, valid_from::text AS valid_from, created_by';

/** The price in force on a day: the latest `validFrom` not after it. */
const PRICE_ON = `
  SELECT ${PRICE_COLUMNS} FROM prices WHERE item_code = $1 AND product = $2 AND valid_from <= $3::date
  ORDER BY valid_from DESC LIMIT 1`;

const PRICE_LIST_ON = `
  SELECT DISTINCT ON (item_code, product) ${PRICE_COLUMNS} FROM prices WHERE valid_from <= $1::date
  ORDER BY item_code, product, valid_from DESC`;

/** The catalogue's items and their dated prices, the formulary among them. */
@Injectable()
export class CatalogueRepository {
  items(manager: EntityManager): Promise<BillingItemEntity[]> {
    return manager.find(BillingItemEntity, { order: { sortOrder: 'ASC' } });
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

  /** Every price in force on a day. */
  async priceList(manager: EntityManager, date: string): Promise<PriceEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(PRICE_LIST_ON, [date]);
    return rows.map((row) => manager.create(PriceEntity, fromRow(row)));
  }

  async latestLabel(manager: EntityManager, itemCode: string, product: string): Promise<string | null> {
    const latest = await manager.findOne(PriceEntity, { where: { itemCode, product }, order: { validFrom: 'DESC' } });
    return latest?.label ?? null;
  }

  /** One price per item, product and date: a second is a 409 naming validFrom (also when two are set at once). */
  async insertPrice(manager: EntityManager, price: PriceEntity): Promise<void> {
    await manager.insert(PriceEntity, price).catch((error: unknown) => {
      const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driverError?.code !== '23505' || driverError.constraint !== 'prices_item_product_from_key') throw error;
      const what = price.product ? `${price.itemCode} ${price.product}` : price.itemCode;
      throw COMMON_ERRORS.DUPLICATE(`${what} already has a price from ${price.validFrom}; set the new price from another date.`, [
        { field: 'validFrom', reason: `${what} already has a price from ${price.validFrom}` },
      ]);
    });
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
