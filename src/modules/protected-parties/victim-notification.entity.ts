import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProtectedPartyRecord } from './protected-party-record.entity';
import { ProtectedParty } from './protected-party.entity';

export enum VictimNotificationStatus {
  /** Waiting for an advocate to decide how (or whether) she is told. */
  Pending = 'pending',
  /** The e-mail is on its way; if it stays so, the outcome is unknown and must not be resent blindly. */
  Sending = 'sending',
  Sent = 'sent',
  /** The SMTP server refused; the advocate may send again or reach her another way. */
  Failed = 'failed',
  /** Told by phone, in person or by letter, as the advocate recorded. */
  Recorded = 'recorded',
  Skipped = 'skipped',
}

export type { VictimNotificationEvent } from '../policies/policy.entity';
import type { VictimNotificationEvent } from '../policies/policy.entity';
export type VictimNotificationChannel = 'email' | 'phone' | 'in_person' | 'mail';

/**
 * A partner's right to hear that he completed or was terminated. Raised with the status change;
 * nothing reaches her until an advocate chooses the channel. The advocate's note is sealed.
 */
@Entity('victim_notifications')
@Index('victim_notifications_once', ['protectedPartyId', 'event'], { unique: true })
@Index('victim_notifications_status_idx', ['status'])
export class VictimNotification extends ProtectedPartyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  protectedPartyId: string;

  @ManyToOne(() => ProtectedParty, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'protected_party_id' })
  protectedParty?: ProtectedParty;

  @Column({ type: 'varchar', length: 20 })
  event: VictimNotificationEvent;

  /** Under an on-request policy she was never asked whether she wants to hear: the advocate asks first. */
  @Column({ type: 'boolean', default: false })
  askFirst: boolean;

  /** When she is to have been told by, from the policy's clock for this step; null where no rule sets one. */
  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({
    type: 'enum',
    enum: VictimNotificationStatus,
    enumName: 'victim_notification_status',
    default: VictimNotificationStatus.Pending,
  })
  status: VictimNotificationStatus;

  @Column({ type: 'varchar', length: 20, nullable: true })
  channel: VictimNotificationChannel | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  messageId: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The advocate's note, sealed like the party's data (it may say where she is). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  noteKeyId: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  noteWrappedKey: Buffer | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  noteCiphertext: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
