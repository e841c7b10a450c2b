import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inPipelinedTransaction, PipelinedTransaction } from '../../common/database/pipelined-transaction';
import { Statement } from '../../common/database/statement-pipeline';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SqlParams } from '../../common/http/sql-params';
import { AuditedWrite } from '../audit/audited-write';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ProgramClock } from '../../config/program-clock';
import { ComplianceService } from '../compliance/compliance.service';
import { addAttendanceCharges } from '../fees/attendance-charges';
import { AccessService } from '../access/access.service';
import { Roster, RosterService } from '../sessions/roster.service';
import { Session, SessionStatus } from '../groups/session.entity';
import { AttendanceMarkDto } from './mark-attendance.dto';

/** The session as a whole: its note, and who ran it when someone covered (null: the group's own facilitators). */
export interface SessionDetails {
  note: string | null;
  runById: string | null;
}

/** An event a roster save raised, named by the enrollment whose mark raised it. */
export interface RaisedByMark {
  enrollmentId: string;
  kind: string;
}

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly compliance: ComplianceService,
    private readonly access: AccessService,
    private readonly rosters: RosterService,
    private readonly clock: ProgramClock,
  ) {}

  /**
   * Records the whole roster in one transaction. Idempotent: unchanged marks are not rewritten
   * or audited. Anything wrong with any mark refuses the whole request and writes nothing.
   */
  async mark(user: SignedInUser, sessionId: string, marks: AttendanceMarkDto[]): Promise<Roster> {
    return (await this.markAndTell(user, sessionId, marks)).roster;
  }

  /**
   * The same save, also saying which events it raised for whom (by enrollment: a facilitator does not
   * see the case), so the roster can tell him "the court notice was withdrawn".
   *
   * Three round trips (see test/domain/roster-save-statements.e2e-spec.ts): BEGIN with the session's
   * lock; the marks' write, the rules' read and the roster's read, in that order, each seeing the
   * one before; the rules' write with COMMIT. Each waits for what the save decides in between: who
   * is on the roster, then what the rules raise.
   */
  async markAndTell(
    user: SignedInUser,
    sessionId: string,
    marks: AttendanceMarkDto[],
    details?: SessionDetails,
  ): Promise<{ roster: Roster; raised: RaisedByMark[] }> {
    return inPipelinedTransaction(this.dataSource, async (transaction) => {
      const enrollmentIds = marks.map((mark) => mark.enrollmentId);
      // The row lock makes concurrent saves of one roster take turns, so a replay sees the first one's
      // result; who may mark it, and which of the marks name a man on its roster, come in the same read.
      const { session, referralOf } = await this.lockSession(transaction, user, sessionId, enrollmentIds);
      this.assertMarkable(session);
      const strangers = enrollmentIds.filter((id) => !referralOf.has(id));
      if (strangers.length) {
        throw new UnprocessableError(
          'NOT_ON_ROSTER',
          `${strangers.length} mark(s) name an enrollment that is not on this session's roster (another group, or not enrolled on ${session.date})`,
          { enrollmentIds: strangers },
        );
      }
      if (details) await this.recordDetails(transaction, session, details);
      // The rules' read comes after the statement that locks the changed men's referrals, so it sees
      // what any save it waited for wrote. It reads every man named (which of them changed is known
      // only from the write's answer); the rules judge the changed ones. The roster read sees the
      // marks and their standing, which the rules' write does not change; the standing of the men
      // named is counted from the rules' read of their marks, not read a second time.
      const named = marks.map((mark) => referralOf.get(mark.enrollmentId) as string);
      const rulesRead = this.compliance.lockedRead(named);
      const [written, facts, rosterRows] = await transaction.send([
        this.marksWrite(session, marks, referralOf, user),
        rulesRead.statement,
        this.rosters.statement(sessionId, named),
      ]);
      const changedReferrals = ((AuditedWrite.answer(written).locked_referrals ?? []) as Array<{ id: string }>).map((row) => row.id);
      const input = rulesRead.read(facts);
      const roster = this.rosters.fromRows(rosterRows, user.role, input.marks);
      // Nothing changed (a replay): nothing to judge; the transaction commits having written nothing.
      if (!changedReferrals.length) return { roster, raised: [] };
      // Rules run in this transaction: a crossing and its notices commit with the mark, or neither does.
      const decision = this.compliance.decide(input, changedReferrals);
      const [decided] = decision.statement ? await transaction.send([decision.statement], { commit: true }) : [[]];
      const summary = decision.summarise(decided);
      const raised: RaisedByMark[] = [];
      for (const mark of marks) {
        for (const event of summary.events)
          if (event.referralId === referralOf.get(mark.enrollmentId)) raised.push({ enrollmentId: mark.enrollmentId, kind: event.kind });
      }
      return { roster, raised };
    });
  }

  /** The session, locked, if this user may mark it (else 404), with the referral of each enrollment named that is on its roster that day. */
  private async lockSession(
    transaction: PipelinedTransaction,
    user: SignedInUser,
    sessionId: string,
    enrollmentIds: string[],
  ): Promise<{ session: MarkableSession; referralOf: Map<string, string> }> {
    const params = new SqlParams();
    const rows = await transaction.query<{
      id: string;
      group_id: string;
      date: string;
      status: SessionStatus;
      note: string | null;
      run_by_id: string | null;
      eligible: Array<{ id: string; referral_id: string }>;
    }>({
      text: `SELECT s.id, s.group_id, s.date::text AS date, s.status, s.note, s.run_by_id,
              COALESCE((SELECT json_agg(json_build_object('id', e.id, 'referral_id', e.referral_id)) FROM enrollments e
                         WHERE e.id = ANY(${params.bind(enrollmentIds)}::uuid[]) AND e.group_id = s.group_id
                           AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)), '[]'::json) AS eligible
         FROM sessions s JOIN groups g ON g.id = s.group_id
        WHERE s.id = ${params.bind(sessionId)} AND ${this.access.scopeSql(user, 'session.mark', 's', params.bind)}
        FOR UPDATE OF s`,
      values: params.values,
      // The text is one per role's scope; the plan is the session's primary key whatever the values.
      prepared: true,
    });
    const row = rows.at(0);
    if (!row) throw new NotFoundError('session');
    return {
      session: { id: row.id, groupId: row.group_id, date: row.date, status: row.status, note: row.note, runById: row.run_by_id },
      referralOf: new Map(row.eligible.map((enrollment) => [enrollment.id, enrollment.referral_id])),
    };
  }

  /** The session's note and who ran it, with the marks in one transaction; audited when they change. */
  private async recordDetails(transaction: PipelinedTransaction, session: MarkableSession, details: SessionDetails): Promise<void> {
    const note = details.note?.trim() ? details.note.trim().slice(0, 2000) : null;
    const runById = details.runById || null;
    if (runById) {
      const [facilitator] = await transaction.query({
        text: `SELECT 1 FROM users WHERE id = $1 AND role = 'facilitator' AND active`,
        values: [runById],
      });
      if (!facilitator) {
        throw new UnprocessableError('NOT_A_FACILITATOR', 'Who ran the session must be an active facilitator', {
          fields: { runById: ['Choose a facilitator from the list'] },
        });
      }
    }
    if (note === (session.note ?? null) && runById === (session.runById ?? null)) return;
    const write = new AuditedWrite();
    const { bind } = write;
    write.with(
      'session_details',
      `UPDATE sessions SET note = ${bind(note)}, run_by_id = ${bind(runById)}::uuid WHERE id = ${bind(session.id)}::uuid`,
    );
    // The note is free text: the entry says which fields changed, and who ran it (an id).
    const changed = {
      fields: [...(note !== (session.note ?? null) ? ['note'] : []), ...(runById !== (session.runById ?? null) ? ['runById'] : [])],
      runById,
    };
    write.audit(`SELECT 'session.details', 'session', ${bind(session.id)}::text, ${bind(JSON.stringify(changed))}::jsonb, 1`);
    await transaction.query(write.statement() as Statement);
  }

  private assertMarkable(session: MarkableSession): void {
    if (session.status === SessionStatus.Cancelled) {
      throw new UnprocessableError('SESSION_CANCELLED', 'This session was cancelled; it cannot be marked');
    }
    if (session.date > this.clock.today()) {
      throw new UnprocessableError('SESSION_IN_FUTURE', `This session is on ${session.date}; it cannot be marked before it happens`);
    }
  }

  /**
   * One statement: the marks that differ from what is recorded (status or note) are written and
   * audited ("mark" or "correct", from what they were), a scheduled session becomes held (audited),
   * and the referrals of the men whose marks changed are locked, in id order, for the rules. The
   * marks as they were are read by the same statement that overwrites them, after the session's
   * lock, so a replay of a save finds nothing changed and writes nothing. Answers those referrals
   * (`locked_referrals`).
   */
  private marksWrite(session: MarkableSession, marks: AttendanceMarkDto[], referralOf: Map<string, string>, user: SignedInUser): Statement {
    const write = new AuditedWrite();
    const { bind } = write;
    const sessionParam = bind(session.id);
    write.with(
      'changed',
      `SELECT x.enrollment_id, x.referral_id, x.status, x.note, x.ord, m.enrollment_id IS NOT NULL AS existed, m.status::text AS previous_status, m.note AS previous_note
         FROM unnest(${bind(marks.map((mark) => mark.enrollmentId))}::uuid[], ${bind(marks.map((mark) => referralOf.get(mark.enrollmentId)))}::uuid[],
                     ${bind(marks.map((mark) => mark.status))}::text[], ${bind(marks.map((mark) => mark.note ?? null))}::text[])
                WITH ORDINALITY AS x(enrollment_id, referral_id, status, note, ord)
         LEFT JOIN attendance_marks m ON m.session_id = ${sessionParam}::uuid AND m.enrollment_id = x.enrollment_id
        WHERE m.enrollment_id IS NULL OR m.status::text <> x.status OR m.note IS DISTINCT FROM x.note`,
      { returned: true },
    );
    write.with(
      'written_marks',
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, note, marked_by_id, marked_at)
       SELECT ${sessionParam}::uuid, c.enrollment_id, c.referral_id, c.status::attendance_status, c.note, ${bind(user.id)}::uuid, now() FROM changed c
       ON CONFLICT (session_id, enrollment_id)
       DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, marked_by_id = EXCLUDED.marked_by_id, marked_at = now()`,
    );
    // Referenced below, so it runs: the rules' locks, taken in id order like every evaluation's.
    write.with(
      'locked_referrals',
      `SELECT r.id FROM referrals r WHERE r.id IN (SELECT c.referral_id FROM changed c) ORDER BY r.id FOR UPDATE OF r`,
      { returned: true },
    );
    write.with('held', `UPDATE sessions SET status = 'held' WHERE id = ${sessionParam}::uuid AND status = 'scheduled' RETURNING id`);
    // The note is the facilitator's free text: it stays on the mark, the entry says only that it changed.
    write.audit(
      `SELECT CASE WHEN c.existed THEN 'attendance.correct' ELSE 'attendance.mark' END, 'attendance', c.enrollment_id,
              jsonb_build_object('sessionId', ${sessionParam}::uuid, 'sessionDate', ${bind(session.date)}::text, 'referralId', c.referral_id)
                || CASE WHEN c.existed THEN jsonb_build_object('from', jsonb_build_object('status', c.previous_status)) ELSE '{}'::jsonb END
                || jsonb_build_object('to', jsonb_build_object('status', c.status))
                || CASE WHEN c.note IS DISTINCT FROM c.previous_note THEN '{"fields":["note"]}'::jsonb ELSE '{}'::jsonb END,
              c.ord
         FROM changed c`,
    );
    write.audit(`SELECT 'session.held', 'session', h.id, NULL::jsonb, 1 FROM held h`);
    // A session attended is charged, a corrected one reversed, with the marks or not at all.
    addAttendanceCharges(write, 'changed', sessionParam);
    return write.statement() as Statement;
  }
}

/** What a save needs of the session it marks. */
type MarkableSession = Pick<Session, 'id' | 'groupId' | 'date' | 'status' | 'note' | 'runById'>;
