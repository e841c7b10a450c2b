import { AttendanceStatus as S } from '../../common/program/attendance-status.enum';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { MarkFact } from './attendance-counts';
import { ComplianceEventKind as Kind } from '../../common/program/compliance-event-kind.enum';
import { attendanceCrossings, evaluateReferral, ExistingEvent, progressReportKey, ReferralFacts, RulePolicy } from './compliance-rules';

const duluth: RulePolicy = {
  requiredSessions: 24,
  leftEarlyCounts: false,
  maxAbsences: 3,
  maxUnexcusedAbsences: 2,
  maxConsecutiveAbsences: 2,
  noAttendanceDays: 14,
  progressReportEveryDays: 30,
  progressReportDayOfMonth: null,
};

const active: ReferralFacts = {
  status: ReferralStatus.Active,
  orderedOn: '2026-10-01',
  enrollBy: '2026-10-15',
  completeBy: '2027-07-01',
  enrollments: [{ startDate: '2026-10-06', endDate: null }],
  cancelledSessionDates: [],
  lastHeldSessionOn: '2026-11-24',
  unmarkedSessionDates: [],
};

/** Weekly Tuesday marks starting 6 Oct 2026. */
function weekly(...statuses: S[]): MarkFact[] {
  return statuses.map((status, index) => {
    const date = new Date(Date.UTC(2026, 9, 6 + index * 7));
    return { date: date.toISOString().slice(0, 10), status };
  });
}

const keys = (drafts: Array<{ kind: Kind; thresholdKey: string }>) => drafts.map((draft) => `${draft.kind}|${draft.thresholdKey}`);

describe('attendance crossings', () => {
  it('raises nothing while every count is within its limit', () => {
    expect(attendanceCrossings(weekly(S.Present, S.AbsentUnexcused, S.Present, S.AbsentExcused, S.Present), duluth)).toEqual([]);
  });

  it('raises the unexcused limit on the third unexcused absence, dated that session', () => {
    const crossings = attendanceCrossings(weekly(S.AbsentUnexcused, S.Present, S.AbsentUnexcused, S.Present, S.AbsentUnexcused), duluth);
    expect(crossings).toEqual([
      expect.objectContaining({ kind: Kind.AbsenceLimitExceeded, thresholdKey: 'unexcused:3', occurredOn: '2026-11-03' }),
    ]);
  });

  it('raises the total-absence limit on the fourth absence of any kind', () => {
    const crossings = attendanceCrossings(
      weekly(S.AbsentExcused, S.Present, S.AbsentExcused, S.Present, S.AbsentExcused, S.Present, S.AbsentExcused),
      duluth,
    );
    expect(keys(crossings)).toEqual(['absence_limit_exceeded|absences:4']);
  });

  it('raises one event per run of absences that goes past the consecutive limit', () => {
    const crossings = attendanceCrossings(weekly(S.AbsentExcused, S.AbsentExcused, S.AbsentExcused, S.AbsentExcused, S.Present), {
      ...duluth,
      maxAbsences: 10,
      maxUnexcusedAbsences: 10,
    });
    expect(keys(crossings)).toEqual(['consecutive_absences|streak:2026-10-06']);
    expect(crossings[0].occurredOn).toBe('2026-10-20');
  });

  it('raises a removal for every session he was sent out of', () => {
    const crossings = attendanceCrossings(weekly(S.Removed, S.Present), { ...duluth, maxUnexcusedAbsences: 5 });
    expect(keys(crossings)).toEqual(['removed_for_behaviour|removed:2026-10-06']);
  });
});

/** Drafts as the events they became, numbered e0, e1, … */
const onRecord = (drafts: Array<{ kind: Kind; thresholdKey: string }>, { reinstated }: { reinstated: boolean }): ExistingEvent[] =>
  drafts.map((draft, index) => ({ id: `e${index}`, kind: draft.kind, thresholdKey: draft.thresholdKey, corrected: false, reinstated }));

describe('evaluateReferral', () => {
  const evaluate = (marks: MarkFact[], existing: ExistingEvent[] = [], referral = active, today = '2026-11-25') =>
    evaluateReferral({ referral, policy: duluth, marks, existing, today, includeCalendar: true });

  it('makes an active man non-compliant when he crosses a limit', () => {
    const result = evaluate(weekly(S.Present, S.AbsentUnexcused, S.AbsentUnexcused, S.AbsentUnexcused), [], active, '2026-10-27');
    expect(result.status).toBe(ReferralStatus.NonCompliant);
    expect(result.statusReason).toBe('3 unexcused absences (limit 2)');
    expect(keys(result.events)).toEqual([
      'absence_limit_exceeded|unexcused:3',
      'consecutive_absences|streak:2026-10-13',
      'no_attendance|since:2026-10-06',
    ]);
  });

  it('does not raise again what is already on record', () => {
    const marks = weekly(S.Present, S.AbsentUnexcused, S.AbsentUnexcused, S.AbsentUnexcused);
    const existing = onRecord(evaluate(marks, [], active, '2026-10-27').events, { reinstated: false });
    expect(evaluate(marks, existing, { ...active, status: ReferralStatus.NonCompliant }, '2026-10-27').events).toEqual([]);
  });

  it('records a correction when a corrected mark undoes a crossing, and restores the status', () => {
    const existing: ExistingEvent[] = [
      { id: 'e1', kind: Kind.AbsenceLimitExceeded, thresholdKey: 'unexcused:3', corrected: false, reinstated: false },
    ];
    const corrected = weekly(S.Present, S.AbsentUnexcused, S.AbsentExcused, S.Present);
    // The request that saves the corrected mark (the sweep would also see the three weeks he did not come).
    const result = evaluateReferral({
      referral: { ...active, status: ReferralStatus.NonCompliant },
      policy: duluth,
      marks: corrected,
      existing,
      today: '2026-10-27',
    });
    expect(result.events).toEqual([expect.objectContaining({ kind: Kind.Corrected, thresholdKey: 'corrects:e1', correctsEventId: 'e1' })]);
    expect(result.status).toBe(ReferralStatus.Active);
  });

  it('keeps a man non-compliant while another violation (no attendance) still stands', () => {
    const existing: ExistingEvent[] = [
      { id: 'e1', kind: Kind.NoAttendance, thresholdKey: 'since:2026-10-06', corrected: false, reinstated: false },
      { id: 'e2', kind: Kind.RemovedForBehaviour, thresholdKey: 'removed:2026-10-13', corrected: false, reinstated: false },
    ];
    const result = evaluate(weekly(S.Present), existing, { ...active, status: ReferralStatus.NonCompliant }, '2026-10-27');
    expect(result.events.map((draft) => draft.thresholdKey)).toEqual(['corrects:e2']);
    expect(result.status).toBe(ReferralStatus.NonCompliant);
  });

  it('withdraws a no-attendance event once the attendance entered late shows he came', () => {
    const existing: ExistingEvent[] = [
      { id: 'e1', kind: Kind.NoAttendance, thresholdKey: 'since:2026-10-06', corrected: false, reinstated: false },
    ];
    const result = evaluate(
      weekly(S.Present, S.Present, S.Present, S.Present),
      existing,
      { ...active, status: ReferralStatus.NonCompliant },
      '2026-10-28',
    );
    expect(result.events.map((draft) => draft.thresholdKey)).toEqual(['corrects:e1']);
    expect(result.status).toBe(ReferralStatus.Active);
  });

  it('leaves a reinstated man active on his next mark, until he crosses something new', () => {
    const marks = weekly(S.Present, S.AbsentUnexcused, S.AbsentUnexcused, S.AbsentUnexcused);
    const existing = onRecord(evaluate(marks, [], active, '2026-10-27').events, { reinstated: true });
    const onMark = (extra: MarkFact) =>
      evaluateReferral({ referral: active, policy: duluth, marks: [...marks, extra], existing, today: '2026-11-03' });
    expect(onMark({ date: '2026-11-03', status: S.Present })).toMatchObject({ events: [], status: ReferralStatus.Active });
    const again = onMark({ date: '2026-11-03', status: S.AbsentExcused });
    expect(again.events.map((draft) => draft.thresholdKey)).toEqual(['absences:4']);
    expect(again.status).toBe(ReferralStatus.NonCompliant);
  });

  it('marks a referred man who missed his enroll-by date as failed to enroll', () => {
    const referred: ReferralFacts = { ...active, status: ReferralStatus.Referred, enrollments: [] };
    const result = evaluate([], [], referred, '2026-10-16');
    expect(keys(result.events)).toEqual(['failed_to_enroll|enroll_by:2026-10-15']);
    expect(result.status).toBe(ReferralStatus.FailedToEnroll);
    expect(evaluate([], [], referred, '2026-10-15').events).toEqual([]);
  });

  it('raises no attendance after more than N days without coming', () => {
    const marks = weekly(S.Present);
    expect(keys(evaluate(marks, [], active, '2026-10-20').events)).not.toContain('no_attendance|since:2026-10-06');
    expect(keys(evaluate(marks, [], active, '2026-10-21').events)).toContain('no_attendance|since:2026-10-06');
  });

  it('does not count weeks his group cancelled as days without attendance', () => {
    const marks = weekly(S.Present);
    const cancelledSince: ReferralFacts = {
      ...active,
      cancelledSessionDates: ['2026-10-13', '2026-10-20'],
      lastHeldSessionOn: '2026-10-27',
    };
    expect(evaluate(marks, [], cancelledSince, '2026-10-27').events.map((draft) => draft.kind)).not.toContain(Kind.NoAttendance);
    const notMetSince: ReferralFacts = { ...active, lastHeldSessionOn: '2026-10-06' };
    expect(evaluate(marks, [], notMetSince, '2026-10-27').events.map((draft) => draft.kind)).not.toContain(Kind.NoAttendance);
    const heldWithoutHim: ReferralFacts = { ...active, lastHeldSessionOn: '2026-10-20' };
    expect(evaluate(marks, [], heldWithoutHim, '2026-10-27').events.map((draft) => draft.kind)).toContain(Kind.NoAttendance);
  });

  it('warns before the deadline when the remaining sessions no longer fit at one a week', () => {
    const late: ReferralFacts = { ...active, completeBy: '2026-11-24' };
    const result = evaluate(weekly(S.Present, S.Present), [], late, '2026-10-20');
    const atRisk = result.events.find((draft) => draft.kind === Kind.AtRisk);
    expect(atRisk?.facts).toMatchObject({ sessionsRemaining: 22, weeksLeft: 6 });
    expect(result.status).toBe(ReferralStatus.Active);
  });

  it('raises a missed completion deadline once the date has passed', () => {
    const result = evaluate(weekly(S.Present), [], { ...active, completeBy: '2026-11-24' }, '2026-11-25');
    expect(keys(result.events)).toContain('completion_deadline_missed|complete_by:2026-11-24');
    expect(result.status).toBe(ReferralStatus.NonCompliant);
  });

  it('evaluates nothing for a closed referral', () => {
    const result = evaluate(weekly(S.AbsentUnexcused, S.AbsentUnexcused, S.AbsentUnexcused), [], {
      ...active,
      status: ReferralStatus.Closed,
    });
    expect(result.events).toEqual([]);
    expect(result.status).toBe(ReferralStatus.Closed);
  });
});

describe('progress reports', () => {
  it('falls due every N days after the order, one key per period', () => {
    expect(progressReportKey('2026-10-01', duluth, '2026-10-30')).toBeNull();
    expect(progressReportKey('2026-10-01', duluth, '2026-10-31')).toEqual({ key: 'period:1', dueOn: '2026-10-31' });
    expect(progressReportKey('2026-10-01', duluth, '2026-12-15')).toEqual({ key: 'period:2', dueOn: '2026-11-30' });
  });

  it('falls due monthly by the policy’s day when it has one (Texas: the 10th)', () => {
    const texas = { progressReportEveryDays: 30, progressReportDayOfMonth: 10 };
    expect(progressReportKey('2026-10-20', texas, '2026-10-31')).toBeNull();
    expect(progressReportKey('2026-10-20', texas, '2026-11-01')).toEqual({ key: 'month:2026-11', dueOn: '2026-11-10' });
  });
});

describe('evaluation inside a request', () => {
  it('leaves calendar rules to the sweep, so back-entered attendance raises no stale lapse', () => {
    const marks = weekly(S.Present);
    const result = evaluateReferral({ referral: active, policy: duluth, marks, existing: [], today: '2026-11-25' });
    expect(result.events).toEqual([]);
    expect(result.status).toBe(ReferralStatus.Active);
  });
});

describe('the decisions the spec left open (README, Compliance rules)', () => {
  const ev = (id: string, kind: Kind, thresholdKey: string, extra: Partial<ExistingEvent> = {}): ExistingEvent => ({
    id,
    kind,
    thresholdKey,
    corrected: false,
    reinstated: false,
    ...extra,
  });
  const lenient = { ...duluth, maxAbsences: 20, maxUnexcusedAbsences: 20 };
  const run = (marks: MarkFact[], existing: ExistingEvent[], status = ReferralStatus.NonCompliant) =>
    evaluateReferral({ referral: { ...active, status }, policy: lenient, marks, existing, today: '2026-12-30' });

  it('re-judges nothing once the referral is terminated, whatever is marked', () => {
    const result = evaluateReferral({
      referral: { ...active, status: ReferralStatus.Terminated },
      policy: duluth,
      marks: weekly(S.Present),
      existing: [ev('e1', Kind.RemovedForBehaviour, 'removed:2026-10-13')],
      today: '2026-11-25',
      includeCalendar: true,
    });
    expect(result).toMatchObject({ events: [], status: ReferralStatus.Terminated });
  });

  it('raises a limit crossed again after a correction under a key of its own', () => {
    const existing = [ev('e1', Kind.AbsenceLimitExceeded, 'absences:4', { corrected: true })];
    const marks = weekly(S.AbsentExcused, S.Present, S.AbsentExcused, S.Present, S.AbsentExcused, S.Present, S.AbsentExcused);
    const result = evaluateReferral({ referral: active, policy: duluth, marks, existing, today: '2026-11-25' });
    expect(keys(result.events)).toEqual(['absence_limit_exceeded|absences:4#2']);
    expect(result.status).toBe(ReferralStatus.NonCompliant);
  });

  it('keeps the earlier report when a correction joins two reported runs into one', () => {
    const existing = [ev('e1', Kind.ConsecutiveAbsences, 'streak:2026-10-06'), ev('e2', Kind.ConsecutiveAbsences, 'streak:2026-11-03')];
    const marks = weekly(S.AbsentExcused, S.AbsentExcused, S.AbsentExcused, S.AbsentExcused, S.AbsentExcused, S.AbsentExcused);
    const result = run(marks, existing);
    expect(result.events).toEqual([
      expect.objectContaining({
        thresholdKey: 'corrects:e2',
        facts: expect.objectContaining({ reason: 'the absences it reported are part of a run already reported' }),
      }),
    ]);
    expect(result.status).toBe(ReferralStatus.NonCompliant);
  });

  it('counts a man who finished on the complete-by date as finished in time', () => {
    const policy = { ...duluth, requiredSessions: 2 };
    const referral = { ...active, completeBy: '2026-10-13' };
    const inTime = evaluateReferral({
      referral,
      policy,
      marks: weekly(S.Present, S.Present),
      existing: [],
      today: '2026-10-14',
      includeCalendar: true,
    });
    expect(keys(inTime.events).filter((key) => key.startsWith('completion'))).toEqual([]);
    const late = evaluateReferral({
      referral,
      policy,
      marks: weekly(S.Present, S.AbsentExcused, S.Present),
      existing: [],
      today: '2026-10-21',
      includeCalendar: true,
    });
    expect(keys(late.events)).toContain('completion_deadline_missed|complete_by:2026-10-13');
  });

  it('judges enroll-by by the start date: a late start is reported, an in-time one withdraws the report', () => {
    const late = evaluateReferral({
      referral: { ...active, enrollments: [{ startDate: '2026-10-20', endDate: null }] },
      policy: duluth,
      marks: [],
      existing: [],
      today: '2026-10-21',
      includeCalendar: true,
    });
    expect(keys(late.events)).toContain('failed_to_enroll|enroll_by:2026-10-15');
    expect(late.status).toBe(ReferralStatus.Active);
    const inTime = evaluateReferral({
      referral: active,
      policy: duluth,
      marks: [],
      existing: [ev('e1', Kind.FailedToEnroll, 'enroll_by:2026-10-15')],
      today: '2026-10-16',
    });
    expect(keys(inTime.events)).toEqual(['corrected|corrects:e1']);
  });

  it('keeps a reinstated man active when a correction withdraws the only crossing since', () => {
    const existing = [
      ev('e1', Kind.AbsenceLimitExceeded, 'unexcused:3', { reinstated: true }),
      ev('e2', Kind.RemovedForBehaviour, 'removed:2026-11-03'),
    ];
    const marks = weekly(S.AbsentUnexcused, S.Present, S.AbsentUnexcused, S.Present, S.AbsentUnexcused, S.Present);
    const result = evaluateReferral({
      referral: { ...active, status: ReferralStatus.NonCompliant },
      policy: duluth,
      marks,
      existing,
      today: '2026-11-25',
    });
    expect(keys(result.events)).toEqual(['corrected|corrects:e2']);
    expect(result.status).toBe(ReferralStatus.Active);
  });
});
