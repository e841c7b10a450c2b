import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { addDays, isoWeekday, nextWeekday, usDate } from '../../common/dates';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { ProgramDecisionWriter } from '../referrals/program-decision-writer';
import { isOpen, ReferralStatus } from '../../common/program/referral-status.enum';
import { Enrollment } from './enrollment.entity';
import { CreateEnrollmentDto } from './create-enrollment.dto';
import { enrollmentWarnings, EnrollmentWarning } from './enrollment-warnings';
import { Participant } from '../participants/participant.entity';
import { EnrollmentsRepository, PlacementGroup } from './enrollments.repository';

const MAX_DAYS_AHEAD = 90;

export interface EnrollmentResult {
  enrollment: Enrollment;
  /** The enrollment this one replaced, when it was a transfer. */
  transferredFrom: Enrollment | null;
  referralStatus: ReferralStatus;
  /** What the admin should know about this placement (his language and the group's); never a refusal. */
  warnings: EnrollmentWarning[];
}

export interface EnrollOptions {
  /**
   * The start date must be a day the group meets (its weekday, or a make-up session it holds then).
   * The intake page asks it: there the date is "his first session". API clients recording history
   * (a transfer dated by the court's order) may start an enrollment on any day.
   */
  firstSessionOnMeetingDay?: boolean;
  /**
   * The enrollment page asks the admin to confirm a placement that warns (his language is not the
   * group's): the whole enrollment is tried and rolled back, so the warning is shown only when it
   * would otherwise succeed, and nothing is written until he confirms.
   */
  holdForWarnings?: boolean;
}

/** The enrollment would succeed but warns; nothing was written. */
export class EnrollmentHeld extends Error {
  constructor(readonly warnings: EnrollmentWarning[]) {
    super('enrollment held for the admin to confirm its warnings');
  }
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Refuses a first session on a day the group does not meet, naming the day it does. */
async function assertMeetsOn(
  enrollments: EnrollmentsRepository,
  manager: EntityManager,
  group: PlacementGroup,
  startDate: string,
): Promise<void> {
  if (isoWeekday(startDate) === group.weekday) return;
  if (await enrollments.meetsOn(manager, group.id, startDate)) return;
  const meets = WEEKDAY_NAMES[group.weekday - 1];
  const first = nextWeekday(startDate, group.weekday);
  throw new UnprocessableError(
    'NOT_A_MEETING_DAY',
    `${group.name} meets on ${meets}s, not on ${WEEKDAY_NAMES[isoWeekday(startDate) - 1]} ${startDate}`,
    {
      fields: { startDate: [`${group.name} meets on ${meets}s: his first session could be ${meets} ${usDate(first)}`] },
    },
  );
}

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly decisions: ProgramDecisionWriter,
    private readonly enrollments: EnrollmentsRepository,
  ) {}

  /**
   * Places a referral in a group. If he is in another group, this is a transfer: the old
   * enrollment ends the day before and stays in his history. Capacity is checked under a lock.
   */
  async enroll(user: SignedInUser, input: CreateEnrollmentDto, options: EnrollOptions = {}): Promise<EnrollmentResult> {
    return this.decisions.decide(user, input.referralId, async (manager, referral) => {
      if (!isOpen(referral.status)) {
        throw new UnprocessableError('REFERRAL_NOT_OPEN', `A referral that is ${referral.status} cannot be enrolled`);
      }
      const group = await this.enrollments.lockGroup(manager, input.groupId);
      if (!group) throw new NotFoundError('group');
      this.assertStartDate(input.startDate, referral.orderedOn, group);
      if (options.firstSessionOnMeetingDay) await assertMeetsOn(this.enrollments, manager, group, input.startDate);

      const current = await manager.findOneBy(Enrollment, { referralId: referral.id, endDate: IsNull() });
      if (current?.groupId === group.id) {
        throw new ConflictError('ALREADY_ENROLLED', 'He is already enrolled in this group');
      }
      const enrolled = await manager.countBy(Enrollment, { groupId: group.id, endDate: IsNull() });
      if (enrolled >= group.capacity) {
        throw new ConflictError('GROUP_FULL', `${group.name} is full (${enrolled} of ${group.capacity})`, {
          capacity: group.capacity,
          enrolled,
        });
      }
      if (current) await this.endForTransfer(manager, current, input.startDate, group);

      const enrollment = await manager.save(
        manager.create(Enrollment, { referralId: referral.id, groupId: group.id, startDate: input.startDate }),
      );
      await this.decisions.audit.record(
        {
          action: current ? 'enrollment.transfer' : 'enrollment.create',
          recordType: 'enrollment',
          recordId: enrollment.id,
          details: { referralId: referral.id, groupId: group.id, startDate: input.startDate, from: current?.id ?? null },
        },
        manager,
      );
      if (referral.status === ReferralStatus.Referred || referral.status === ReferralStatus.FailedToEnroll) {
        // His first enrollment makes him active, and is a step a protected party may have to hear of.
        await this.decisions.steps.move(manager, referral, ReferralStatus.Active, `enrolled in ${group.name}`);
      }
      await this.decisions.compliance.evaluate(manager, [referral.id]);
      // The court and probation hear that he is placed (or moved) the day it is done.
      const fromGroup = current ? await this.enrollments.groupName(manager, current.groupId) : null;
      await this.decisions.announce(manager, {
        referralId: referral.id,
        kind: current ? ComplianceEventKind.Transferred : ComplianceEventKind.Enrolled,
        key: `${current ? 'transferred' : 'enrolled'}:${enrollment.id}`,
        facts: {
          groupName: group.name,
          startDate: input.startDate,
          ...(fromGroup ? { fromGroup } : {}),
          clause: current ? 'transferred to another group' : 'enrolled in a group',
        },
      });
      const participant = await manager.findOneByOrFail(Participant, { id: referral.participantId });
      const warnings = enrollmentWarnings(participant, group);
      // Thrown inside the transaction: everything above is rolled back.
      if (warnings.length && options.holdForWarnings) throw new EnrollmentHeld(warnings);
      return { enrollment, transferredFrom: current ?? null, referralStatus: referral.status, warnings };
    });
  }

  private assertStartDate(startDate: string, orderedOn: string, group: PlacementGroup): void {
    if (!group.active) throw new UnprocessableError('GROUP_INACTIVE', `${group.name} no longer meets`);
    if (startDate < orderedOn) {
      throw new UnprocessableError('START_BEFORE_ORDER', 'startDate cannot be before the court order', {
        fields: { startDate: [`startDate cannot be before the order date ${orderedOn}`] },
      });
    }
    if (startDate > addDays(this.decisions.clock.today(), MAX_DAYS_AHEAD)) {
      throw new UnprocessableError('START_TOO_FAR', `startDate can be at most ${MAX_DAYS_AHEAD} days ahead`, {
        fields: { startDate: [`startDate can be at most ${MAX_DAYS_AHEAD} days ahead`] },
      });
    }
  }

  private async endForTransfer(manager: EntityManager, current: Enrollment, startDate: string, group: PlacementGroup): Promise<void> {
    const endDate = addDays(startDate, -1);
    if (endDate < current.startDate) {
      throw new UnprocessableError('TRANSFER_BEFORE_START', `He only joined his current group on ${current.startDate}`, {
        fields: { startDate: [`startDate must be after ${current.startDate}, when he joined his current group`] },
      });
    }
    const later = await this.enrollments.marksOnOrAfter(manager, current.id, startDate);
    if (later > 0) {
      throw new UnprocessableError('MARKS_AFTER_TRANSFER', `He has ${later} mark(s) in his current group on or after ${startDate}`, {
        fields: { startDate: ['startDate is before attendance already recorded in his current group'] },
      });
    }
    await manager.update(Enrollment, { id: current.id }, { endDate, endReason: `transferred to ${group.name}` });
    current.endDate = endDate;
    current.endReason = `transferred to ${group.name}`;
  }
}
