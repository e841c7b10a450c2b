import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ParticipantMessageKind } from './participant-message-content';

/**
 * A message to a man about one session of one enrollment: written once (the unique key is the
 * promise that a reminder or a letter never goes twice), sent through the mail outbox.
 */
@Entity('participant_messages')
@Index('participant_messages_once', ['kind', 'enrollmentId', 'sessionId'], { unique: true })
export class ParticipantMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: ParticipantMessageKind;

  @Column({ type: 'uuid' })
  participantId: string;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'varchar', length: 10 })
  language: string;

  @Column({ type: 'uuid', nullable: true })
  mailId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
