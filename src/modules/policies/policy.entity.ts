import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FeeBracket } from './fee-schedule';

import { PolicyLevel } from './policy-level';

/**
 * One version of a jurisdiction's or program's rule set. Editing writes a new row with the
 * same `key` and the next `version`; a referral points at the row it was ordered under.
 */
export const VICTIM_NOTIFICATION_RULES = ['none', 'on_request', 'unless_declined'] as const;
export type VictimNotificationRule = (typeof VICTIM_NOTIFICATION_RULES)[number];
/** What she may be told of: his enrollment (Florida 65H-2.016: within 3 business days), completion, termination. */
export const VICTIM_NOTIFICATION_EVENTS = ['enrolled', 'completed', 'terminated'] as const;
export type VictimNotificationEvent = (typeof VICTIM_NOTIFICATION_EVENTS)[number];

@Entity('policies')
@Index('policies_key_version_unique', ['key', 'version'], { unique: true })
export class Policy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable identity across versions, e.g. "ca-pc-1203-097". */
  @Column({ type: 'varchar', length: 80 })
  key: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Where the numbers come from (statute, code, guideline). */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ type: 'integer' })
  requiredSessions: number;

  @Column({ type: 'integer' })
  sessionMinutes: number;

  @Column({ type: 'integer' })
  enrollWithinDays: number;

  @Column({ type: 'integer' })
  completeWithinMonths: number;

  /** Excused + unexcused, over the whole program. */
  @Column({ type: 'integer' })
  maxAbsences: number;

  @Column({ type: 'integer' })
  maxUnexcusedAbsences: number;

  @Column({ type: 'integer' })
  maxConsecutiveAbsences: number;

  @Column({ type: 'integer' })
  noAttendanceDays: number;

  @Column({ type: 'integer' })
  progressReportEveryDays: number;

  /** When set, progress reports fall due on this day of each month (Texas: by the 10th) instead of every N days. */
  @Column({ type: 'integer', nullable: true })
  progressReportDayOfMonth: number | null;

  /** 0 means immediately. */
  @Column({ type: 'integer' })
  violationReportBusinessDays: number;

  @Column({ type: 'boolean' })
  feesRequired: boolean;

  /** Fee per session attended, in cents (the standard rate; a bracket may lower it). */
  @Column({ type: 'integer', default: 0 })
  sessionFeeCents: number;

  /** Charged once, at his first session attended. */
  @Column({ type: 'integer', default: 0 })
  intakeFeeCents: number;

  /** The most he can be charged in all; null: no cap (Massachusetts guidelines: fees capped). */
  @Column({ type: 'integer', nullable: true })
  feeTotalCapCents: number | null;

  /** The sliding scale, by income; empty: everyone pays the standard rate. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  feeBrackets: FeeBracket[];

  /** Whether a session left early counts towards the required number. */
  @Column({ type: 'boolean', default: false })
  leftEarlyCounts: boolean;

  /** Unacknowledged notices are escalated after this many business days. */
  @Column({ type: 'integer', default: 3 })
  escalateAfterBusinessDays: number;

  /**
   * The response clock: business days within which probation is expected to record what it did
   * about a violation (then a reminder; after twice as long an escalation). A local choice.
   */
  @Column({ type: 'integer', default: 10 })
  probationResponseBusinessDays: number;

  /** The same for the court (a hearing set or held). A local choice. */
  @Column({ type: 'integer', default: 22 })
  courtResponseBusinessDays: number;

  /** Which recipients hear of which event kind; kinds not listed go to both. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  noticeRecipients: Record<string, Array<'probation_officer' | 'court'>>;

  /**
   * Whether the protected party is told when he completes or is terminated (through an advocate):
   * `unless_declined` (Minnesota 518B.02), `on_request` (Massachusetts guidelines) or `none`.
   */
  @Column({ type: 'varchar', length: 20, default: 'none' })
  victimNotification: VictimNotificationRule;

  /** Which of his steps the rule covers; completion and termination unless the policy says otherwise. */
  @Column({ type: 'text', array: true, default: () => "'{completed,terminated}'" })
  victimNotificationEvents: VictimNotificationEvent[];

  /**
   * The clocks of victim notification: she is to be told of his enrollment within so many business
   * days (Florida 65H-2.016: 3), and of his completion or termination within so many hours
   * (Florida: 24). Null where no statute sets one: the notification then has no due time.
   */
  @Column({ type: 'integer', nullable: true })
  victimNoticeEnrollmentBusinessDays: number | null;

  @Column({ type: 'integer', nullable: true })
  victimNoticeDischargeHours: number | null;

  /** Whether program admins may read protected-party details of referrals under this policy (advocates always may). */
  @Column({ type: 'boolean', default: false })
  protectedPartyAdminAccess: boolean;

  /**
   * Levels an intake assessment chooses from (each its sessions and months); empty for a policy
   * whose length is one fixed figure, which then works exactly as before.
   */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  levels: PolicyLevel[];

  /** The factors its intake assessment weighs (named; each answered yes/no with a short note). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  assessmentFactors: string[];

  /** The newest version is the one offered for new referrals. */
  @Column({ type: 'boolean', default: true })
  isCurrent: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
