import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { DoseUnit, OpioidFormulation } from '../../clinical/mme.js';
import type { TaperBasis } from '../../clinical/taper.js';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { AdmissionEntity } from '../admissions/index.js';
import { PatientEntity } from '../patients/index.js';
import { UserEntity } from '../users/index.js';

export const TAPER_ORDER_STATUSES = ['DRAFT', 'ACTIVE', 'SUPERSEDED'] as const;
export type TaperOrderStatus = (typeof TAPER_ORDER_STATUSES)[number];

/** A pause recorded on a version, with why it was ordered. */
export interface RecordedPause {
  from: string;
  days: number;
  reason: string;
}

/**
 * One version of a taper order. A signed version never changes: an amendment is a new version
 * of the same order (same `orderId`) that supersedes it from a date and keeps the steps already
 * taken. At most one ACTIVE version per product (drug + formulation) per admission.
 */
@Entity('taper_orders')
@Unique('taper_orders_order_version_key', ['orderId', 'version'])
@Index('taper_orders_one_active_per_product', ['admissionId', 'drug', 'formulation'], { unique: true, where: `status = 'ACTIVE'` })
@Check('taper_orders_status_check', `status IN ('DRAFT', 'ACTIVE', 'SUPERSEDED')`)
@Check('taper_orders_basis_check', `basis IN ('START', 'CURRENT')`)
@Check('taper_orders_doses_check', `start_daily_dose > 0 AND target_daily_dose >= 0 AND target_daily_dose < start_daily_dose`)
@Check('taper_orders_rate_check', `reduction_percent > 0 AND reduction_percent <= 100 AND interval_days >= 1`)
@Check('taper_orders_signed_check', `(status = 'DRAFT') = (signed_by IS NULL)`)
@Check('taper_orders_discontinued_check', `NOT discontinued OR target_daily_dose = 0`)
@Check('taper_orders_cross_taper_check', `NOT cross_taper OR replaces_drug IS NOT NULL`)
@Check('taper_orders_rotation_check', `(replaces_drug IS NULL) = (replaces_formulation IS NULL) AND (replaces_drug IS NULL) = (rotation_reason IS NULL)`)
export class TaperOrderEntity {
  /** The id of this version. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The id of version 1: what ties the versions of one order together. */
  @Index('taper_orders_order_idx')
  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'int' })
  version: number;

  @ForeignKey(() => AdmissionEntity)
  @Index('taper_orders_admission_idx')
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  status: TaperOrderStatus;

  @Column({ type: 'text' })
  drug: string;

  @Column({ type: 'text' })
  formulation: OpioidFormulation;

  @Column({ type: 'text' })
  unit: DoseUnit;

  @Column({ name: 'start_daily_dose', type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  startDailyDose: number;

  @Column({ name: 'unit_strengths', type: 'jsonb' })
  unitStrengths: number[];

  @Column({ name: 'allow_half_tablets', type: 'boolean' })
  allowHalfTablets: boolean;

  @Column({ name: 'reduction_percent', type: 'numeric', precision: 6, scale: 3, transformer: numericTransformer })
  reductionPercent: number;

  @Column({ name: 'interval_days', type: 'int' })
  intervalDays: number;

  @Column({ type: 'text' })
  basis: TaperBasis;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'target_daily_dose', type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  targetDailyDose: number;

  /** Why a rate faster than guidance was ordered. */
  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  /** A rotation: the intake product this order replaces, and the psychiatrist's reason. */
  @Column({ name: 'replaces_drug', type: 'text', nullable: true })
  replacesDrug: string | null;

  @Column({ name: 'replaces_formulation', type: 'text', nullable: true })
  replacesFormulation: OpioidFormulation | null;

  @Column({ name: 'rotation_reason', type: 'text', nullable: true })
  rotationReason: string | null;

  /** A rotation given beside the product it replaces for a while; otherwise signing it stops that product's order on its first day. */
  @Column({ name: 'cross_taper', type: 'boolean', default: false })
  crossTaper: boolean;

  /** Why stopping at once was necessary. */
  @Column({ name: 'life_threatening_reason', type: 'text', nullable: true })
  lifeThreateningReason: string | null;

  /** Made by stopping the order (a discontinue, or the stop a rotation makes of the product it replaces). */
  @Column({ type: 'boolean', default: false })
  discontinued: boolean;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ type: 'jsonb' })
  warnings: ClinicalWarning[];

  @Column({ type: 'jsonb' })
  pauses: RecordedPause[];

  /** For an amendment: the version it replaced, from when, and why. */
  @ForeignKey(() => TaperOrderEntity)
  @Column({ name: 'supersedes_id', type: 'uuid', nullable: true })
  supersedesId: string | null;

  @Column({ name: 'effective_from', type: 'date', nullable: true })
  effectiveFrom: string | null;

  @Column({ name: 'amendment_reason', type: 'text', nullable: true })
  amendmentReason: string | null;

  /** Set when a later version replaced this one: the date it stopped applying. */
  @Column({ name: 'superseded_from', type: 'date', nullable: true })
  supersededFrom: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'signed_by', type: 'uuid', nullable: true })
  signedBy: string | null;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt: Date | null;
}
