import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AsNeededOrderEntity } from './as-needed-order.entity.js';
import { PainMedicationEntity } from './pain-medication.entity.js';

/** Pain-plan and as-needed orders as other modules read them: the record of doses, dispensing. */
@Injectable()
export class PainOrdersRepository {
  /** A pain-plan medication of this admission, or null. */
  medication(manager: EntityManager, admissionId: string, id: string): Promise<PainMedicationEntity | null> {
    return manager.findOneBy(PainMedicationEntity, { id, admissionId });
  }

  /** An as-needed order of this admission, or null. */
  asNeededOrder(manager: EntityManager, admissionId: string, id: string): Promise<AsNeededOrderEntity | null> {
    return manager.findOneBy(AsNeededOrderEntity, { id, admissionId });
  }

  /** The admission's pain-plan medications and as-needed orders of one drug, whatever their status. */
  async ordersOfDrug(manager: EntityManager, admissionId: string, drug: string): Promise<{ medications: PainMedicationEntity[]; asNeeded: AsNeededOrderEntity[] }> {
    const medications = await manager.findBy(PainMedicationEntity, { admissionId, drug });
    const asNeeded = await manager.findBy(AsNeededOrderEntity, { admissionId, drug });
    return { medications, asNeeded };
  }
}
