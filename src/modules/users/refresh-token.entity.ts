import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * One refresh token of a session. Tokens of one login form a family (chain): each works once,
 * and presenting a used one revokes the whole family. Only a hash of the secret is stored.
 */
@Entity('refresh_tokens')
@Check('refresh_tokens_secret_hash_check', `length(secret_hash) = 32`)
export class RefreshTokenEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Index('refresh_tokens_user_id_idx')
  @ForeignKey(() => UserEntity, { name: 'refresh_tokens_user_id_fkey' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Index('refresh_tokens_family_id_idx')
  @Column({ name: 'family_id', type: 'uuid' })
  familyId: string;

  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
