import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { AuditService } from '../audit/audit.service';
import { CreatePolicyDto, PolicyFieldsDto } from './policy-fields.dto';
import { Policy } from './policy.entity';
import { PoliciesRepository } from './policies.repository';
import { policyOf } from './policy-of';
import { FeeSchedule } from './fee-schedule';
import { feeScheduleProblems } from './fee-schedule-problems';
import { weeksWithin } from './policy-level';

/** An at-risk warning is for the officer to act on; every other event goes to the officer and the court. */
export const DEFAULT_NOTICE_RECIPIENTS: Record<string, Array<'probation_officer' | 'court'>> = {
  at_risk: ['probation_officer'],
};

export function policyKeyFrom(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly policies: PoliciesRepository,
  ) {}

  async create(input: CreatePolicyDto, createdById: string | null): Promise<Policy> {
    assertConsistent(input);
    const key = input.key ? policyKeyFrom(input.key) : policyKeyFrom(input.name);
    assertFeesConsistent(feesOf(input, null));
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(Policy, { key })) {
        throw new ConflictError('POLICY_KEY_TAKEN', `A policy with key "${key}" exists; edit it to make a new version`);
      }
      return this.insertVersion(manager, key, 1, input, createdById);
    });
  }

  /** Editing never changes a version in place: it writes the next one and makes it current. */
  async createNextVersion(
    policyId: string,
    input: PolicyFieldsDto,
    createdById: string | null,
    options: { basedOnVersion?: number } = {},
  ): Promise<Policy> {
    assertConsistent(input);
    return this.dataSource.transaction(async (manager) => {
      const base = await manager.findOneBy(Policy, { id: policyId });
      if (!base) throw new NotFoundError('policy');
      // Serialise concurrent edits of one policy so two editors cannot both write version n+1.
      await this.policies.lockKey(manager, base.key);
      const { max } = (await manager
        .createQueryBuilder(Policy, 'policy')
        .select('MAX(policy.version)', 'max')
        .where('policy.key = :key', { key: base.key })
        .getRawOne()) as { max: number | string };
      // A form filled in from version n must not silently undo a version n+1 saved meanwhile.
      if (options.basedOnVersion !== undefined && Number(max) !== options.basedOnVersion) {
        throw new ConflictError(
          'POLICY_VERSION_MOVED',
          `Version ${Number(max)} of this policy was saved after you opened version ${options.basedOnVersion}; review it and start again from it`,
        );
      }
      await manager.update(Policy, { key: base.key }, { isCurrent: false });
      // Fees the form did not send stay as they were (the policy page edits the rules, not the fees);
      // a form that does not speak of levels (the settings page's) keeps the version's levels and factors.
      const fees = feesOf(input, base);
      assertFeesConsistent(fees);
      const carried = {
        // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the form's fields, not its class
        ...input,
        ...fees,
        levels: input.levels ?? base.levels,
        assessmentFactors: input.assessmentFactors ?? base.assessmentFactors,
      };
      return this.insertVersion(manager, base.key, Number(max) + 1, carried, createdById);
    });
  }

  private async insertVersion(
    manager: EntityManager,
    key: string,
    version: number,
    input: PolicyFieldsDto,
    createdById: string | null,
  ): Promise<Policy> {
    const policy = await manager.save(
      manager.create(Policy, {
        key,
        version,
        name: input.name,
        source: input.source ?? null,
        requiredSessions: input.requiredSessions,
        sessionMinutes: input.sessionMinutes,
        enrollWithinDays: input.enrollWithinDays,
        completeWithinMonths: input.completeWithinMonths,
        maxAbsences: input.maxAbsences,
        maxUnexcusedAbsences: input.maxUnexcusedAbsences,
        maxConsecutiveAbsences: input.maxConsecutiveAbsences,
        noAttendanceDays: input.noAttendanceDays,
        progressReportEveryDays: input.progressReportEveryDays,
        progressReportDayOfMonth: input.progressReportDayOfMonth ?? null,
        violationReportBusinessDays: input.violationReportBusinessDays,
        feesRequired: input.feesRequired,
        leftEarlyCounts: input.leftEarlyCounts ?? false,
        ...feesOf(input, null),
        escalateAfterBusinessDays: input.escalateAfterBusinessDays ?? 3,
        probationResponseBusinessDays: input.probationResponseBusinessDays ?? 10,
        courtResponseBusinessDays: input.courtResponseBusinessDays ?? 22,
        victimNotification: input.victimNotification ?? 'none',
        victimNotificationEvents: input.victimNotificationEvents ?? ['completed', 'terminated'],
        victimNoticeEnrollmentBusinessDays: input.victimNoticeEnrollmentBusinessDays ?? null,
        victimNoticeDischargeHours: input.victimNoticeDischargeHours ?? null,
        protectedPartyAdminAccess: input.protectedPartyAdminAccess ?? false,
        levels: (input.levels ?? []).map(({ key, name, requiredSessions, completeWithinMonths }) => ({
          key,
          name,
          requiredSessions,
          completeWithinMonths,
        })),
        assessmentFactors: (input.assessmentFactors ?? []).map((factor) => factor.trim()),
        noticeRecipients: DEFAULT_NOTICE_RECIPIENTS,
        isCurrent: true,
        createdById,
      }),
    );
    await this.audit.record(
      {
        action: version === 1 ? 'policy.create' : 'policy.new_version',
        recordType: 'policy',
        recordId: policy.id,
        details: { key, version },
      },
      manager,
    );
    return policy;
  }

  async list(limit: number, offset: number, options: { key?: string; includeHistory?: boolean }): Promise<Page<Policy>> {
    const query = this.dataSource.getRepository(Policy).createQueryBuilder('policy');
    if (options.key) query.andWhere('policy.key = :key', { key: options.key });
    if (!options.includeHistory && !options.key) query.andWhere('policy.isCurrent = true');
    const [items, total] = await query
      .orderBy('policy.name', 'ASC')
      .addOrderBy('policy.version', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  /** Every version of one policy, newest first. */
  async versions(key: string): Promise<Policy[]> {
    return this.dataSource.getRepository(Policy).find({ where: { key }, order: { version: 'DESC' }, take: 200 });
  }

  /** How many referrals were ordered under each version (they keep its rules). */
  async referralCounts(policyIds: string[]): Promise<Record<string, number>> {
    if (!policyIds.length) return {};
    const rows = await this.policies.referralCounts(policyIds);
    return Object.fromEntries(rows.map((row) => [row.policy_id, row.count]));
  }

  async get(id: string): Promise<Policy> {
    const policy = await policyOf(this.dataSource, id);
    if (!policy) throw new NotFoundError('policy');
    return policy;
  }
}

/** The fee schedule a version gets: what the input says, else the base version's, else none. */
function feesOf(
  input: PolicyFieldsDto,
  base: Policy | null,
): Pick<Policy, 'sessionFeeCents' | 'intakeFeeCents' | 'feeTotalCapCents' | 'feeBrackets'> {
  return {
    sessionFeeCents: input.sessionFeeCents ?? base?.sessionFeeCents ?? 0,
    intakeFeeCents: input.intakeFeeCents ?? base?.intakeFeeCents ?? 0,
    feeTotalCapCents: input.feeTotalCapCents !== undefined ? input.feeTotalCapCents : (base?.feeTotalCapCents ?? null),
    feeBrackets: (input.feeBrackets ?? base?.feeBrackets ?? []).map((bracket) => ({ ...bracket })),
  };
}

function assertFeesConsistent(fees: ReturnType<typeof feesOf>): void {
  const schedule: FeeSchedule = {
    sessionFeeCents: fees.sessionFeeCents,
    intakeFeeCents: fees.intakeFeeCents,
    totalCapCents: fees.feeTotalCapCents,
    brackets: fees.feeBrackets,
  };
  const fields = feeScheduleProblems(schedule);
  if (Object.keys(fields).length) throw new UnprocessableError('POLICY_INCONSISTENT', Object.values(fields).flat().join('; '), { fields });
}

function assertConsistent(input: PolicyFieldsDto): void {
  const fields: Record<string, string[]> = {};
  if (input.maxUnexcusedAbsences > input.maxAbsences) {
    fields.maxUnexcusedAbsences = ['maxUnexcusedAbsences cannot exceed maxAbsences'];
  }
  const weeksAvailable = weeksWithin(input.completeWithinMonths);
  if (input.requiredSessions > weeksAvailable) {
    fields.requiredSessions = [
      `requiredSessions (${input.requiredSessions}) cannot be finished at one a week within ${input.completeWithinMonths} months`,
    ];
  }
  // Each level is held to the same test as the policy's own figures.
  (input.levels ?? []).forEach((level, index) => {
    if (level.requiredSessions > weeksWithin(level.completeWithinMonths)) {
      fields[`levels.${index}.requiredSessions`] = [
        `level ${level.key}: ${level.requiredSessions} sessions cannot be finished at one a week within ${level.completeWithinMonths} months`,
      ];
    }
  });
  if (Object.keys(fields).length) {
    throw new UnprocessableError('POLICY_INCONSISTENT', Object.values(fields).flat().join('; '), { fields });
  }
}
