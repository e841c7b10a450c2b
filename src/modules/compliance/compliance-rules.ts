import { addDays, daysBetween } from '../../common/dates';
import { AttendanceStatus } from '../attendance/attendance-status.enum';
import { ReferralStatus } from '../referrals/referral-status.enum';
import { AttendanceCounts, countAttendance, CountingPolicy, isAbsence, isUnexcusedAbsence, MarkFact } from './attendance-counts';
import { ComplianceEventKind as Kind, CORRECTABLE_KINDS, VIOLATION_KINDS } from './compliance-event-kind.enum';
import { AbsenceLimits } from './limit-warnings';

/** The policy numbers the rules read (one version of a policy). */
export interface RulePolicy extends CountingPolicy, AbsenceLimits {
  noAttendanceDays: number;
  progressReportEveryDays: number;
  progressReportDayOfMonth: number | null;
}

export interface ReferralFacts {
  status: ReferralStatus;
  orderedOn: string;
  enrollBy: string;
  completeBy: string;
  /** Start of the enrollment he is in now, if any. */
  currentEnrollmentStart: string | null;
  /** The latest held session of his current group up to today (cancelled ones never count). */
  lastHeldSessionOn: string | null;
  everEnrolled: boolean;
}

export interface ExistingEvent {
  id: string;
  kind: Kind;
  thresholdKey: string;
  /** Already withdrawn by a `corrected` follow-up. */
  corrected: boolean;
}

export interface EventDraft {
  kind: Kind;
  thresholdKey: string;
  occurredOn: string;
  facts: Record<string, unknown>;
  correctsEventId?: string;
}

export interface Evaluation {
  counts: AttendanceCounts;
  events: EventDraft[];
  /** The status the referral should now have (may equal the current one). */
  status: ReferralStatus;
  statusReason: string | null;
}

const ACTIVE_STATES = [ReferralStatus.Active, ReferralStatus.NonCompliant];
const OPEN_STATES = [ReferralStatus.Referred, ReferralStatus.FailedToEnroll, ReferralStatus.Active, ReferralStatus.NonCompliant];

/**
 * Crossings that follow from the marks alone. A limit is crossed when a count goes past the
 * policy's maximum; the key names the crossing so it is raised once, whatever re-evaluates it.
 */
export function attendanceCrossings(marks: readonly MarkFact[], policy: RulePolicy): EventDraft[] {
  const crossings: EventDraft[] = [];
  let absences = 0;
  let unexcused = 0;
  let runStart: string | null = null;
  let runLength = 0;
  for (const mark of marks) {
    if (isAbsence(mark.status)) {
      absences += 1;
      if (absences === policy.maxAbsences + 1) {
        crossings.push({
          kind: Kind.AbsenceLimitExceeded,
          thresholdKey: `absences:${absences}`,
          occurredOn: mark.date,
          facts: { absences, limit: policy.maxAbsences, clause: 'maximum absences (excused + unexcused)' },
        });
      }
      if (isUnexcusedAbsence(mark.status)) {
        unexcused += 1;
        if (unexcused === policy.maxUnexcusedAbsences + 1) {
          crossings.push({
            kind: Kind.AbsenceLimitExceeded,
            thresholdKey: `unexcused:${unexcused}`,
            occurredOn: mark.date,
            facts: { unexcusedAbsences: unexcused, limit: policy.maxUnexcusedAbsences, clause: 'maximum unexcused absences' },
          });
        }
      }
      runStart ??= mark.date;
      runLength += 1;
      if (runLength === policy.maxConsecutiveAbsences + 1) {
        crossings.push({
          kind: Kind.ConsecutiveAbsences,
          thresholdKey: `streak:${runStart}`,
          occurredOn: mark.date,
          facts: { consecutiveAbsences: runLength, since: runStart, limit: policy.maxConsecutiveAbsences, clause: 'maximum consecutive absences' },
        });
      }
    } else {
      runStart = null;
      runLength = 0;
    }
    if (mark.status === AttendanceStatus.Removed) {
      crossings.push({
        kind: Kind.RemovedForBehaviour,
        thresholdKey: `removed:${mark.date}`,
        occurredOn: mark.date,
        facts: { sessionDate: mark.date, clause: 'removed from the session for behaviour' },
      });
    }
  }
  return crossings;
}

/** Rules that depend on the calendar: the daily sweep applies the same ones in set-based SQL. */
export function calendarCrossings(referral: ReferralFacts, counts: AttendanceCounts, policy: RulePolicy, today: string): EventDraft[] {
  const crossings: EventDraft[] = [];
  if (referral.status === ReferralStatus.Referred && !referral.everEnrolled && today > referral.enrollBy) {
    crossings.push({
      kind: Kind.FailedToEnroll,
      thresholdKey: `enroll_by:${referral.enrollBy}`,
      occurredOn: today,
      facts: { enrollBy: referral.enrollBy, clause: 'enroll within the policy’s days of the order' },
    });
  }
  if (OPEN_STATES.includes(referral.status) && today > referral.completeBy) {
    crossings.push({
      kind: Kind.CompletionDeadlineMissed,
      thresholdKey: `complete_by:${referral.completeBy}`,
      occurredOn: today,
      facts: { completeBy: referral.completeBy, sessionsAttended: counts.sessionsAttended, sessionsRequired: counts.sessionsRequired, clause: 'complete within the policy’s months of the order' },
    });
  }
  if (!ACTIVE_STATES.includes(referral.status)) return crossings;

  // Days without him count only if his group met meanwhile: weeks it cancelled count against nobody.
  const since = counts.lastAttendedOn ?? referral.currentEnrollmentStart;
  const groupMetSince = referral.lastHeldSessionOn !== null && since !== null && referral.lastHeldSessionOn > since;
  if (referral.currentEnrollmentStart && since && since <= today && groupMetSince && daysBetween(since, today) > policy.noAttendanceDays) {
    crossings.push({
      kind: Kind.NoAttendance,
      thresholdKey: `since:${since}`,
      occurredOn: today,
      facts: { lastAttendedOn: counts.lastAttendedOn, since, days: daysBetween(since, today), limit: policy.noAttendanceDays, clause: 'no attendance for the policy’s days while active' },
    });
  }
  const remaining = counts.sessionsRequired - counts.sessionsAttended;
  const daysLeft = daysBetween(today, referral.completeBy);
  if (remaining > 0 && daysLeft >= 0 && remaining > Math.floor(daysLeft / 7) + 1) {
    crossings.push({
      kind: Kind.AtRisk,
      thresholdKey: 'at_risk',
      occurredOn: today,
      facts: { sessionsRemaining: remaining, weeksLeft: Math.floor(daysLeft / 7) + 1, completeBy: referral.completeBy, clause: 'required sessions at one a week before complete-by' },
    });
  }
  const report = progressReportKey(referral.orderedOn, policy, today);
  if (report) {
    crossings.push({
      kind: Kind.ProgressReportDue,
      thresholdKey: report.key,
      occurredOn: today,
      facts: { dueOn: report.dueOn, sessionsAttended: counts.sessionsAttended, sessionsRequired: counts.sessionsRequired, absences: counts.absences, clause: 'periodic progress report' },
    });
  }
  return crossings;
}

/** The progress report currently due, if one is: monthly by a day of month, or every N days since the order. */
export function progressReportKey(orderedOn: string, policy: Pick<RulePolicy, 'progressReportEveryDays' | 'progressReportDayOfMonth'>, today: string): { key: string; dueOn: string } | null {
  if (policy.progressReportDayOfMonth) {
    const month = today.slice(0, 7);
    if (month <= orderedOn.slice(0, 7)) return null;
    return { key: `month:${month}`, dueOn: `${month}-${String(policy.progressReportDayOfMonth).padStart(2, '0')}` };
  }
  const period = Math.floor(daysBetween(orderedOn, today) / policy.progressReportEveryDays);
  if (period < 1) return null;
  return { key: `period:${period}`, dueOn: addDays(orderedOn, period * policy.progressReportEveryDays) };
}

/**
 * Everything due for one referral: new crossings, `corrected` follow-ups for crossings a
 * correction undid, and the status the referral should have. Pure: facts in, decisions out.
 */
export function evaluateReferral(input: {
  referral: ReferralFacts;
  policy: RulePolicy;
  marks: readonly MarkFact[];
  existing: readonly ExistingEvent[];
  today: string;
  /** Calendar rules are the daily sweep's; a request evaluates what its change can cause. */
  includeCalendar?: boolean;
}): Evaluation {
  const { referral, policy, marks, existing, today } = input;
  const counts = countAttendance(marks, policy);
  const open = OPEN_STATES.includes(referral.status);
  const attendance = open ? attendanceCrossings(marks, policy) : [];
  const calendar = open && input.includeCalendar === true ? calendarCrossings(referral, counts, policy, today) : [];
  const standingKeys = new Set(attendance.map((draft) => `${draft.kind}|${draft.thresholdKey}`));

  const corrections: EventDraft[] = existing
    .filter((event) => CORRECTABLE_KINDS.includes(event.kind) && !event.corrected && !standingKeys.has(`${event.kind}|${event.thresholdKey}`))
    .map((event) => ({
      kind: Kind.Corrected,
      thresholdKey: `corrects:${event.id}`,
      occurredOn: today,
      correctsEventId: event.id,
      facts: { corrects: event.kind, thresholdKey: event.thresholdKey, reason: 'attendance corrected; the limit is no longer crossed' },
    }));

  const existingKeys = new Set(existing.map((event) => `${event.kind}|${event.thresholdKey}`));
  const events = [...attendance, ...calendar, ...corrections].filter((draft) => !existingKeys.has(`${draft.kind}|${draft.thresholdKey}`));

  return { counts, events, ...nextStatus(referral, events, [...attendance, ...calendar], existing) };
}

/**
 * A new violation makes an active man non-compliant. Crossings already on record do not, so a
 * man the program reinstated stays active until he crosses something new. A correction that
 * leaves nothing standing (and nothing lasting on record) makes him active again.
 */
function nextStatus(
  referral: ReferralFacts,
  events: EventDraft[],
  standing: EventDraft[],
  existing: readonly ExistingEvent[],
): { status: ReferralStatus; statusReason: string | null } {
  if (referral.status === ReferralStatus.Referred && events.some((draft) => draft.kind === Kind.FailedToEnroll)) {
    return { status: ReferralStatus.FailedToEnroll, statusReason: `not enrolled by ${referral.enrollBy}` };
  }
  const newViolation = events.find((draft) => VIOLATION_KINDS.includes(draft.kind));
  if (referral.status === ReferralStatus.Active && newViolation) {
    return { status: ReferralStatus.NonCompliant, statusReason: describe(newViolation) };
  }
  const corrected = events.some((draft) => draft.kind === Kind.Corrected);
  const stillStanding = standing.some((draft) => VIOLATION_KINDS.includes(draft.kind));
  if (referral.status === ReferralStatus.NonCompliant && corrected && !stillStanding) {
    const lasting = existing.some((event) => VIOLATION_KINDS.includes(event.kind) && !CORRECTABLE_KINDS.includes(event.kind));
    if (!lasting) return { status: ReferralStatus.Active, statusReason: 'attendance corrected; no limit crossed' };
  }
  return { status: referral.status, statusReason: null };
}

export function describe(draft: EventDraft): string {
  const facts = draft.facts;
  switch (draft.kind) {
    case Kind.AbsenceLimitExceeded:
      return facts.unexcusedAbsences !== undefined
        ? `${facts.unexcusedAbsences} unexcused absences (limit ${facts.limit})`
        : `${facts.absences} absences (limit ${facts.limit})`;
    case Kind.ConsecutiveAbsences:
      return `${facts.consecutiveAbsences} absences in a row since ${facts.since} (limit ${facts.limit})`;
    case Kind.RemovedForBehaviour:
      return `removed from the session of ${facts.sessionDate} for behaviour`;
    case Kind.NoAttendance:
      return `no attendance for ${facts.days} days (limit ${facts.limit})`;
    case Kind.CompletionDeadlineMissed:
      return `not complete by ${facts.completeBy}`;
    case Kind.FailedToEnroll:
      return `not enrolled by ${facts.enrollBy}`;
    default:
      return draft.kind.replace(/_/g, ' ');
  }
}
