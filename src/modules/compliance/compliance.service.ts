import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { addEventNotices } from '../notices/notice-writer';
import { AuditedWrite } from '../audit/audited-write';
import { MarkFact } from './attendance-counts';
import { ReferralStatusService } from './referral-status.service';
import { addVictimNotifications } from '../protected-parties/raise-victim-notifications';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { EventDraft, evaluateReferral, ExistingEvent, ReferralFacts } from './compliance-rules';
import { loadMarkFacts, markHistory, parseMarkFacts } from './mark-facts.repository';
import { RulePolicyRow, toRulePolicy } from './rule-policy.row';
import { Statement } from '../../common/database/statement-pipeline';

interface FactsRow extends RulePolicyRow {
  id: string;
  status: ReferralStatus;
  ordered_on: string;
  enroll_by: string;
  complete_by: string;
  enrollments: Array<{ startDate: string; endDate: string | null }>;
  cancelled_session_dates: string[];
  last_held_session_on: string | null;
  unmarked_session_dates: string[];
}

/** What the rules judge a referral by ($1: the referral ids, $2: today). */
const FACTS_SELECT = `r.id, r.status, r.ordered_on::text AS ordered_on, r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by,
              COALESCE((SELECT json_agg(json_build_object('startDate', e.start_date::text, 'endDate', e.end_date::text) ORDER BY e.start_date)
                          FROM enrollments e WHERE e.referral_id = r.id), '[]'::json) AS enrollments,
              -- The weeks his groups did not meet, the last time they did, and the weeks not yet marked for
              -- him, while he was in them (one pass over his groups' sessions: the window join below).
              COALESCE(w.cancelled, '{}') AS cancelled_session_dates, w.last_held::text AS last_held_session_on,
              COALESCE(w.unmarked, '{}') AS unmarked_session_dates,
              r.required_sessions, p.left_early_counts, p.max_absences, p.max_unexcused_absences, p.max_consecutive_absences,
              p.no_attendance_days, p.progress_report_every_days, p.progress_report_day_of_month`;
const FACTS_FROM = `referrals r JOIN policies p ON p.id = r.policy_id
  LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT s.date::text ORDER BY s.date::text) FILTER (WHERE s.kind = 'regular' AND s.status = 'cancelled') AS cancelled,
           max(s.date) FILTER (WHERE s.status = 'held') AS last_held,
           array_agg(s.date::text ORDER BY s.date::text) FILTER (WHERE s.kind = 'regular' AND s.status <> 'cancelled' AND m.session_id IS NULL) AS unmarked
      FROM enrollments e
      JOIN sessions s ON s.group_id = e.group_id AND s.date >= e.start_date AND s.date <= LEAST(COALESCE(e.end_date, $2::date), $2::date)
      -- A mark of his on that week (any of his enrollments): the week is not unmarked for him. His
      -- marks are read once and hashed (OFFSET 0 keeps them a subquery): joined flat, the planner
      -- probed the marks' index once per week of his groups (~60 a man, ~900 a roster save).
      LEFT JOIN (SELECT hm.session_id FROM attendance_marks hm WHERE hm.referral_id = r.id OFFSET 0) m ON m.session_id = s.id
     WHERE e.referral_id = r.id) w ON true
 WHERE r.id = ANY($1::uuid[])`;

/**
 * The facts, marks and events of locked referrals in one statement ($1: their ids, $2: today). Its
 * text is fixed, so it is prepared once per connection.
 */
const LOCKED_FACTS_SQL = `SELECT ${FACTS_SELECT},
              (${markHistory('r.id')}) AS marks,
              COALESCE((SELECT json_agg(json_build_object('id', e.id, 'referral_id', e.referral_id, 'kind', e.kind, 'threshold_key', e.threshold_key,
                                                          'corrects_event_id', e.corrects_event_id, 'reinstated', COALESCE(e.created_at <= r.reinstated_at, false)))
                          FROM compliance_events e WHERE e.referral_id = r.id), '[]'::json) AS events
         FROM ${FACTS_FROM} ORDER BY r.id`;

type EventRow = {
  id: string;
  referral_id: string;
  kind: ComplianceEventKind;
  threshold_key: string;
  corrects_event_id: string | null;
  reinstated: boolean;
};

type LockedFactsRow = FactsRow & { marks: string | null; events: EventRow[] };

/** What the rules read, from the rows of LOCKED_FACTS_SQL. */
function lockedInput(rows: LockedFactsRow[], ids: string[]): EvaluationInput {
  const marks = new Map(ids.map((id) => [id, [] as MarkFact[]]));
  for (const row of rows) if (row.marks) marks.set(row.id, parseMarkFacts(row.marks));
  return { facts: rows, marks, existing: groupEvents(rows.flatMap((row) => row.events)) };
}

export interface EvaluationInput {
  facts: FactsRow[];
  marks: Map<string, MarkFact[]>;
  existing: Map<string, ExistingEvent[]>;
}

export interface EvaluationSummary {
  eventsCreated: number;
  noticesCreated: number;
  statusChanges: number;
  /** The events written, by referral. */
  events: Array<{ referralId: string; kind: string }>;
}

/** Options of an evaluation: see `evaluate`. */
interface EvaluationOptions {
  calendar?: boolean;
  today?: string;
}

/** What the rules decided, as the one statement that writes it (not yet sent), and how to read its answer. */
export interface Decision {
  /** Null when the rules write nothing. */
  statement: Statement | null;
  summarise(rows: Array<Record<string, unknown>>): EvaluationSummary;
}

/** The read of locked referrals' facts, as a statement to send with others, and how to read its rows. */
export interface LockedRead {
  statement: Statement;
  read(rows: Array<Record<string, unknown>>): EvaluationInput;
}

/**
 * Applies the pure rules inside the caller's transaction: loads the facts of a batch of
 * referrals in a fixed number of queries, writes new events (the unique crossing key makes a
 * second writer a no-op), their notices, and status changes. The request and the sweep share it.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly statuses: ReferralStatusService,
    private readonly clock: ProgramClock,
    private readonly config: AppConfig,
  ) {}

  /**
   * `calendar: true` raises the time-based rules too (the sweep); a request raises only what its
   * marks cross, so back-entering old attendance does not raise stale lapses, but withdraws any
   * event its change no longer bears out.
   */
  async evaluate(
    manager: EntityManager,
    referralIds: string[],
    options: EvaluationOptions & { referralsLocked?: boolean } = {},
  ): Promise<EvaluationSummary> {
    const today = options.today ?? this.clock.today();
    if (referralIds.length === 0) return { eventsCreated: 0, noticesCreated: 0, statusChanges: 0, events: [] };
    const ids = [...new Set(referralIds)].sort();
    const input = options.referralsLocked ? await this.readLocked(manager, ids, today) : await this.lockAndRead(manager, ids, today);
    const decision = this.decide(input, ids, { ...options, today });
    return decision.summarise(decision.statement ? await manager.query(decision.statement.text, decision.statement.values) : []);
  }

  /**
   * The rules applied to what was read, for the referrals `referralIds` among them (the read may
   * hold more), as one set-based statement: the status changes, the events, their notices and
   * every audit entry, however many men change status.
   */
  decide(input: EvaluationInput, referralIds: string[], options: EvaluationOptions = {}): Decision {
    const today = options.today ?? this.clock.today();
    const wanted = new Set(referralIds);
    const drafts: Array<EventDraft & { referralId: string }> = [];
    const statusChanges: Array<{ id: string; from: ReferralStatus; to: ReferralStatus; reason: string | null }> = [];
    for (const row of input.facts) {
      if (!wanted.has(row.id)) continue;
      const evaluation = evaluateReferral({
        referral: toReferralFacts(row),
        policy: toRulePolicy(row),
        marks: input.marks.get(row.id) ?? [],
        existing: input.existing.get(row.id) ?? [],
        today,
        includeCalendar: options.calendar ?? false,
      });
      drafts.push(...evaluation.events.map((draft) => ({ ...draft, referralId: row.id })));
      if (evaluation.status !== row.status) {
        statusChanges.push({ id: row.id, from: row.status, to: evaluation.status, reason: evaluation.statusReason });
      }
    }
    const write = new AuditedWrite();
    const changed = this.statuses.addTransitions(write, statusChanges);
    addVictimNotifications(write, changed, this.clock.timeZone);
    this.addEvents(write, drafts);
    return {
      statement: write.statement(),
      summarise: (rows) => {
        const result = AuditedWrite.answer(rows);
        const events = (result.raised_events ?? []) as Array<{ referral_id: string; kind: string }>;
        return {
          eventsCreated: events.length,
          noticesCreated: (result.raised_notices ?? []).length,
          statusChanges: statusChanges.length,
          events: events.map((event) => ({ referralId: event.referral_id, kind: event.kind })),
        };
      },
    };
  }

  /**
   * The facts, marks and events of referrals the caller has locked, as one statement to send after
   * the statement that took the locks (so its snapshot is not older than any write they waited for).
   */
  lockedRead(referralIds: string[], today: string = this.clock.today()): LockedRead {
    const ids = [...new Set(referralIds)].sort();
    return {
      statement: { text: LOCKED_FACTS_SQL, values: [ids, today], prepared: true },
      read: (rows) => lockedInput(rows as unknown as LockedFactsRow[], ids),
    };
  }

  /**
   * The facts, marks and events of referrals, locked in id order so concurrent evaluations of
   * overlapping sets cannot deadlock: the lock with the facts, then the marks and the events
   * (read after the lock, so they include whatever the evaluation it waited for wrote).
   */
  private async lockAndRead(manager: EntityManager, ids: string[], today: string): Promise<EvaluationInput> {
    const facts: FactsRow[] = await manager.query(`SELECT ${FACTS_SELECT} FROM ${FACTS_FROM} ORDER BY r.id FOR UPDATE OF r`, [ids, today]);
    return { facts, marks: await loadMarkFacts(manager, ids), existing: await this.existingEvents(manager, ids) };
  }

  /** `lockedRead`, sent on the caller's manager. */
  private async readLocked(manager: EntityManager, ids: string[], today: string): Promise<EvaluationInput> {
    return lockedInput(await manager.query(LOCKED_FACTS_SQL, [ids, today]), ids);
  }

  /** An event the program raises by decision (completed, terminated), with its notices. */
  async raise(manager: EntityManager, referralId: string, kind: ComplianceEventKind, facts: Record<string, unknown>): Promise<void> {
    const write = new AuditedWrite();
    this.addEvents(write, [{ referralId, kind, thresholdKey: kind, occurredOn: this.clock.today(), facts }]);
    await write.run(manager);
  }

  /** Adds the events (the unique crossing key makes a second writer a no-op), their audit entries and notices to `write`. */
  private addEvents(write: AuditedWrite, drafts: Array<EventDraft & { referralId: string }>): void {
    if (!drafts.length) return;
    const { bind } = write;
    write.with(
      'raised_events',
      `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, corrects_event_id)
       SELECT x.referral_id, x.kind::compliance_event_kind, x.threshold_key, x.occurred_on, x.facts, x.corrects_event_id
         FROM unnest(${bind(drafts.map((draft) => draft.referralId))}::uuid[], ${bind(drafts.map((draft) => draft.kind))}::text[],
                     ${bind(drafts.map((draft) => draft.thresholdKey))}::text[], ${bind(drafts.map((draft) => draft.occurredOn))}::date[],
                     ${bind(drafts.map((draft) => JSON.stringify(draft.facts)))}::jsonb[], ${bind(drafts.map((draft) => draft.correctsEventId ?? null))}::uuid[])
           WITH ORDINALITY AS x(referral_id, kind, threshold_key, occurred_on, facts, corrects_event_id, ord)
        ORDER BY x.ord
       ON CONFLICT (referral_id, kind, threshold_key) DO NOTHING
       RETURNING id, referral_id, kind, corrects_event_id`,
      { returned: true },
    );
    write.audit(
      `SELECT 'compliance.event', 'referral', e.referral_id, jsonb_build_object('eventId', e.id, 'kind', e.kind), row_number() OVER () FROM raised_events e`,
    );
    addEventNotices(write, 'raised_notices', 'raised_events', this.config.programTimeZone);
  }

  private async existingEvents(manager: EntityManager, referralIds: string[]): Promise<Map<string, ExistingEvent[]>> {
    const rows: EventRow[] = await manager.query(
      // Each man's events by the crossing index (OFFSET 0 keeps the probe per man: joined flat, the
      // planner hashed the whole events table for every batch of the sweep).
      `SELECT e.id, e.referral_id, e.kind, e.threshold_key, e.corrects_event_id, COALESCE(e.created_at <= r.reinstated_at, false) AS reinstated
           FROM referrals r CROSS JOIN LATERAL (SELECT * FROM compliance_events e WHERE e.referral_id = r.id OFFSET 0) e
          WHERE r.id = ANY($1::uuid[])`,
      [referralIds],
    );
    return groupEvents(rows);
  }
}

/** Each referral's events, each saying whether a correction withdrew it. */
function groupEvents(rows: EventRow[]): Map<string, ExistingEvent[]> {
  // A correction belongs to the same referral as the event it withdraws, so one read tells both.
  const corrected = new Set(rows.map((row) => row.corrects_event_id).filter((id): id is string => id !== null));
  const byReferral = new Map<string, ExistingEvent[]>();
  for (const row of rows) {
    const list = byReferral.get(row.referral_id) ?? [];
    list.push({
      id: row.id,
      kind: row.kind,
      thresholdKey: row.threshold_key,
      corrected: corrected.has(row.id),
      reinstated: row.reinstated,
    });
    byReferral.set(row.referral_id, list);
  }
  return byReferral;
}

function toReferralFacts(row: FactsRow): ReferralFacts {
  return {
    status: row.status,
    orderedOn: row.ordered_on,
    enrollBy: row.enroll_by,
    completeBy: row.complete_by,
    enrollments: row.enrollments,
    cancelledSessionDates: row.cancelled_session_dates,
    lastHeldSessionOn: row.last_held_session_on,
    unmarkedSessionDates: row.unmarked_session_dates,
  };
}
