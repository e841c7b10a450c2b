import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ProgramClock } from '../../config/program-clock';
import { usDate } from '../../common/dates';
import { AuditService } from '../audit/audit.service';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { ComplianceService } from '../compliance/compliance.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { Policy } from '../policies/policy.entity';
import { termsFor } from '../policies/policy-level';
import { raiseProgramDecision } from '../referrals/program-decision-events';
import { AccessService } from '../access/access.service';
import { isOpen } from '../../common/program/referral-status.enum';
import { Referral } from '../referrals/referral.entity';
import { assessmentProblems, storedAnswers } from './assessment-rules';
import { AssessmentRow, AssessmentSummary, AssessmentView, toAssessmentView } from './assessment.view';
import { RecordAssessmentDto } from './record-assessment.dto';
import { ReferralAssessment } from './referral-assessment.entity';

const ASSESSMENT_SELECT = `
  SELECT a.id, a.level_key, a.level_name, a.required_sessions, a.complete_within_months, a.factors, a.reason,
         a.assessed_by, a.assessed_on::text AS assessed_on, a.supersedes_id, u.name AS recorded_by_name, a.recorded_at,
         EXISTS (SELECT 1 FROM referral_assessments later WHERE later.supersedes_id = a.id) AS superseded
    FROM referral_assessments a LEFT JOIN users u ON u.id = a.recorded_by_id`;

/**
 * Intake assessments: the program assesses him, chooses a level from his policy version, and the
 * order's required sessions and complete-by follow the level. Each assessment is a new row that
 * supersedes the last; a change of level is a program decision told to probation and the court.
 */
@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
    private readonly outbox: OutboxTransaction,
    private readonly compliance: ComplianceService,
  ) {}

  async record(user: SignedInUser, referralId: string, input: RecordAssessmentDto): Promise<AssessmentView> {
    const id = await this.outbox.run(async (manager) => {
      // The referral's row lock orders two assessments of one man: each supersedes the one before.
      const referral = await this.access.requireRecord(user, 'referral.write', Referral, referralId, { manager, lock: true });
      if (!isOpen(referral.status)) {
        throw new UnprocessableError('REFERRAL_ENDED', `The order is ${referral.status}; its level can no longer change`, {
          fields: { levelKey: [`the order is ${referral.status}`] },
        });
      }
      const policy = await manager.findOneByOrFail(Policy, { id: referral.policyId });
      const fields = assessmentProblems(input, policy, referral.orderedOn, this.clock.today());
      if (Object.keys(fields).length) {
        throw new UnprocessableError('ASSESSMENT_INVALID', Object.values(fields).flat().join('; '), { fields });
      }
      const level = policy.levels.find((candidate) => candidate.key === input.levelKey);
      if (!level) throw new Error(`level ${input.levelKey} passed the check above but is not in the policy`);
      const [previous] = await manager.query<[AssessmentRow?]>(
        `${ASSESSMENT_SELECT} WHERE a.referral_id = $1 AND NOT EXISTS (SELECT 1 FROM referral_assessments later WHERE later.supersedes_id = a.id)
          ORDER BY a.recorded_at DESC LIMIT 1`,
        [referral.id],
      );
      const assessment = await manager.save(
        manager.create(ReferralAssessment, {
          referralId: referral.id,
          policyId: policy.id,
          levelKey: level.key,
          levelName: level.name,
          requiredSessions: level.requiredSessions,
          completeWithinMonths: level.completeWithinMonths,
          factors: storedAnswers(input, policy.assessmentFactors),
          reason: input.reason,
          assessedBy: input.assessedBy,
          assessedOn: input.assessedOn,
          supersedesId: previous?.id ?? null,
          recordedById: user.id,
        }),
      );
      const terms = termsFor(referral.orderedOn, level);
      await manager.update(
        Referral,
        { id: referral.id },
        {
          levelKey: level.key,
          requiredSessions: terms.requiredSessions,
          completeWithinMonths: terms.completeWithinMonths,
          completeBy: terms.completeBy,
        },
      );
      await this.audit.record(
        {
          action: 'referral.assessment',
          recordType: 'referral',
          recordId: referral.id,
          details: {
            assessmentId: assessment.id,
            levelKey: level.key,
            fromLevelKey: previous?.level_key ?? null,
            completeBy: terms.completeBy,
            requiredSessions: terms.requiredSessions,
          },
        },
        manager,
      );
      // The first assessment sets the level the order runs at; a later one that moves him is news
      // for the court and probation (other sessions, another complete-by).
      if (previous && previous.level_key !== level.key) {
        await raiseProgramDecision(manager, this.audit, this.clock.timeZone, {
          referralId: referral.id,
          kind: ComplianceEventKind.LevelChanged,
          key: `level_changed:${assessment.id}`,
          occurredOn: this.clock.today(),
          facts: {
            fromLevel: previous.level_name,
            toLevel: level.name,
            sessionsRequired: terms.requiredSessions,
            // Not `completeBy`: the letter lists the order's complete-by already; this is the one the level set.
            levelCompleteBy: terms.completeBy,
            assessedOn: input.assessedOn,
            reason: input.reason,
            clause: 'program level changed by a new intake assessment',
          },
        });
      }
      // A new complete-by or number of sessions may raise or withdraw what the rules said before.
      await this.compliance.evaluate(manager, [referral.id]);
      return assessment.id;
    });
    const [row] = await this.dataSource.query<AssessmentRow[]>(`${ASSESSMENT_SELECT} WHERE a.id = $1`, [id]);
    return toAssessmentView(row, user.role) as AssessmentView;
  }

  /** Newest first; the program sees everything, probation and the court the level, date and reason. */
  async history(user: SignedInUser, referralId: string): Promise<Array<AssessmentSummary | AssessmentView>> {
    await this.access.requireAccess(user, 'referral.read', [referralId]);
    const rows = await this.dataSource.query<AssessmentRow[]>(
      `${ASSESSMENT_SELECT} WHERE a.referral_id = $1 ORDER BY a.recorded_at DESC, a.id LIMIT 200`,
      [referralId],
    );
    await this.audit.record({
      action: 'referral.assessments.read',
      recordType: 'referral',
      recordId: referralId,
      details: { returned: rows.length },
    });
    return rows.map((row) => toAssessmentView(row, user.role));
  }

  /** The current level's one line for a page: "Level 3, assessed 12/01/2026: reason". */
  static summaryLine(summary: AssessmentSummary): string {
    return `${summary.levelName}, assessed ${usDate(summary.assessedOn)}: ${summary.reason}`;
  }
}
