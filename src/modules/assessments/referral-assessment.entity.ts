import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { ReferralRecord } from '../../common/database/referral-record.entity';

/** One factor of the policy's list as the assessor answered it. */
export interface AssessmentFactorAnswer {
  factor: string;
  /** Yes / no, or null where only a note says it. */
  present: boolean | null;
  note: string | null;
}

/**
 * An intake assessment of a referral: the factors, who assessed and when, the level chosen and
 * why. Append-only (a trigger refuses UPDATE, DELETE, TRUNCATE): a new assessment supersedes the
 * last one, and the history stays as it was told to the court.
 */
@Entity('referral_assessments')
@Index('referral_assessments_referral_idx', ['referralId', 'recordedAt'])
@Index('referral_assessments_supersedes_unique', ['supersedesId'], { unique: true, where: '"supersedes_id" IS NOT NULL' })
export class ReferralAssessment extends ReferralRecord {
  /** The policy version whose levels and factors it was made against. */
  @Column({ type: 'uuid' })
  policyId: string;

  @Column({ type: 'varchar', length: 20 })
  levelKey: string;

  @Column({ type: 'varchar', length: 100 })
  levelName: string;

  /** The level's figures as they stood, so the history reads the same after the policy changes. */
  @Column({ type: 'integer' })
  requiredSessions: number;

  @Column({ type: 'integer' })
  completeWithinMonths: number;

  @Column({ type: 'jsonb' })
  factors: AssessmentFactorAnswer[];

  @Column({ type: 'text' })
  reason: string;

  /** Who assessed him (the qualified staff member, by name: often not the one who types it in). */
  @Column({ type: 'varchar', length: 200 })
  assessedBy: string;

  @Column({ type: 'date' })
  assessedOn: string;

  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @Column({ type: 'uuid' })
  recordedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
