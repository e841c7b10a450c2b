import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/context/request-context';
import { ProgramClock } from '../../common/program-clock';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { ComplianceService } from '../compliance/compliance.service';
import { chargeForMarks } from '../fees/attendance-charges';
import { GroupAccess } from '../groups/group-access';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { Roster, RosterService } from '../sessions/roster.service';
import { Session, SessionStatus } from '../sessions/session.entity';
import { AttendanceStatus } from './attendance-status.enum';
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

interface ExistingMark {
  enrollment_id: string;
  status: AttendanceStatus;
  note: string | null;
}

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxTransaction,
    private readonly compliance: ComplianceService,
    private readonly access: GroupAccess,
    private readonly rosters: RosterService,
    private readonly audit: AuditService,
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
   */
  async markAndTell(
    user: SignedInUser,
    sessionId: string,
    marks: AttendanceMarkDto[],
    details?: SessionDetails,
  ): Promise<{ roster: Roster; raised: RaisedByMark[] }> {
    const raised: RaisedByMark[] = [];
    await this.outbox.run(async (manager) => {
      // The row lock makes concurrent saves of one roster take turns, so a replay sees the first one's result.
      const session = await this.access.requireSession(user, sessionId, manager, true);
      this.assertMarkable(session);
      if (details) await this.recordDetails(manager, session, details);
      const enrollmentIds = marks.map((mark) => mark.enrollmentId);
      const eligible: Array<{ id: string; referral_id: string }> = await manager.query(
        `SELECT e.id, e.referral_id FROM enrollments e
          WHERE e.id = ANY($1::uuid[]) AND e.group_id = $2
            AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $3)`,
        [enrollmentIds, session.groupId, session.date],
      );
      const referralOf = new Map(eligible.map((row) => [row.id, row.referral_id]));
      const strangers = enrollmentIds.filter((id) => !referralOf.has(id));
      if (strangers.length) {
        throw new UnprocessableError(
          'NOT_ON_ROSTER',
          `${strangers.length} mark(s) name an enrollment that is not on this session's roster (another group, or not enrolled on ${session.date})`,
          { enrollmentIds: strangers },
        );
      }
      const existing: ExistingMark[] = await manager.query(
        `SELECT enrollment_id, status, note FROM attendance_marks WHERE session_id = $1 AND enrollment_id = ANY($2::uuid[])`,
        [session.id, enrollmentIds],
      );
      const before = new Map(existing.map((row) => [row.enrollment_id, row]));
      const changed = marks.filter((mark) => {
        const previous = before.get(mark.enrollmentId);
        return !previous || previous.status !== mark.status || (previous.note ?? null) !== (mark.note ?? null);
      });
      if (changed.length) {
        await this.writeMarks(manager, session, changed, referralOf, before, user);
        // A session attended is charged, a corrected one reversed, with the marks or not at all.
        await chargeForMarks(manager, session.id, changed.map((mark) => mark.enrollmentId));
      }
      if (session.status === SessionStatus.Scheduled) {
        await manager.update(Session, { id: session.id }, { status: SessionStatus.Held });
        await this.audit.record({ action: 'session.held', recordType: 'session', recordId: session.id }, manager);
      }
      if (changed.length) {
        // Rules run in this transaction: a crossing and its notices commit with the mark, or neither does.
        await this.compliance.evaluate(manager, [...new Set(changed.map((mark) => referralOf.get(mark.enrollmentId)!))]);
        // Rows written in this transaction carry its now(): exactly the events this save raised.
        const events = (await manager.query(`SELECT referral_id, kind FROM compliance_events WHERE referral_id = ANY($1::uuid[]) AND created_at = now()`, [
          [...new Set(changed.map((mark) => referralOf.get(mark.enrollmentId)!))],
        ])) as Array<{ referral_id: string; kind: string }>;
        for (const mark of changed) {
          for (const event of events) if (event.referral_id === referralOf.get(mark.enrollmentId)) raised.push({ enrollmentId: mark.enrollmentId, kind: event.kind });
        }
      }
    });
    return { roster: await this.rosters.load(this.dataSource.manager, sessionId, user.role), raised };
  }

  /** The session's note and who ran it, with the marks in one transaction; audited when they change. */
  private async recordDetails(manager: EntityManager, session: Session, details: SessionDetails): Promise<void> {
    const note = details.note?.trim() ? details.note.trim().slice(0, 2000) : null;
    const runById = details.runById || null;
    if (runById) {
      const [facilitator] = (await manager.query(`SELECT 1 FROM users WHERE id = $1 AND role = 'facilitator' AND active`, [runById])) as unknown[];
      if (!facilitator) {
        throw new UnprocessableError('NOT_A_FACILITATOR', 'Who ran the session must be an active facilitator', { fields: { runById: ['Choose a facilitator from the list'] } });
      }
    }
    if (note === (session.note ?? null) && runById === (session.runById ?? null)) return;
    await manager.update(Session, { id: session.id }, { note, runById });
    await this.audit.record(
      {
        action: 'session.details',
        recordType: 'session',
        recordId: session.id,
        // The note is free text: the entry says which fields changed, and who ran it (an id).
        details: { fields: [...(note !== (session.note ?? null) ? ['note'] : []), ...(runById !== (session.runById ?? null) ? ['runById'] : [])], runById },
      },
      manager,
    );
  }

  private assertMarkable(session: Session): void {
    if (session.status === SessionStatus.Cancelled) {
      throw new UnprocessableError('SESSION_CANCELLED', 'This session was cancelled; it cannot be marked');
    }
    if (session.date > this.clock.today()) {
      throw new UnprocessableError('SESSION_IN_FUTURE', `This session is on ${session.date}; it cannot be marked before it happens`);
    }
  }

  private async writeMarks(
    manager: EntityManager,
    session: Session,
    changed: AttendanceMarkDto[],
    referralOf: Map<string, string>,
    before: Map<string, ExistingMark>,
    user: SignedInUser,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, note, marked_by_id, marked_at)
       SELECT $1, x.enrollment_id, x.referral_id, x.status::attendance_status, x.note, $2, now()
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[]) AS x(enrollment_id, referral_id, status, note)
       ON CONFLICT (session_id, enrollment_id)
       DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, marked_by_id = EXCLUDED.marked_by_id, marked_at = now()`,
      [
        session.id,
        user.id,
        changed.map((mark) => mark.enrollmentId),
        changed.map((mark) => referralOf.get(mark.enrollmentId)),
        changed.map((mark) => mark.status),
        changed.map((mark) => mark.note ?? null),
      ],
    );
    const entries: AuditRecord[] = changed.map((mark) => {
      const previous = before.get(mark.enrollmentId);
      return {
        action: previous ? 'attendance.correct' : 'attendance.mark',
        recordType: 'attendance',
        recordId: mark.enrollmentId,
        details: {
          sessionId: session.id,
          sessionDate: session.date,
          referralId: referralOf.get(mark.enrollmentId),
          // The note is the facilitator's free text: it stays on the mark, the entry says only that it changed.
          ...(previous ? { from: { status: previous.status } } : {}),
          to: { status: mark.status },
          ...((mark.note ?? null) !== (previous?.note ?? null) ? { fields: ['note'] } : {}),
        },
      };
    });
    await this.audit.recordMany(entries, manager);
  }
}
