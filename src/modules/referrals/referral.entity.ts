import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Participant } from '../participants/participant.entity';
import { Policy } from '../policies/policy.entity';
import { User } from '../users/user.entity';
import { ReferralStatus } from '../../common/program/referral-status.enum';

/** One court order for one participant. A case number is unique per court. */
@Entity('referrals')
@Index('referrals_court_case_unique', ['courtAgencyId', 'caseNumber'], { unique: true })
@Index('referrals_officer_status_idx', ['probationOfficerId', 'status'])
@Index('referrals_status_idx', ['status'])
@Index('referrals_participant_idx', ['participantId'])
export class Referral {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  participantId: string;

  @ManyToOne(() => Participant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @Column({ type: 'varchar', length: 60 })
  caseNumber: string;

  @Column({ type: 'uuid' })
  courtAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'court_agency_id' })
  courtAgency?: Agency;

  @Column({ type: 'uuid' })
  probationOfficerId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'probation_officer_id' })
  probationOfficer?: User;

  @Column({ type: 'uuid' })
  policyId: string;

  @ManyToOne(() => Policy, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id' })
  policy?: Policy;

  @Column({ type: 'date' })
  orderedOn: string;

  @Column({ type: 'date' })
  enrollBy: string;

  @Column({ type: 'date' })
  completeBy: string;

  /**
   * What this order asks of him: the policy's figures at intake, the assessed level's once one is
   * chosen. Kept on the row so the rules, the caseload and the sweep read them without a join.
   */
  @Column({ type: 'integer' })
  requiredSessions: number;

  @Column({ type: 'integer' })
  completeWithinMonths: number;

  /** The level the latest intake assessment chose (its key in the policy's levels), if any. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  levelKey: string | null;

  @Column({ type: 'enum', enum: ReferralStatus, enumName: 'referral_status', default: ReferralStatus.Referred })
  status: ReferralStatus;

  @Column({ type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;

  /** The program's latest reinstatement: crossings raised before it no longer make him non-compliant. */
  @Column({ type: 'timestamptz', nullable: true })
  reinstatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
