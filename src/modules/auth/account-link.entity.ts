import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { SignInRecord } from './sign-in-record.entity';

export type AccountLinkPurpose = 'invitation' | 'password_reset';

/**
 * A single-use link sent by e-mail: an invitation (sets the first password, 72 h) or a password
 * reset (30 min). Only the SHA-256 of its random token is stored, so a copy of the database opens
 * no account; it is spent by one conditional UPDATE, so two clicks cannot both use it.
 */
@Entity('account_links')
@Index('account_links_token_hash_unique', ['tokenHash'], { unique: true })
@Index('account_links_user_open_idx', ['userId', 'purpose'], { where: 'used_at IS NULL AND revoked_at IS NULL' })
export class AccountLink extends SignInRecord {
  @Column({ type: 'varchar', length: 20 })
  purpose: AccountLinkPurpose;

  /** base64url SHA-256 of the token; the token itself exists only in the e-mail. */
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** Set when a newer link of the same purpose replaced it (a re-sent invitation). */
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The admin who sent an invitation; null for a reset the person asked for himself. */
  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
