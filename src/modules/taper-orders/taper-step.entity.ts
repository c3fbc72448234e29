import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { TaperOrderEntity } from './taper-order.entity.js';

/** One step of a taper order version: the daily dose from a date on. */
@Entity('taper_steps')
@Index('taper_steps_version_starts_idx', ['versionId', 'startsOn'])
export class TaperStepEntity {
  @ForeignKey(() => TaperOrderEntity)
  @PrimaryColumn({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @PrimaryColumn({ type: 'int' })
  step: number;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'daily_dose', type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  dailyDose: number;

  /** null where MME does not apply (buprenorphine). */
  @Column({ name: 'daily_mme', type: 'numeric', precision: 14, scale: 5, nullable: true, transformer: numericTransformer })
  dailyMme: number | null;

  /** Cut from the previous step, % of that dose. */
  @Column({ name: 'reduction_percent', type: 'numeric', precision: 6, scale: 2, transformer: numericTransformer })
  reductionPercent: number;

  @Column({ name: 'percent_of_start', type: 'numeric', precision: 6, scale: 2, transformer: numericTransformer })
  percentOfStart: number;
}
