import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { patchWearHours } from '../../clinical/administration.js';
import { stockAmount, supplyNeed, type SupplyOrder } from '../../clinical/supply.js';
import { calendarDate } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { PainOrdersRepository } from '../pain-plan/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import type { DispenseRequest } from './dto/dispensation.requests.js';

/**
 * The orders of the admission in force on the day of a dispensation that use its drug, in the
 * unit its stock is counted in (domain.md §10): signed taper orders with doses still to give,
 * pain-plan and as-needed orders written by that day and not discontinued before it.
 */
@Injectable()
export class DispensingOrders {
  constructor(
    private readonly taperOrders: TaperOrdersRepository,
    private readonly painOrders: PainOrdersRepository,
    private readonly config: AppConfig,
  ) {}

  async inForce(manager: EntityManager, admissionId: string, request: DispenseRequest): Promise<SupplyOrder[]> {
    const { unit } = stockAmount(request);
    const on = request.dispensedOn;
    const tapers: SupplyOrder[] = (await this.taperOrders.activeVersions(manager, admissionId))
      .filter((v) => v.drug === request.drug && v.unit === unit)
      .map((v): SupplyOrder => ({ kind: 'TAPER', label: `${v.drug} ${v.formulation} taper`, schedule: v, wearHours: patchWearHours(v) }))
      // A taper already stopped needs no more stock.
      .filter((order) => supplyNeed([order], on) > 0);
    const { medications, asNeeded } = await this.painOrders.ordersOfDrug(manager, admissionId, request.drug);
    const inForceOn = (order: { createdAt: Date; discontinuedAt: Date | null; unit: string }) =>
      order.unit === unit && this.dayOf(order.createdAt) <= on && (order.discontinuedAt === null || this.dayOf(order.discontinuedAt) > on);
    return [
      ...tapers,
      ...medications.filter(inForceOn).map((m): SupplyOrder => ({ kind: 'PAIN_PLAN', label: `${m.drug} ${m.dose} ${m.unit} × ${m.timesPerDay} a day`, dailyDose: m.dailyDose })),
      ...asNeeded.filter(inForceOn).map((o): SupplyOrder => ({ kind: 'AS_NEEDED', label: `${o.drug} ${o.dose} ${o.unit} as needed, ${o.maxDosesPerDay} a day at most`, dose: o.dose, maxDosesPerDay: o.maxDosesPerDay })),
    ];
  }

  private dayOf(instant: Date): string {
    return calendarDate(instant, this.config.clinicTimeZone);
  }
}
