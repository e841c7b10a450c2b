import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OutboxDelivery } from '../mail/outbox-delivery.entity';
import { NoticePurpose, NoticeRecipientKind, NoticeStatus } from './notice-status.enum';

/**
 * One message about one event to one recipient: the transactional outbox row. Written in the
 * transaction that raised the event; delivered by the worker; its id is the Message-ID.
 */
@Entity('notices')
@Index('notices_one_per_recipient', ['eventId', 'recipientKind', 'purpose'], { unique: true })
@Index('notices_delivery_idx', ['status', 'nextAttemptAt'])
@Index('notices_referral_idx', ['referralId', 'createdAt'])
// The inboxes and their counts in the navigation: a recipient's notices still to acknowledge.
@Index('notices_officer_inbox_idx', ['recipientUserId', 'createdAt'], { where: `"purpose" = 'event' AND "status" <> 'acknowledged'` })
@Index('notices_court_inbox_idx', ['recipientAgencyId', 'createdAt'], { where: `"purpose" = 'event' AND "status" <> 'acknowledged'` })
export class Notice extends OutboxDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'uuid' })
  referralId: string;

  @Column({ type: 'enum', enum: NoticePurpose, enumName: 'notice_purpose', default: NoticePurpose.Event })
  purpose: NoticePurpose;

  /** For a reminder: the notice nobody acknowledged. */
  @Column({ type: 'uuid', nullable: true })
  remindsNoticeId: string | null;

  @Column({ type: 'enum', enum: NoticeRecipientKind, enumName: 'notice_recipient_kind' })
  recipientKind: NoticeRecipientKind;

  @Column({ type: 'varchar', length: 254 })
  recipientEmail: string;

  /** The user behind the address when there is one (the probation officer). */
  @Column({ type: 'uuid', nullable: true })
  recipientUserId: string | null;

  /** The agency behind the address (the court) — scope for court clerks. */
  @Column({ type: 'uuid', nullable: true })
  recipientAgencyId: string | null;

  @Column({ type: 'enum', enum: NoticeStatus, enumName: 'notice_status', default: NoticeStatus.Pending })
  status: NoticeStatus;

  /** The policy's deadline for telling the recipient. */
  @Column({ type: 'timestamptz' })
  dueBy: Date;

  @Column({ type: 'varchar', length: 300, nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  bodyText: string | null;

  @Column({ type: 'text', nullable: true })
  bodyHtml: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  letterPdf: Buffer | null;

  /** The progress report attached to a progress-report notice, as rendered with it. */
  @Column({ type: 'bytea', nullable: true, select: false })
  reportPdf: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  renderedAt: Date | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  messageId: string | null;

  /** The SMTP server's last answer, kept for staff when a notice is dead. */
  @Column({ type: 'text', nullable: true })
  lastResponse: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
