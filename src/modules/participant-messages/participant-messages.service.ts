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
import { toCountingPolicy } from '../compliance/rule-policy.row';
import { MailOutbox } from '../mail/mail-outbox.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { messageLanguage } from '../../common/message-catalog';
import { participantMessage, ParticipantMessageKind } from './participant-message-content';
import { DueRow, ParticipantMessagesRepository } from './participant-messages.repository';

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
    private readonly messages: ParticipantMessagesRepository,
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
    const standings = await this.standings(
      manager,
      due.filter((row) => row.kind === 'missed_session'),
    );
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
      const mailId = await this.mails.add(manager, {
        kind: 'participant_message',
        refId: row.message_id,
        to: row.email,
        subject: content.subject,
        text: content.text,
      });
      await this.messages.setMail(manager, row.message_id, mailId);
    }
    const written = { session_reminder: 0, session_cancelled: 0, missed_session: 0 };
    for (const row of due) written[row.kind] += 1;
    if (due.length) this.logger.log({ ...written }, 'participant messages written');
    return written;
  }

  /** What he was sent for this referral, newest first, with whether each mail went. */
  async list(referralId: string): Promise<{
    optOut: boolean;
    items: Array<{ kind: ParticipantMessageKind; sessionDate: string; language: string; status: string | null; createdAt: Date }>;
  }> {
    const participant = await this.messages.optOutOf(referralId);
    if (!participant) throw new NotFoundError('referral');
    const rows = await this.messages.sentFor(referralId);
    return {
      optOut: participant.messages_opt_out,
      items: rows.map((row) => ({
        kind: row.kind,
        sessionDate: row.session_date,
        language: row.language,
        status: row.status,
        createdAt: row.created_at,
      })),
    };
  }

  async setOptOut(user: SignedInUser, referralId: string, optOut: boolean): Promise<{ optOut: boolean }> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.messages.setOptOut(manager, referralId, optOut))) throw new NotFoundError('referral');
      await this.audit.record(
        { action: optOut ? 'participant.messages_opt_out' : 'participant.messages_opt_in', recordType: 'referral', recordId: referralId },
        manager,
      );
    });
    return { optOut };
  }

  /** Claims the messages due by writing their rows; a row already written is not claimed again. */
  private async claimDue(manager: EntityManager, today: string, sessionIds: string[] | null): Promise<DueRow[]> {
    const tomorrow = addDays(today, 1);
    return this.messages.claimDue(manager, today, tomorrow, sessionIds);
  }

  /** Where each man with a missed session stands, counted as the rules count (held sessions only). */
  private async standings(manager: EntityManager, rows: DueRow[]): Promise<Map<string, { unexcusedAbsences: number; limit: number }>> {
    const marks = await loadMarkFacts(manager, [...new Set(rows.map((row) => row.referral_id))]);
    return new Map(
      rows.map((row) => {
        const counts = countAttendance(marks.get(row.referral_id) ?? [], toCountingPolicy(row));
        return [row.message_id, { unexcusedAbsences: counts.unexcusedAbsences, limit: row.max_unexcused_absences }];
      }),
    );
  }

  private async programName(manager: EntityManager): Promise<string> {
    return (await this.messages.programName(manager)) ?? 'The program';
  }
}
