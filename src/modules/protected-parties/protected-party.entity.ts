import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProtectedPartyRecord } from './protected-party-record.entity';

/** Whether she wants to hear when he completes or is terminated (the policy says how that is read). */
export enum NotificationWish {
  Wants = 'wants',
  Declined = 'declined',
  NotAsked = 'not_asked',
}

/**
 * A victim or partner protected by the order. Everything that could identify or reach her is in
 * the sealed columns (see FieldCipher); only her wish about notification is plain, because the
 * referral's status change must read it in SQL. No other module reads this table.
 */
@Entity('protected_parties')
@Index('protected_parties_referral_idx', ['referralId'])
export class ProtectedParty extends ProtectedPartyRecord {
  /** Chosen by the service before sealing, because the sealed data is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'enum', enum: NotificationWish, enumName: 'notification_wish', default: NotificationWish.NotAsked })
  notificationWish: NotificationWish;

  /**
   * She asked that the program not contact him on its own (reminders, letters): contact from the
   * program can tell him she is involved. Kept out of the sealed box so the messages job can
   * honour it; seen only by advocates.
   */
  @Column({ type: 'boolean', default: false })
  noProgramContact: boolean;

  @Column({ type: 'varchar', length: 16 })
  keyId: string;

  @Column({ type: 'bytea', select: false })
  wrappedKey: Buffer;

  @Column({ type: 'bytea', select: false })
  ciphertext: Buffer;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
