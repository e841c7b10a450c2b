import { Column, Entity, Index } from 'typeorm';
import { SignInRecord } from './sign-in-record.entity';

export type AuthSessionKind = 'api' | 'page';
export type AuthSessionEnd = 'logout' | 'idle' | 'max_age' | 'password_change' | 'deactivated' | 'password_reset' | 'factor_reset';

/**
 * One sign-in, server-side, so that an idle or over-long session can be refused even while its
 * token's signature is still good, and logout ends exactly this session. Tokens carry its id.
 */
@Entity('auth_sessions')
@Index('auth_sessions_user_open_idx', ['userId'], { where: 'ended_at IS NULL' })
export class AuthSession extends SignInRecord {
  @Column({ type: 'varchar', length: 8 })
  kind: AuthSessionKind;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  /** Moved forward at most once a minute by requests, so activity costs no write per call. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  endReason: AuthSessionEnd | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ipAddress: string | null;
}
