import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { MailKind, MailStatus } from './mail-kind';
import { OutboxDelivery } from './outbox-delivery.entity';

/**
 * One mail in the outbox. Who it goes to and what it says are sealed (they may be a protected
 * party's address, or a single-use link), and wiped once the mail is sent or given up on: what
 * stays is that a mail of this kind about this record went out, when, and the server's answer.
 */
@Entity('outgoing_mails')
@Index('outgoing_mails_about_idx', ['kind', 'refId', 'createdAt'])
@Index('outgoing_mails_due_idx', ['nextAttemptAt'], { where: `status IN ('pending', 'failed')` })
export class OutgoingMail extends OutboxDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40 })
  kind: MailKind;

  /** The record the mail is about: an invitation, a reset, an agency, a victim notification. */
  @Column({ type: 'uuid' })
  refId: string;

  @Column({ type: 'enum', enum: MailStatus, enumName: 'outgoing_mail_status', default: MailStatus.Pending })
  status: MailStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  messageId: string | null;

  /** The server's last answer, with the recipient's address taken out. */
  @Column({ type: 'text', nullable: true })
  lastResponse: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  keyId: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  wrappedKey: Buffer | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  ciphertext: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
