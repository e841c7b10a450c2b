import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One read or change of a record. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
@Entity('audit_entries')
@Index('audit_entries_record_idx', ['recordType', 'recordId', 'occurredAt'])
@Index('audit_entries_actor_idx', ['actorUserId', 'occurredAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorRole: string | null;

  /** e.g. referral.create, attendance.mark, participant.read, auth.login_failed */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 64 })
  recordType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recordId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ipAddress: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  requestId: string | null;

  /** Before/after values of a change; never passwords or tokens. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;
}
