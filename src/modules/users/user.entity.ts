import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../common/auth/role.js';

/**
 * A staff account. The email is unique whatever its case (index on lower(email), in the
 * migration). The checks repeat the migration's so that generated migrations stay empty.
 */
@Entity('users')
@Check('users_email_check', `email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254`)
@Check('users_display_name_check', `length(display_name) BETWEEN 1 AND 200`)
@Check('users_roles_check', `cardinality(roles) >= 1 AND roles <@ ARRAY['admin', 'admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare']::text[]`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
