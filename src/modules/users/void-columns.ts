import { Column, ForeignKey } from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * A record entered by mistake is voided, never edited or deleted: when, by whom and why. The
 * tables that keep such records (administrations, charges, dispensations, payments, psychiatric
 * consults) each have these
 * three columns (TypeORM copies an abstract class's columns) and a check that they are set together.
 */
export abstract class VoidColumns {
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'voided_by', type: 'uuid', nullable: true })
  voidedBy: string | null;

  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason: string | null;
}
