import { Injectable } from '@nestjs/common';
import { Between, type EntityManager } from 'typeorm';
import { ObservationEntity } from './observation.entity.js';

/** Observations as other modules read them: the COWS scores that indicate an as-needed dose. */
@Injectable()
export class ObservationsRepository {
  /** The COWS scores of the admission recorded from `from` to `to`, both included. */
  async cowsScoresBetween(manager: EntityManager, admissionId: string, from: Date, to: Date): Promise<{ recordedAt: Date; score: number }[]> {
    const rows = await manager.find(ObservationEntity, { select: { recordedAt: true, score: true }, where: { admissionId, type: 'COWS', recordedAt: Between(from, to) } });
    return rows.map((row) => ({ recordedAt: row.recordedAt, score: row.score }));
  }
}
