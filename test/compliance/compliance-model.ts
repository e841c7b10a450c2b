import fc from 'fast-check';

/**
 * An independent reference model of the compliance rules (README, "Compliance rules"), for the
 * property suites. It shares no code with src/modules/compliance: it keeps its own calendar
 * (days as integers), its own counting, and judges the events a system under test wrote —
 * whether they came from the pure rules or from PostgreSQL — against the history as it now stands.
 */

// ---------------------------------------------------------------- calendar (days since 1970-01-01)

export const dayOf = (iso: string): number => Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000);
export const isoOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
export const plusDays = (iso: string, days: number): string => isoOf(dayOf(iso) + days);

// ---------------------------------------------------------------- the facts

export type Mark = 'present' | 'late' | 'left_early' | 'absent_excused' | 'absent_unexcused' | 'removed';
export const MARKS: readonly Mark[] = ['present', 'late', 'left_early', 'absent_excused', 'absent_unexcused', 'removed'];
export type Status = 'referred' | 'failed_to_enroll' | 'active' | 'non_compliant' | 'completed' | 'terminated' | 'closed';

export interface ModelPolicy {
  requiredSessions: number;
  leftEarlyCounts: boolean;
  maxAbsences: number;
  maxUnexcusedAbsences: number;
  maxConsecutiveAbsences: number;
  noAttendanceDays: number;
}

export interface ModelSession {
  id: string;
  group: 0 | 1;
  date: string;
  state: 'scheduled' | 'held' | 'cancelled';
}

export interface ModelEnrollment {
  group: 0 | 1;
  start: string;
  end: string | null;
}

export interface World {
  policy: ModelPolicy;
  orderedOn: string;
  enrollBy: string;
  completeBy: string;
  today: string;
  sessions: ModelSession[];
  enrollments: ModelEnrollment[];
  /** session id → his mark */
  marks: Map<string, Mark>;
  /** The step of his latest reinstatement (-1: never). */
  reinstatedAtStep: number;
}

/** An event as the system under test recorded it. */
export interface RecordedEvent {
  id: string;
  kind: string;
  key: string;
  correctsId: string | null;
  step: number;
}

const OPEN: readonly Status[] = ['referred', 'failed_to_enroll', 'active', 'non_compliant'];
const ENROLLED: readonly Status[] = ['active', 'non_compliant'];
const WITHDRAWABLE = [
  'absence_limit_exceeded',
  'consecutive_absences',
  'removed_for_behaviour',
  'no_attendance',
  'completion_deadline_missed',
  'failed_to_enroll',
];
const VIOLATIONS = [
  'absence_limit_exceeded',
  'consecutive_absences',
  'removed_for_behaviour',
  'no_attendance',
  'completion_deadline_missed',
];
const CALENDAR = ['no_attendance', 'completion_deadline_missed', 'failed_to_enroll'];

const came = (mark: Mark, policy: ModelPolicy) =>
  mark === 'present' || mark === 'late' || (mark === 'left_early' && policy.leftEarlyCounts);
const missed = (mark: Mark) => mark === 'absent_excused' || mark === 'absent_unexcused' || mark === 'removed';
const missedWithoutExcuse = (mark: Mark) => mark === 'absent_unexcused' || mark === 'removed';

/** His marks, oldest first. */
export function markedHistory(world: World): Array<{ date: string; mark: Mark }> {
  return world.sessions
    .filter((session) => world.marks.has(session.id))
    .map((session) => ({ date: session.date, mark: world.marks.get(session.id)! }))
    .sort((a, b) => dayOf(a.date) - dayOf(b.date));
}

// ---------------------------------------------------------------- plain recounts

export interface Recount {
  attended: number;
  absences: number;
  unexcused: number;
  removals: number;
  currentRun: number;
  longestRun: number;
  lastAttendedOn: string | null;
}

export function recount(history: Array<{ date: string; mark: Mark }>, policy: ModelPolicy): Recount {
  const attendedDates = history.filter((entry) => came(entry.mark, policy)).map((entry) => entry.date);
  let longestRun = 0;
  let currentRun = 0;
  for (let index = 0; index < history.length; index++) {
    // The run ending here: walk back while he was absent.
    let length = 0;
    while (index - length >= 0 && missed(history[index - length].mark)) length++;
    longestRun = Math.max(longestRun, length);
    if (index === history.length - 1) currentRun = length;
  }
  return {
    attended: attendedDates.length,
    absences: history.filter((entry) => missed(entry.mark)).length,
    unexcused: history.filter((entry) => missedWithoutExcuse(entry.mark)).length,
    removals: history.filter((entry) => entry.mark === 'removed').length,
    currentRun,
    longestRun,
    lastAttendedOn: attendedDates.length ? attendedDates[attendedDates.length - 1] : null,
  };
}

/** His groups' sessions while he was in them, up to today, in a given state (as days). */
export function sessionDaysWhileIn(world: World, state: ModelSession['state']): number[] {
  const today = dayOf(world.today);
  const days = new Set<number>();
  for (const enrollment of world.enrollments) {
    const from = dayOf(enrollment.start);
    const to = Math.min(enrollment.end ? dayOf(enrollment.end) : today, today);
    for (const session of world.sessions) {
      const day = dayOf(session.date);
      if (session.group === enrollment.group && session.state === state && day >= from && day <= to) days.add(day);
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** Sessions he was due at (his group's, while he was in it, not cancelled, up to today) with no mark of his. */
export function dueWithoutMark(world: World): number[] {
  const today = dayOf(world.today);
  return world.sessions
    .filter((session) => session.state !== 'cancelled' && !world.marks.has(session.id) && dayOf(session.date) <= today)
    .filter((session) =>
      world.enrollments.some(
        (enrollment) =>
          enrollment.group === session.group &&
          enrollment.start <= session.date &&
          (enrollment.end === null || session.date <= enrollment.end),
      ),
    )
    .map((session) => dayOf(session.date))
    .sort((a, b) => a - b);
}

/** The days after `from` up to `to` on which his group had not cancelled its week. */
export function daysAway(from: number, to: number, cancelled: number[]): number {
  let days = 0;
  for (let day = from + 1; day <= to; day++) if (!cancelled.some((week) => day >= week && day < week + 7)) days++;
  return days;
}

// ---------------------------------------------------------------- what crosses, as the history now stands

interface Period {
  from: number;
  to: number;
  toIncluded: boolean;
}

export interface ModelCrossings {
  /** Crossings that follow from the marks alone: 'total', 'unexcused', 'removed:<date>', 'run:<from>'. */
  marks: Set<string>;
  /** Calendar crossings: 'lapse:<from>', 'enroll', 'complete'. */
  calendar: Set<string>;
  runs: Array<Period & { crosses: boolean }>;
  gaps: Array<Period & { crosses: boolean }>;
}

export function crossingsOf(world: World, status: Status): ModelCrossings {
  const { policy } = world;
  const history = markedHistory(world);
  const counts = recount(history, policy);
  const marks = new Set<string>();
  const calendar = new Set<string>();
  if (counts.absences > policy.maxAbsences) marks.add('total');
  if (counts.unexcused > policy.maxUnexcusedAbsences) marks.add('unexcused');
  for (const entry of history) if (entry.mark === 'removed') marks.add(`removed:${entry.date}`);

  // Runs walk the sessions he was due at, in order: an absence extends the run, anything else ends it.
  const runs: ModelCrossings['runs'] = [];
  const due = [
    ...history.map((entry) => ({ day: dayOf(entry.date), absent: missed(entry.mark) })),
    ...dueWithoutMark(world).map((day) => ({ day, absent: false })),
  ].sort((a, b) => a.day - b.day);
  let current: number[] = [];
  for (const entry of [...due, null]) {
    if (entry && entry.absent) {
      current.push(entry.day);
      continue;
    }
    if (current.length > 0)
      runs.push({
        from: current[0],
        to: current[current.length - 1],
        toIncluded: true,
        crosses: current.length > policy.maxConsecutiveAbsences,
      });
    current = [];
  }
  for (const run of runs) if (run.crosses) marks.add(`run:${isoOf(run.from)}`);

  const today = dayOf(world.today);
  const gaps: ModelCrossings['gaps'] = [];
  const starts = world.enrollments.map((enrollment) => dayOf(enrollment.start)).filter((day) => day <= today);
  if (ENROLLED.includes(status) && starts.length > 0) {
    const first = Math.min(...starts);
    const cancelled = sessionDaysWhileIn(world, 'cancelled');
    const held = sessionDaysWhileIn(world, 'held');
    const cameOn = history.filter((entry) => came(entry.mark, policy) && dayOf(entry.date) >= first).map((entry) => dayOf(entry.date));
    const bounds = [first, ...cameOn];
    bounds.forEach((from, index) => {
      const last = index === bounds.length - 1;
      const to = last ? today : bounds[index + 1];
      const met = !last || held.some((day) => day > from);
      gaps.push({ from, to, toIncluded: last, crosses: met && daysAway(from, to, cancelled) > policy.noAttendanceDays });
    });
    for (const gap of gaps) if (gap.crosses) calendar.add(`lapse:${isoOf(gap.from)}`);
  }
  if (OPEN.includes(status)) {
    if (today > dayOf(world.enrollBy) && !world.enrollments.some((enrollment) => dayOf(enrollment.start) <= dayOf(world.enrollBy)))
      calendar.add('enroll');
    const byDeadline = history.filter((entry) => dayOf(entry.date) <= dayOf(world.completeBy));
    if (today > dayOf(world.completeBy) && recount(byDeadline, policy).attended < policy.requiredSessions) calendar.add('complete');
  }
  return { marks, calendar, runs, gaps };
}

/** Which crossing of the history as it now stands a recorded event speaks of (null: none). */
export function crossingNamedBy(event: RecordedEvent, crossings: ModelCrossings): string | null {
  const [name, rest = ''] = event.key.split('#')[0].split(/:(.*)/);
  const inside = (period: Period, day: number) => day >= period.from && (period.toIncluded ? day <= period.to : day < period.to);
  switch (event.kind) {
    case 'absence_limit_exceeded':
      return name === 'absences' ? 'total' : name === 'unexcused' ? 'unexcused' : null;
    case 'removed_for_behaviour':
      return `removed:${rest}`;
    case 'consecutive_absences': {
      const run = crossings.runs.find((candidate) => inside(candidate, dayOf(rest)));
      return run?.crosses ? `run:${isoOf(run.from)}` : null;
    }
    case 'no_attendance': {
      const gap = crossings.gaps.find((candidate) => inside(candidate, dayOf(rest)));
      return gap?.crosses ? `lapse:${isoOf(gap.from)}` : null;
    }
    case 'failed_to_enroll':
      return 'enroll';
    case 'completion_deadline_missed':
      return 'complete';
    default:
      return null;
  }
}

// ---------------------------------------------------------------- the invariants

export interface Judged {
  problems: string[];
  /** Standing crossings, named by the model: what "the record" tells the court. */
  standing: string[];
}

/**
 * Judges the recorded events and the status after a step. `evaluated`: his rules ran in the
 * step; `calendarSeen`: they ran with the calendar rules (a sweep), so every calendar crossing
 * must stand too.
 */
export function judge(
  world: World,
  events: readonly RecordedEvent[],
  status: Status,
  previous: { status: Status; eventCount: number; step: number },
  step: { evaluated: boolean; calendarSeen: boolean },
): Judged {
  const { calendarSeen } = step;
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const event of events) {
    const key = `${event.kind}|${event.key}`;
    if (keys.has(key)) problems.push(`the crossing key ${key} was written twice`);
    keys.add(key);
  }
  const withdrawnBy = new Map<string, string>();
  for (const event of events.filter((candidate) => candidate.kind === 'corrected')) {
    const target = events.find((candidate) => candidate.id === event.correctsId);
    if (!target) problems.push(`a correction withdraws an event that does not exist`);
    else if (!WITHDRAWABLE.includes(target.kind)) problems.push(`a correction withdraws ${target.kind}, which is not withdrawable`);
    if (event.correctsId && withdrawnBy.has(event.correctsId))
      problems.push(`${String(target?.kind)}|${String(target?.key)} was withdrawn twice`);
    if (event.correctsId) withdrawnBy.set(event.correctsId, event.id);
  }
  const live = events.filter((event) => WITHDRAWABLE.includes(event.kind) && !withdrawnBy.has(event.id));

  if (!OPEN.includes(previous.status)) {
    if (events.length !== previous.eventCount) problems.push(`a ${previous.status} referral got new events`);
    if (status !== previous.status) problems.push(`a ${previous.status} referral became ${status}`);
    return { problems, standing: [] };
  }
  if (!OPEN.includes(status)) return { problems, standing: [] };

  const crossings = crossingsOf(world, status);
  const standing: string[] = [];
  for (const event of live) {
    const crossing = crossingNamedBy(event, crossings);
    if (crossing === null || !(crossings.marks.has(crossing) || crossings.calendar.has(crossing))) {
      // A cancellation or a held week changes no one's record until his rules next run.
      if (!step.evaluated && CALENDAR.includes(event.kind)) continue;
      problems.push(`${event.kind}|${event.key} stands, but the history no longer bears it out`);
      continue;
    }
    if (standing.includes(crossing)) problems.push(`${crossing} stands twice (${event.kind}|${event.key})`);
    standing.push(crossing);
  }
  for (const crossing of crossings.marks)
    if (!standing.includes(crossing)) problems.push(`${crossing} is crossed but no event stands for it`);
  if (calendarSeen)
    for (const crossing of crossings.calendar)
      if (!standing.includes(crossing)) problems.push(`${crossing} is crossed but the sweep left no event standing for it`);
  for (const event of events.slice(previous.eventCount)) {
    if (!calendarSeen && CALENDAR.includes(event.kind)) problems.push(`a request raised the calendar event ${event.kind}|${event.key}`);
    // A withdrawal is true only if the crossing is gone, or an earlier report still stands for it:
    // withdrawing a report and raising the same crossing anew tells the court two contradictory things.
    const target = event.kind === 'corrected' ? events.find((candidate) => candidate.id === event.correctsId) : undefined;
    const crossing = target ? crossingNamedBy(target, crossings) : null;
    if (target && crossing !== null && (crossings.marks.has(crossing) || crossings.calendar.has(crossing))) {
      const earlier = live.some((other) => other.step < previous.step && crossingNamedBy(other, crossings) === crossing);
      if (!earlier) problems.push(`${target.kind}|${target.key} was withdrawn though ${crossing} still stands`);
    }
  }

  if (ENROLLED.includes(status)) {
    const uncovered = live.filter((event) => VIOLATIONS.includes(event.kind) && event.step > world.reinstatedAtStep);
    const expected: Status = uncovered.length > 0 ? 'non_compliant' : 'active';
    if (status !== expected)
      problems.push(
        `status ${status}, expected ${expected} (${uncovered.map((event) => `${event.kind}|${event.key}`).join(', ') || 'nothing uncovered stands'})`,
      );
  }
  if (status === 'referred' && live.some((event) => event.kind === 'failed_to_enroll'))
    problems.push('failed to enroll stands but he is still referred');
  return { problems, standing: standing.sort() };
}

// ---------------------------------------------------------------- generated histories

export interface HistorySetup {
  /** Monday of the first week: histories run across weekends, DST changes and the year's end. */
  firstMonday: string;
  orderedBefore: number;
  startAfter: number;
  enrollWithinDays: number;
  completeWithinDays: number;
  policy: ModelPolicy;
}

export type Step =
  | { type: 'mark'; pick: number; mark: Mark }
  | { type: 'heldWithoutHim'; pick: number }
  | { type: 'cancel'; pick: number }
  | { type: 'advance'; days: number }
  | { type: 'sweep' }
  | { type: 'enroll'; group: 0 | 1; back: number }
  | { type: 'reinstate' }
  | { type: 'end'; how: 'terminated' | 'completed' | 'closed' };

export const FIRST_MONDAYS = ['2026-09-21', '2026-10-19', '2026-12-14', '2027-02-22', '2027-03-01'];

/** Limits as a program may set them (the product refuses more unexcused absences than absences). */
export const policyArbitrary: fc.Arbitrary<ModelPolicy> = fc
  .record({
    requiredSessions: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }) }, fc.integer({ min: 4, max: 10 })),
    leftEarlyCounts: fc.boolean(),
    maxAbsences: fc.integer({ min: 0, max: 5 }),
    maxUnexcusedAbsences: fc.integer({ min: 0, max: 4 }),
    maxConsecutiveAbsences: fc.integer({ min: 1, max: 4 }),
    noAttendanceDays: fc.integer({ min: 7, max: 28 }),
  })
  .map((policy) => ({ ...policy, maxUnexcusedAbsences: Math.min(policy.maxUnexcusedAbsences, policy.maxAbsences) }));

export const setupArbitrary: fc.Arbitrary<HistorySetup> = fc
  .record({
    firstMonday: fc.constantFrom(...FIRST_MONDAYS),
    orderedBefore: fc.integer({ min: 0, max: 10 }),
    startAfter: fc.integer({ min: 0, max: 20 }),
    enrollWithinDays: fc.integer({ min: 5, max: 30 }),
    completeWithinDays: fc.integer({ min: 20, max: 110 }),
    policy: policyArbitrary,
    // Boundaries matter most: complete-by on a session day, enroll-by on a start date.
    onSessionDay: fc.boolean(),
  })
  .map(({ onSessionDay, ...setup }) => {
    if (!onSessionDay) return setup;
    const weeks = Math.max(1, Math.round((setup.completeWithinDays - setup.orderedBefore) / 7));
    return { ...setup, completeWithinDays: setup.orderedBefore + weeks * 7 };
  });

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ type: fc.constant('mark' as const), pick: fc.nat(40), mark: fc.constantFrom(...MARKS) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('heldWithoutHim' as const), pick: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('cancel' as const), pick: fc.nat(40) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 9 }) }) },
  { weight: 3, arbitrary: fc.constant({ type: 'sweep' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('enroll' as const), group: fc.constantFrom(0 as const, 1 as const), back: fc.nat(40) }),
  },
  { weight: 2, arbitrary: fc.constant({ type: 'reinstate' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('end' as const),
      how: fc.constantFrom('terminated' as const, 'completed' as const, 'closed' as const),
    }),
  },
);

export const WEEKS = 16;

/** Two weekly groups (Monday and Thursday), sixteen weeks each, and his order. */
export function newWorld(setup: HistorySetup, sessionIds?: (group: 0 | 1, date: string) => string): World {
  const sessions: ModelSession[] = [];
  for (const group of [0, 1] as const) {
    for (let week = 0; week < WEEKS; week++) {
      const date = plusDays(setup.firstMonday, week * 7 + (group === 0 ? 0 : 3));
      sessions.push({ id: sessionIds ? sessionIds(group, date) : `g${group}-${date}`, group, date, state: 'scheduled' });
    }
  }
  const orderedOn = plusDays(setup.firstMonday, -setup.orderedBefore);
  return {
    policy: setup.policy,
    orderedOn,
    enrollBy: plusDays(orderedOn, setup.enrollWithinDays),
    completeBy: plusDays(orderedOn, setup.completeWithinDays),
    today: plusDays(setup.firstMonday, setup.startAfter),
    sessions,
    enrollments: [],
    marks: new Map(),
    reinstatedAtStep: -1,
  };
}

export const lastDay = (world: World) => world.sessions.reduce((max, session) => (session.date > max ? session.date : max), world.today);

/** The enrollment he was in on a day, if any. */
export const enrollmentOn = (world: World, date: string) =>
  world.enrollments.find((enrollment) => enrollment.start <= date && (enrollment.end === null || enrollment.end >= date));

export type Action =
  | { type: 'mark'; session: ModelSession; mark: Mark }
  | { type: 'heldWithoutHim'; session: ModelSession }
  | { type: 'cancel'; session: ModelSession }
  | { type: 'advance'; today: string }
  | { type: 'sweep' }
  | { type: 'enroll'; group: 0 | 1; start: string; transfer: boolean }
  | { type: 'reinstate' }
  | { type: 'end'; how: 'terminated' | 'completed' | 'closed' }
  | { type: 'none' };

/**
 * What a step does to the facts, given his status as the system under test has it: only what the
 * product allows (marks while enrolled and not in the future, transfers after his last mark …).
 * Mutates the world; the caller performs the same action on the system under test.
 */
export function resolveStep(world: World, step: Step, status: Status, attended: number): Action {
  const open = OPEN.includes(status);
  switch (step.type) {
    case 'mark': {
      const candidates = world.sessions.filter(
        (session) =>
          session.state !== 'cancelled' && session.date <= world.today && enrollmentOn(world, session.date)?.group === session.group,
      );
      if (candidates.length === 0) return { type: 'none' };
      const session = candidates[step.pick % candidates.length];
      if (world.marks.get(session.id) === step.mark) return { type: 'none' };
      world.marks.set(session.id, step.mark);
      session.state = 'held';
      return { type: 'mark', session, mark: step.mark };
    }
    case 'heldWithoutHim': {
      const candidates = world.sessions.filter((session) => session.state === 'scheduled' && session.date <= world.today);
      if (candidates.length === 0) return { type: 'none' };
      const session = candidates[step.pick % candidates.length];
      session.state = 'held';
      return { type: 'heldWithoutHim', session };
    }
    case 'cancel': {
      const candidates = world.sessions.filter((session) => session.state === 'scheduled');
      if (candidates.length === 0) return { type: 'none' };
      const session = candidates[step.pick % candidates.length];
      session.state = 'cancelled';
      return { type: 'cancel', session };
    }
    case 'advance': {
      const next = plusDays(world.today, step.days);
      if (next > lastDay(world)) return { type: 'none' };
      world.today = next;
      return { type: 'advance', today: next };
    }
    case 'sweep':
      return open ? { type: 'sweep' } : { type: 'none' };
    case 'enroll': {
      if (!open) return { type: 'none' };
      let start = plusDays(world.today, -step.back);
      if (start < world.orderedOn) start = world.orderedOn;
      const current = world.enrollments.find((enrollment) => enrollment.end === null);
      if (current) {
        if (current.group === step.group || start <= current.start) return { type: 'none' };
        const markedLater = world.sessions.some(
          (session) => session.group === current.group && world.marks.has(session.id) && session.date >= start,
        );
        if (markedLater) return { type: 'none' };
        current.end = plusDays(start, -1);
      }
      world.enrollments.push({ group: step.group, start, end: null });
      return { type: 'enroll', group: step.group, start, transfer: current !== undefined };
    }
    case 'reinstate':
      return status === 'non_compliant' ? { type: 'reinstate' } : { type: 'none' };
    case 'end': {
      if (!open) return { type: 'none' };
      if (step.how === 'completed' && (status !== 'active' || attended < world.policy.requiredSessions)) return { type: 'none' };
      if (step.how === 'terminated' && !['active', 'non_compliant'].includes(status)) return { type: 'none' };
      for (const enrollment of world.enrollments) if (enrollment.end === null) enrollment.end = world.today;
      return { type: 'end', how: step.how };
    }
  }
}

/** Histories of `minSteps` to `maxSteps` steps, spread evenly (fast-check's default would keep them short). */
export const historyArbitrary = (maxSteps: number, minSteps = 1) =>
  fc.record({ setup: setupArbitrary, steps: fc.array(stepArbitrary, { minLength: minSteps, maxLength: maxSteps, size: 'max' }) });

/** A short, readable account of a history for failure messages. */
export function describeActions(actions: Action[]): string {
  return actions
    .filter((action) => action.type !== 'none')
    .map((action) => {
      switch (action.type) {
        case 'mark':
          return `mark ${action.session.date} ${action.mark}`;
        case 'heldWithoutHim':
          return `held ${action.session.date}`;
        case 'cancel':
          return `cancel ${action.session.date}`;
        case 'advance':
          return `today ${action.today}`;
        case 'enroll':
          return `${action.transfer ? 'transfer' : 'enroll'} g${action.group} from ${action.start}`;
        case 'end':
          return action.how;
        default:
          return action.type;
      }
    })
    .join('; ');
}
