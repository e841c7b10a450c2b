import { Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { SignInRecord } from './sign-in-record.entity';

/**
 * A user's TOTP secret (RFC 6238), sealed at rest with the field cipher (FIELD_ENCRYPTION_KEY,
 * envelope encryption bound to the user). `confirmedAt` is null while he is still enrolling: the
 * factor counts only once he typed a right code from it. `lastStep` is the time step of the last
 * code accepted, so one code is never accepted twice (RFC 6238, 5.2).
 */
@Entity('second_factors')
export class SecondFactor {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  keyId: string;

  @Column({ type: 'bytea' })
  wrappedKey: Buffer;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'bigint', nullable: true })
  lastStep: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** One of a user's ten single-use recovery codes, stored as a keyed hash. */
@Entity('recovery_codes')
@Index('recovery_codes_user_idx', ['userId'])
export class RecoveryCode extends SignInRecord {
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
