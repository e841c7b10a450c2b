import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { changes, maybeOne, rows } from '../../common/database/sql';
import { CountingPolicyRow } from '../compliance/rule-policy.row';
import { ParticipantMessageKind } from './participant-message-content';

/** A message just claimed, with what its mail says and his standing's inputs. */
export interface DueRow extends CountingPolicyRow {
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
  max_unexcused_absences: number;
}

export interface SentMessageRow {
  kind: ParticipantMessageKind;
  session_date: string;
  language: string;
  status: string | null;
  created_at: Date;
}

/** The participant messages' statements, in the caller's transaction where they write. */
@Injectable()
export class ParticipantMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async setMail(manager: EntityManager, messageId: string, mailId: string): Promise<void> {
    await manager.query(`UPDATE participant_messages SET mail_id = $2 WHERE id = $1`, [messageId, mailId]);
  }

  /** Whether the referral's man opted out of messages; null when there is no such referral. */
  optOutOf(referralId: string): Promise<{ messages_opt_out: boolean } | null> {
    return maybeOne<{ messages_opt_out: boolean }>(
      this.dataSource,
      `SELECT p.messages_opt_out FROM referrals r JOIN participants p ON p.id = r.participant_id WHERE r.id = $1`,
      [referralId],
    );
  }

  sentFor(referralId: string): Promise<SentMessageRow[]> {
    return rows<SentMessageRow>(
      this.dataSource,
      `SELECT pm.kind, s.date::text AS session_date, pm.language, m.status::text AS status, pm.created_at
         FROM participant_messages pm
         JOIN enrollments e ON e.id = pm.enrollment_id
         JOIN sessions s ON s.id = pm.session_id
         LEFT JOIN outgoing_mails m ON m.id = pm.mail_id
        WHERE e.referral_id = $1 ORDER BY pm.created_at DESC, s.date DESC LIMIT 200`,
      [referralId],
    );
  }

  /** Whether the referral was found (and his choice set). */
  async setOptOut(manager: EntityManager, referralId: string, optOut: boolean): Promise<boolean> {
    const updated = await changes<{ id: string }>(
      manager,
      `UPDATE participants p SET messages_opt_out = $2 FROM referrals r WHERE r.id = $1 AND p.id = r.participant_id RETURNING p.id`,
      [referralId, optOut],
    );
    return updated.rows.length > 0;
  }

  /** Writes the rows of the messages due ($1 today, $2 tomorrow, $3 the cancelled sessions or null) and answers them. */
  claimDue(manager: EntityManager, today: string, tomorrow: string, sessionIds: string[] | null): Promise<DueRow[]> {
    return rows<DueRow>(
      manager,
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
    );
  }

  async programName(manager: EntityManager): Promise<string | null> {
    const program = await maybeOne<{ name: string }>(
      manager,
      `SELECT name FROM agencies WHERE kind = 'program' ORDER BY created_at LIMIT 1`,
    );
    return program?.name ?? null;
  }
}
