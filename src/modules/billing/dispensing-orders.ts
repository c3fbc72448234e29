import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { patchWearHours } from '../../clinical/administration.js';
import type { ProductInForce } from '../../clinical/dispensed-product.js';
import { stockAmount, supplyNeed, type SupplyOrder } from '../../clinical/supply.js';
import { calendarDate } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { PainOrdersRepository } from '../pain-plan/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import type { DispenseRequest } from './dto/dispensation.requests.js';

/**
 * The orders of the admission in force on the day of a dispensation that use its drug, in the
 * unit its stock is counted in (domain.md §10), per product: signed taper orders with doses still
 * to give, one product per formulation; pain-plan and as-needed orders written by that day and
 * not discontinued before it, together the drug's one product without a formulation.
 */
@Injectable()
export class DispensingOrders {
  constructor(
    private readonly taperOrders: TaperOrdersRepository,
    private readonly painOrders: PainOrdersRepository,
    private readonly config: AppConfig,
  ) {}

  async productsInForce(manager: EntityManager, admissionId: string, request: DispenseRequest): Promise<ProductInForce[]> {
    const { unit } = stockAmount(request);
    const on = request.dispensedOn;
    const tapers = (await this.taperOrders.activeVersions(manager, admissionId))
      .filter((v) => v.drug === request.drug && v.unit === unit)
      .map((v) => ({
        formulation: v.formulation as string,
        order: { kind: 'TAPER', label: `${v.drug} ${v.formulation} taper`, schedule: v, wearHours: patchWearHours(v), unitStrengths: v.unitStrengths, allowHalfTablets: v.allowHalfTablets } satisfies SupplyOrder,
      }))
      // A taper already stopped needs no more stock.
      .filter(({ order }) => supplyNeed([order], on) > 0);
    const { medications, asNeeded } = await this.painOrders.ordersOfDrug(manager, admissionId, request.drug);
    const inForceOn = (order: { createdAt: Date; discontinuedAt: Date | null; unit: string }) =>
      order.unit === unit && this.dayOf(order.createdAt) <= on && (order.discontinuedAt === null || this.dayOf(order.discontinuedAt) > on);
    const plan: SupplyOrder[] = [
      ...medications.filter(inForceOn).map((m): SupplyOrder => ({ kind: 'PAIN_PLAN', label: `${m.drug} ${m.dose} ${m.unit} × ${m.timesPerDay} a day`, dailyDose: m.dailyDose })),
      ...asNeeded.filter(inForceOn).map((o): SupplyOrder => ({ kind: 'AS_NEEDED', label: `${o.drug} ${o.dose} ${o.unit} as needed, ${o.maxDosesPerDay} a day at most`, dose: o.dose, maxDosesPerDay: o.maxDosesPerDay })),
    ];
    const products = new Map<string | null, SupplyOrder[]>();
    for (const { formulation, order } of tapers) products.set(formulation, [...(products.get(formulation) ?? []), order]);
    if (plan.length > 0) products.set(null, plan);
    return [...products].map(([formulation, orders]) => ({ formulation, orders }));
  }

  private dayOf(instant: Date): string {
    return calendarDate(instant, this.config.clinicTimeZone);
  }
}
