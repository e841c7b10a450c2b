import { addDays, daysBetween } from '../../common/dates';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import {
  AttendanceCounts,
  countAttendance,
  CountingPolicy,
  countsAsAttended,
  isAbsence,
  isUnexcusedAbsence,
  MarkFact,
} from './attendance-counts';
import { ComplianceEventKind as Kind, CORRECTABLE_KINDS, VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { AbsenceLimits } from './limit-warnings';

/** The policy numbers the rules read (one version of a policy). */
export interface RulePolicy extends CountingPolicy, AbsenceLimits {
  noAttendanceDays: number;
  progressReportEveryDays: number;
  progressReportDayOfMonth: number | null;
}

export interface EnrollmentFact {
  startDate: string;
  endDate: string | null;
}

export interface ReferralFacts {
  status: ReferralStatus;
  orderedOn: string;
  enrollBy: string;
  completeBy: string;
  /** Every enrollment as recorded (transfers included), whenever it was typed in. */
  enrollments: readonly EnrollmentFact[];
  /** Regular sessions of the groups he was in, while he was in them, up to today, that were cancelled. */
  cancelledSessionDates: readonly string[];
  /** The latest session of the groups he was in, while he was in them, held up to today. */
  lastHeldSessionOn: string | null;
  /** Regular sessions he was due at up to today (not cancelled) that have no mark for him yet. */
  unmarkedSessionDates: readonly string[];
}

export interface ExistingEvent {
  id: string;
  kind: Kind;
  thresholdKey: string;
  /** Already withdrawn by a `corrected` follow-up. */
  corrected: boolean;
  /** Raised before his latest reinstatement: the program let him continue despite it. */
  reinstated: boolean;
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

/**
 * A crossing of the history as it now stands. Runs of absences and lapses in attendance are
 * periods: an event raised for one still stands for it when the period grows at either end.
 */
interface Crossing extends EventDraft {
  period?: { from: string; to: string; toIncluded: boolean };
}

const ACTIVE_STATES = [ReferralStatus.Active, ReferralStatus.NonCompliant];
const OPEN_STATES = [ReferralStatus.Referred, ReferralStatus.FailedToEnroll, ReferralStatus.Active, ReferralStatus.NonCompliant];

/**
 * Crossings that follow from the marks alone. A limit is crossed when a count goes past the
 * policy's maximum; the key names the crossing so it is raised once, whatever re-evaluates it.
 */
export function attendanceCrossings(
  marks: readonly MarkFact[],
  policy: RulePolicy,
  unmarkedSessionDates: readonly string[] = [],
): EventDraft[] {
  return markCrossings(marks, policy, unmarkedSessionDates).map(({ period: _period, ...draft }) => draft);
}

/**
 * A run of absences is of consecutive sessions he was due at: a cancelled week is not one, and a
 * session not yet marked for him breaks the run (he is not known to have missed it).
 */
function markCrossings(marks: readonly MarkFact[], policy: RulePolicy, unmarkedSessionDates: readonly string[]): Crossing[] {
  const crossings: Crossing[] = [];
  let absences = 0;
  let unexcused = 0;
  let run: MarkFact[] = [];
  const endRun = () => {
    if (run.length > policy.maxConsecutiveAbsences) {
      const since = run[0].date;
      crossings.push({
        kind: Kind.ConsecutiveAbsences,
        thresholdKey: `streak:${since}`,
        occurredOn: run[policy.maxConsecutiveAbsences].date,
        facts: { consecutiveAbsences: run.length, since, limit: policy.maxConsecutiveAbsences, clause: 'maximum consecutive absences' },
        period: { from: since, to: run[run.length - 1].date, toIncluded: true },
      });
    }
    run = [];
  };
  const unmarked = [...unmarkedSessionDates].sort();
  let nextUnmarked = 0;
  for (const mark of marks) {
    while (nextUnmarked < unmarked.length && unmarked[nextUnmarked] < mark.date) {
      endRun();
      nextUnmarked += 1;
    }
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
      run.push(mark);
    } else {
      endRun();
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
  endRun();
  return crossings;
}

/**
 * Days without attendance while his group met: the days after `from` up to `to`, less the seven
 * days from each cancelled session (the week it did not meet). Only grows as `to` moves on.
 */
export function daysWithoutAttendance(from: string, to: string, cancelledSessionDates: readonly string[]): number {
  const total = daysBetween(from, to);
  if (total <= 0) return 0;
  // Days 1..total after `from`; each cancelled session takes out its day and the six after it.
  const weeks = cancelledSessionDates
    .map((cancelled) => daysBetween(from, cancelled))
    .map((first) => [Math.max(first, 1), Math.min(first + 6, total)])
    .filter(([first, last]) => first <= last)
    .sort((a, b) => a[0] - b[0]);
  let notMet = 0;
  let coveredThrough = 0;
  for (const [first, last] of weeks) {
    const start = Math.max(first, coveredThrough + 1);
    if (last >= start) notMet += last - start + 1;
    coveredThrough = Math.max(coveredThrough, last);
  }
  return total - notMet;
}

/**
 * Every stretch without attendance that went past the policy's days: from his first enrollment's
 * start (or an attendance) to the next attendance, or to today.
 */
function lapses(referral: ReferralFacts, marks: readonly MarkFact[], policy: RulePolicy, today: string): Crossing[] {
  const starts = referral.enrollments
    .map((enrollment) => enrollment.startDate)
    .filter((date) => date <= today)
    .sort();
  if (starts.length === 0) return [];
  const attended = marks.filter((mark) => countsAsAttended(mark.status, policy) && mark.date >= starts[0]).map((mark) => mark.date);
  const bounds = [starts[0], ...attended];
  const crossings: Crossing[] = [];
  bounds.forEach((since, index) => {
    const open = index === bounds.length - 1;
    const until = open ? today : bounds[index + 1];
    const days = daysWithoutAttendance(since, until, referral.cancelledSessionDates);
    if (days <= policy.noAttendanceDays) return;
    // A stretch still open counts once his group has met since (a stretch that ended, ended at a session).
    if (open && !(referral.lastHeldSessionOn !== null && referral.lastHeldSessionOn > since)) return;
    crossings.push({
      kind: Kind.NoAttendance,
      thresholdKey: `since:${since}`,
      occurredOn: today,
      facts: {
        lastAttendedOn: index === 0 ? null : since,
        since,
        ...(open ? {} : { until }),
        days,
        limit: policy.noAttendanceDays,
        clause: 'no attendance for the policy’s days while active',
      },
      period: { from: since, to: until, toIncluded: open },
    });
  });
  return crossings;
}

/** Violations that depend on the calendar: the daily sweep raises them; any evaluation may withdraw them. */
function calendarViolations(referral: ReferralFacts, marks: readonly MarkFact[], policy: RulePolicy, today: string): Crossing[] {
  const crossings: Crossing[] = [];
  // Judged by when he started, not by whether an enrollment was typed in by the sweep.
  const startedInTime = referral.enrollments.some((enrollment) => enrollment.startDate <= referral.enrollBy);
  if (today > referral.enrollBy && !startedInTime) {
    crossings.push({
      kind: Kind.FailedToEnroll,
      thresholdKey: `enroll_by:${referral.enrollBy}`,
      occurredOn: today,
      facts: { enrollBy: referral.enrollBy, clause: 'enroll within the policy’s days of the order' },
    });
  }
  // Judged by the sessions he attended by complete-by, not by whether completion was recorded.
  const attendedInTime = countAttendance(
    marks.filter((mark) => mark.date <= referral.completeBy),
    policy,
  ).sessionsAttended;
  if (today > referral.completeBy && attendedInTime < policy.requiredSessions) {
    crossings.push({
      kind: Kind.CompletionDeadlineMissed,
      thresholdKey: `complete_by:${referral.completeBy}`,
      occurredOn: today,
      facts: {
        completeBy: referral.completeBy,
        sessionsAttended: attendedInTime,
        sessionsRequired: policy.requiredSessions,
        clause: 'complete within the policy’s months of the order',
      },
    });
  }
  if (ACTIVE_STATES.includes(referral.status)) crossings.push(...lapses(referral, marks, policy, today));
  return crossings;
}

/** Reports and warnings as of a day: raised once per key, never withdrawn. */
function calendarReports(referral: ReferralFacts, counts: AttendanceCounts, policy: RulePolicy, today: string): EventDraft[] {
  if (!ACTIVE_STATES.includes(referral.status)) return [];
  const reports: EventDraft[] = [];
  const remaining = counts.sessionsRequired - counts.sessionsAttended;
  const daysLeft = daysBetween(today, referral.completeBy);
  if (remaining > 0 && daysLeft >= 0 && remaining > Math.floor(daysLeft / 7) + 1) {
    reports.push({
      kind: Kind.AtRisk,
      thresholdKey: 'at_risk',
      occurredOn: today,
      facts: {
        sessionsRemaining: remaining,
        weeksLeft: Math.floor(daysLeft / 7) + 1,
        completeBy: referral.completeBy,
        clause: 'required sessions at one a week before complete-by',
      },
    });
  }
  const report = progressReportKey(referral.orderedOn, policy, today);
  if (report) {
    reports.push({
      kind: Kind.ProgressReportDue,
      thresholdKey: report.key,
      occurredOn: today,
      facts: {
        dueOn: report.dueOn,
        sessionsAttended: counts.sessionsAttended,
        sessionsRequired: counts.sessionsRequired,
        absences: counts.absences,
        clause: 'periodic progress report',
      },
    });
  }
  return reports;
}

/** The progress report currently due, if one is: monthly by a day of month, or every N days since the order. */
export function progressReportKey(
  orderedOn: string,
  policy: Pick<RulePolicy, 'progressReportEveryDays' | 'progressReportDayOfMonth'>,
  today: string,
): { key: string; dueOn: string } | null {
  if (policy.progressReportDayOfMonth) {
    const month = today.slice(0, 7);
    if (month <= orderedOn.slice(0, 7)) return null;
    return { key: `month:${month}`, dueOn: `${month}-${String(policy.progressReportDayOfMonth).padStart(2, '0')}` };
  }
  const period = Math.floor(daysBetween(orderedOn, today) / policy.progressReportEveryDays);
  if (period < 1) return null;
  return { key: `period:${period}`, dueOn: addDays(orderedOn, period * policy.progressReportEveryDays) };
}

/** "streak:2026-10-19#2" → "streak:2026-10-19": the crossing, whichever time it was raised. */
function baseKey(thresholdKey: string): string {
  const mark = thresholdKey.indexOf('#');
  return mark < 0 ? thresholdKey : thresholdKey.slice(0, mark);
}

/** The date a period event was raised for ("streak:2026-10-19" → "2026-10-19"). */
function periodDate(thresholdKey: string): string {
  const key = baseKey(thresholdKey);
  return key.slice(key.indexOf(':') + 1);
}

function inPeriod(date: string, period: NonNullable<Crossing['period']>): boolean {
  return date >= period.from && (period.toIncluded ? date <= period.to : date < period.to);
}

/**
 * Everything due for one referral: new crossings, `corrected` follow-ups for events the history
 * as it now stands no longer bears out, and the status the referral should have. A completed,
 * terminated or closed referral is not re-judged: what the court was told at the end stands.
 * Pure: facts in, decisions out.
 */
export function evaluateReferral(input: {
  referral: ReferralFacts;
  policy: RulePolicy;
  marks: readonly MarkFact[];
  existing: readonly ExistingEvent[];
  today: string;
  /** The sweep raises calendar crossings; a request raises only what marks cross (and may withdraw any). */
  includeCalendar?: boolean;
}): Evaluation {
  const { referral, policy, marks, existing, today } = input;
  const counts = countAttendance(marks, policy);
  if (!OPEN_STATES.includes(referral.status)) return { counts, events: [], status: referral.status, statusReason: null };
  const calendar = input.includeCalendar === true;

  const crossings: Array<Crossing & { raise: boolean }> = [
    ...markCrossings(marks, policy, referral.unmarkedSessionDates).map((crossing) => ({ ...crossing, raise: true })),
    ...calendarViolations(referral, marks, policy, today).map((crossing) => ({ ...crossing, raise: calendar })),
  ];
  const live = existing.filter((event) => CORRECTABLE_KINDS.includes(event.kind) && !event.corrected);
  const kept = new Map<string, ExistingEvent>(); // event id → event, for events the history still bears out
  const merged = new Set<string>();
  const raised: EventDraft[] = [];
  const standing: Array<{ draft: EventDraft; reinstated: boolean }> = [];

  for (const crossing of crossings) {
    const { period, raise, ...draft } = crossing;
    const base = baseKey(draft.thresholdKey);
    const matches = live
      .filter(
        (event) =>
          event.kind === draft.kind && (period ? inPeriod(periodDate(event.thresholdKey), period) : baseKey(event.thresholdKey) === base),
      )
      .sort((a, b) =>
        periodDate(a.thresholdKey) < periodDate(b.thresholdKey)
          ? -1
          : periodDate(a.thresholdKey) > periodDate(b.thresholdKey)
            ? 1
            : a.thresholdKey < b.thresholdKey
              ? -1
              : 1,
      );
    if (matches.length > 0) {
      // Two reported runs joined by a correction are one run: the earlier report stands for it.
      const [first, ...rest] = matches;
      kept.set(first.id, first);
      rest.forEach((event) => merged.add(event.id));
      standing.push({ draft: { ...draft, thresholdKey: first.thresholdKey }, reinstated: first.reinstated });
      continue;
    }
    if (!raise) continue;
    // Withdrawn and now crossed again: a new event, under a key of its own.
    const times = existing.filter((event) => event.kind === draft.kind && baseKey(event.thresholdKey) === base).length;
    const fresh = { ...draft, thresholdKey: times === 0 ? base : `${base}#${times + 1}` };
    raised.push(fresh);
    standing.push({ draft: fresh, reinstated: false });
  }

  const corrections: EventDraft[] = live
    .filter((event) => !kept.has(event.id))
    .map((event) => ({
      kind: Kind.Corrected,
      thresholdKey: `corrects:${event.id}`,
      occurredOn: today,
      correctsEventId: event.id,
      facts: {
        corrects: event.kind,
        thresholdKey: event.thresholdKey,
        reason: merged.has(event.id)
          ? 'the absences it reported are part of a run already reported'
          : 'the record as it now stands no longer shows it',
      },
    }));

  const onRecord = new Set(existing.map((event) => `${event.kind}|${event.thresholdKey}`));
  const reports = calendar
    ? calendarReports(referral, counts, policy, today).filter((draft) => !onRecord.has(`${draft.kind}|${draft.thresholdKey}`))
    : [];
  const events = [...raised, ...reports, ...corrections];
  return { counts, events, ...nextStatus(referral, raised, standing) };
}

/**
 * Non-compliant exactly while a violation stands that no reinstatement covers: a man the program
 * reinstated stays active until he crosses something new, and is active again once what made
 * him non-compliant is withdrawn.
 */
function nextStatus(
  referral: ReferralFacts,
  raised: EventDraft[],
  standing: Array<{ draft: EventDraft; reinstated: boolean }>,
): { status: ReferralStatus; statusReason: string | null } {
  if (referral.status === ReferralStatus.Referred && standing.some(({ draft }) => draft.kind === Kind.FailedToEnroll)) {
    return { status: ReferralStatus.FailedToEnroll, statusReason: `not enrolled by ${referral.enrollBy}` };
  }
  if (!ACTIVE_STATES.includes(referral.status)) return { status: referral.status, statusReason: null };
  const uncovered = standing
    .filter(({ draft, reinstated }) => VIOLATION_KINDS.includes(draft.kind) && !reinstated)
    .map(({ draft }) => draft);
  if (uncovered.length > 0) {
    if (referral.status === ReferralStatus.NonCompliant) return { status: referral.status, statusReason: null };
    const reason = raised.find((draft) => VIOLATION_KINDS.includes(draft.kind)) ?? uncovered[0];
    return { status: ReferralStatus.NonCompliant, statusReason: describe(reason) };
  }
  if (referral.status === ReferralStatus.NonCompliant)
    return { status: ReferralStatus.Active, statusReason: 'attendance corrected; no limit crossed' };
  return { status: referral.status, statusReason: null };
}

/* eslint-disable @typescript-eslint/restrict-template-expressions, @typescript-eslint/no-base-to-string -- an event's facts are the JSON its rule wrote: counts, dates and names */
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
/* eslint-enable @typescript-eslint/restrict-template-expressions, @typescript-eslint/no-base-to-string */
