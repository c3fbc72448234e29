import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { AdministrationOutcome } from '../../clinical/administration.js';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { AdmissionEntity } from '../admissions/index.js';
import { PatientEntity } from '../patients/index.js';
import { TaperOrderEntity } from '../taper-orders/index.js';
import { UserEntity, VoidColumns } from '../users/index.js';

export const ORDER_KINDS = ['TAPER', 'PAIN_PLAN', 'AS_NEEDED'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/**
 * One dose of the medication administration record (domain.md §8a): given, held, refused or
 * omitted, by whom and (an opioid given) witnessed by whom. Never edited or deleted: a mistake
 * is voided with a reason and stays on record.
 */
@Entity('administrations')
@Unique('administrations_idempotency_key', ['admissionId', 'idempotencyKey'])
@Index('administrations_order_day_idx', ['orderId', 'givenOn'])
@Index('administrations_admission_idx', ['admissionId', 'givenAt'])
@Check('administrations_kind_check', `order_kind IN ('TAPER', 'PAIN_PLAN', 'AS_NEEDED')`)
@Check('administrations_outcome_check', `outcome IN ('GIVEN', 'HELD', 'REFUSED', 'OMITTED')`)
@Check('administrations_reason_check', `outcome = 'GIVEN' OR reason IS NOT NULL`)
@Check('administrations_dose_check', `dose > 0`)
@Check('administrations_witness_check', `witness_id IS NULL OR witness_id <> given_by`)
@Check('administrations_taper_version_check', `(order_kind = 'TAPER') = (version_id IS NOT NULL)`)
@Check('administrations_void_check', `(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)`)
export class AdministrationEntity extends VoidColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of recording: the tie-break of lists. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ name: 'order_kind', type: 'text' })
  orderKind: OrderKind;

  /** The taper order (the id all its versions share), the pain-plan medication or the as-needed order. */
  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  /** A taper dose: the version in force when it was recorded. */
  @ForeignKey(() => TaperOrderEntity)
  @Column({ name: 'version_id', type: 'uuid', nullable: true })
  versionId: string | null;

  @Column({ type: 'text' })
  drug: string;

  @Column({ type: 'text', nullable: true })
  formulation: string | null;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  dose: number;

  @Column({ type: 'text' })
  unit: string;

  @Column({ name: 'given_at', type: 'timestamptz' })
  givenAt: Date;

  /** givenAt on the clinic's calendar: the day whose limits the dose counts toward. */
  @Column({ name: 'given_on', type: 'date' })
  givenOn: string;

  @Column({ type: 'text' })
  outcome: AdministrationOutcome;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'given_by', type: 'uuid' })
  givenBy: string;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'witness_id', type: 'uuid', nullable: true })
  witnessId: string | null;

  @Column({ type: 'jsonb' })
  warnings: ClinicalWarning[];

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  /** What the first request said, so a retry with the same key and other content is told apart. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
