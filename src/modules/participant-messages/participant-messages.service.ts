import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { NotFoundError } from '../../common/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { addDays } from '../../common/dates';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { countAttendance } from '../compliance/attendance-counts';
import { loadMarkFacts } from '../compliance/mark-facts.repository';
import { MailOutbox } from '../mail/mail-outbox.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { messageLanguage } from './message-catalog';
import { participantMessage, ParticipantMessageKind } from './participant-message-content';

interface DueRow {
  message_id: string;
  kind: ParticipantMessageKind;
  referral_id: string;
  first_name: string;
  email: string;
  language: string;
  session_date: string;
  session_time: string;
  location: string | null;
  cancelled_reason: string | null;
  unit_theme: string | null;
  unit_title: string | null;
  next_date: string | null;
  next_time: string | null;
  required_sessions: number;
  left_early_counts: boolean;
  max_unexcused_absences: number;
}

export interface MessagesWritten {
  session_reminder: number;
  session_cancelled: number;
  missed_session: number;
}

/**
 * Messages of help and accountability to the men, by e-mail in each man's language: a reminder
 * the day before his group, a notice when there is no group, a letter after a missed session.
 * Each is written once per session and enrollment (a unique key, so running twice or in two
 * workers sends nothing twice) and goes through the mail outbox. Nothing goes to a man who opted
 * out, who has no address, whose order is not running, or whose protected party asked that the
 * program not contact him.
 */
@Injectable()
export class ParticipantMessagesService {
  private readonly logger = new Logger(ParticipantMessagesService.name);

  constructor(
    private readonly outbox: OutboxTransaction,
    private readonly mails: MailOutbox,
    private readonly clock: ProgramClock,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Writes what is due today: reminders and no-group notices for tomorrow's sessions, letters
   * for unexcused absences of the past week. With `sessionIds`, only the no-group notices of
   * those sessions (a group cancelled at short notice), whatever their date from today on.
   */
  async sendDue(options: { sessionIds?: string[] } = {}): Promise<MessagesWritten> {
    return this.outbox.run((manager) => this.writeDue(manager, options));
  }

  /** The same, inside the caller's outbox transaction (a cancellation and its notices commit together). */
  async writeDue(manager: EntityManager, options: { sessionIds?: string[] } = {}): Promise<MessagesWritten> {
    const today = this.clock.today();
    const due = await this.claimDue(manager, today, options.sessionIds ?? null);
    const standings = await this.standings(manager, due.filter((row) => row.kind === 'missed_session'));
    const programName = await this.programName(manager);
    for (const row of due) {
      const language = messageLanguage(row.language);
      const content = participantMessage({
        kind: row.kind,
        language,
        timeZone: this.config.programTimeZone,
        programName,
        firstName: row.first_name,
        sessionDate: row.session_date,
        sessionTime: row.session_time,
        place: row.location,
        unit: row.unit_theme && row.unit_title ? { theme: row.unit_theme, title: row.unit_title } : null,
        cancelledReason: row.cancelled_reason,
        next: row.next_date && row.next_time ? { date: row.next_date, time: row.next_time } : null,
        standing: standings.get(row.message_id) ?? null,
      });
      const mailId = await this.mails.add(manager, { kind: 'participant_message', refId: row.message_id, to: row.email, subject: content.subject, text: content.text });
      await manager.query(`UPDATE participant_messages SET mail_id = $2 WHERE id = $1`, [row.message_id, mailId]);
    }
    const written = { session_reminder: 0, session_cancelled: 0, missed_session: 0 };
    for (const row of due) written[row.kind] += 1;
    if (due.length) this.logger.log({ ...written }, 'participant messages written');
    return written;
  }

  /** What he was sent for this referral, newest first, with whether each mail went. */
  async list(referralId: string): Promise<{ optOut: boolean; items: Array<{ kind: ParticipantMessageKind; sessionDate: string; language: string; status: string | null; createdAt: Date }> }> {
    const [participant] = (await this.dataSource.query(
      `SELECT p.messages_opt_out FROM referrals r JOIN participants p ON p.id = r.participant_id WHERE r.id = $1`,
      [referralId],
    )) as Array<{ messages_opt_out: boolean }>;
    if (!participant) throw new NotFoundError('referral');
    const rows = (await this.dataSource.query(
      `SELECT pm.kind, s.date::text AS session_date, pm.language, m.status::text AS status, pm.created_at
         FROM participant_messages pm
         JOIN enrollments e ON e.id = pm.enrollment_id
         JOIN sessions s ON s.id = pm.session_id
         LEFT JOIN outgoing_mails m ON m.id = pm.mail_id
        WHERE e.referral_id = $1 ORDER BY pm.created_at DESC, s.date DESC LIMIT 200`,
      [referralId],
    )) as Array<{ kind: ParticipantMessageKind; session_date: string; language: string; status: string | null; created_at: Date }>;
    return {
      optOut: participant.messages_opt_out,
      items: rows.map((row) => ({ kind: row.kind, sessionDate: row.session_date, language: row.language, status: row.status, createdAt: row.created_at })),
    };
  }

  async setOptOut(user: SignedInUser, referralId: string, optOut: boolean): Promise<{ optOut: boolean }> {
    await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE participants p SET messages_opt_out = $2 FROM referrals r WHERE r.id = $1 AND p.id = r.participant_id RETURNING p.id`,
        [referralId, optOut],
      )) as [Array<{ id: string }>, number];
      if (!rows.length) throw new NotFoundError('referral');
      await this.audit.record({ action: optOut ? 'participant.messages_opt_out' : 'participant.messages_opt_in', recordType: 'referral', recordId: referralId }, manager);
    });
    return { optOut };
  }

  /** Claims the messages due by writing their rows; a row already written is not claimed again. */
  private async claimDue(manager: EntityManager, today: string, sessionIds: string[] | null): Promise<DueRow[]> {
    const tomorrow = addDays(today, 1);
    return (await manager.query(
      `WITH candidates AS (
         SELECT CASE WHEN s.status = 'scheduled' THEN 'session_reminder' ELSE 'session_cancelled' END AS kind, e.id AS enrollment_id, s.id AS session_id
           FROM sessions s JOIN enrollments e ON e.group_id = s.group_id
          WHERE s.kind = 'regular'
            AND (CASE WHEN $3::uuid[] IS NULL THEN s.date = $2::date AND s.status IN ('scheduled', 'cancelled')
                      ELSE s.id = ANY($3::uuid[]) AND s.date >= $1::date AND s.status = 'cancelled' END)
            AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
         UNION ALL
         SELECT 'missed_session', m.enrollment_id, m.session_id
           FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
          WHERE $3::uuid[] IS NULL AND m.status = 'absent_unexcused' AND s.status = 'held' AND s.date BETWEEN $1::date - 7 AND $1::date
       ), eligible AS (
         SELECT c.*, r.participant_id, p.language
           FROM candidates c
           JOIN enrollments e ON e.id = c.enrollment_id
           JOIN referrals r ON r.id = e.referral_id
           JOIN participants p ON p.id = r.participant_id
          WHERE r.status IN ('active', 'non_compliant') AND p.email IS NOT NULL AND NOT p.messages_opt_out
            AND NOT EXISTS (SELECT 1 FROM protected_parties pp WHERE pp.referral_id = r.id AND pp.no_program_contact)
       ), written AS (
         INSERT INTO participant_messages (kind, participant_id, enrollment_id, session_id, language)
         SELECT kind, participant_id, enrollment_id, session_id, language FROM eligible
         ON CONFLICT (kind, enrollment_id, session_id) DO NOTHING
         RETURNING id, kind, enrollment_id, session_id
       )
       SELECT w.id AS message_id, w.kind, r.id AS referral_id, p.first_name, p.email, p.language,
              s.date::text AS session_date, to_char(s.start_time, 'HH24:MI') AS session_time, g.location, s.cancelled_reason,
              cu.theme AS unit_theme, cu.title AS unit_title,
              nx.date::text AS next_date, to_char(nx.start_time, 'HH24:MI') AS next_time,
              r.required_sessions, pol.left_early_counts, pol.max_unexcused_absences
         FROM written w
         JOIN enrollments e ON e.id = w.enrollment_id
         JOIN referrals r ON r.id = e.referral_id
         JOIN participants p ON p.id = r.participant_id
         JOIN policies pol ON pol.id = r.policy_id
         JOIN sessions s ON s.id = w.session_id
         JOIN groups g ON g.id = s.group_id
         LEFT JOIN curriculum_units cu ON cu.id = s.curriculum_unit_id
         LEFT JOIN LATERAL (
           SELECT n.date, n.start_time FROM sessions n
            WHERE n.group_id = s.group_id AND n.kind = 'regular' AND n.status = 'scheduled' AND n.date > GREATEST(s.date, $1::date)
            ORDER BY n.date LIMIT 1) nx ON true
        ORDER BY w.kind, s.date`,
      [today, tomorrow, sessionIds],
    )) as DueRow[];
  }

  /** Where each man with a missed session stands, counted as the rules count (held sessions only). */
  private async standings(manager: EntityManager, rows: DueRow[]): Promise<Map<string, { unexcusedAbsences: number; limit: number }>> {
    const marks = await loadMarkFacts(manager, [...new Set(rows.map((row) => row.referral_id))]);
    return new Map(
      rows.map((row) => {
        const counts = countAttendance(marks.get(row.referral_id) ?? [], { requiredSessions: row.required_sessions, leftEarlyCounts: row.left_early_counts });
        return [row.message_id, { unexcusedAbsences: counts.unexcusedAbsences, limit: row.max_unexcused_absences }];
      }),
    );
  }

  private async programName(manager: EntityManager): Promise<string> {
    const [program] = (await manager.query(`SELECT name FROM agencies WHERE kind = 'program' ORDER BY created_at LIMIT 1`)) as Array<{ name: string }>;
    return program?.name ?? 'The program';
  }
}
