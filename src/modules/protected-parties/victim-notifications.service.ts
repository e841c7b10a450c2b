import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ConflictError, DomainError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { MailStatus } from '../mail/mail-kind';
import { MailOutcome, MailOutcomes } from '../mail/mail-outcomes';
import { MailOutbox } from '../mail/mail-outbox.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { FieldCipher } from '../../config/field-cipher';
import { partyContext } from './protected-parties.service';
import { RecordVictimNotificationDto } from './protected-party.dto';
import { ProtectedPartyDetails, VictimNotificationView } from './protected-party.view';
import { VictimNotification, VictimNotificationStatus } from './victim-notification.entity';
import { victimNotificationMessage } from './victim-notification-message';
import { dueState } from './victim-notification-due';
import { victimNotificationDelivery } from './victim-notification-delivery';

/** An advocate may approve the e-mail this often; after that, she is reached another way. */
export const MAX_EMAIL_ATTEMPTS = 3;
const OPEN = [VictimNotificationStatus.Pending, VictimNotificationStatus.Failed, VictimNotificationStatus.Sending];
const sendLimitReached = () =>
  new DomainError(
    'too_many_requests',
    'SEND_LIMIT_REACHED',
    `The e-mail was refused ${MAX_EMAIL_ATTEMPTS} times; reach her another way and record it`,
    { maxAttempts: MAX_EMAIL_ATTEMPTS },
  );
const noteContext = (id: string) => `victim_notification:${id}`;
/** Marks a claim that another request won, so the transaction rolls back and says why after. */
class NotClaimed extends Error {}

interface NotificationRow {
  id: string;
  referral_id: string;
  case_number: string;
  participant_name: string;
  status_changed_at: Date;
  protected_party_id: string;
  party_key_id: string;
  party_wrapped_key: Buffer;
  party_ciphertext: Buffer;
  event: VictimNotification['event'];
  ask_first: boolean;
  due_at: Date | null;
  status: VictimNotificationStatus;
  channel: VictimNotification['channel'];
  attempts: number;
  last_error: string | null;
  note_key_id: string | null;
  note_wrapped_key: Buffer | null;
  note_ciphertext: Buffer | null;
  decided_at: Date | null;
  created_at: Date;
  /** All rows matching, before LIMIT (a window count in the same statement). */
  total: number;
}

/**
 * Telling the protected party that he completed or was terminated. Nothing goes to her until an
 * advocate chooses: send the standard e-mail (once: a second click while the first is on its way
 * is refused, and an e-mail whose outcome is unknown is never resent blindly), record that she was
 * told another way, or skip with a reason. Every step is audited without her details.
 *
 * The e-mail goes through the mail outbox like every other mail: approving it writes the mail in
 * the same transaction, sealed, and the page says "on its way" until the send job's outcome comes
 * back here (sent; refused for good; or not confirmed). Her address is never in Redis, a job or a log.
 */
@Injectable()
export class VictimNotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxTransaction,
    private readonly mails: MailOutbox,
    mailOutcomes: MailOutcomes,
  ) {
    mailOutcomes.on('victim_notification', (manager, outcome) => this.mailOutcome(manager, outcome));
  }

  async list(options: {
    open?: boolean;
    referralId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: VictimNotificationView[]; total: number }> {
    const conditions: string[] = [];
    const params: unknown[] = [options.limit, options.offset];
    if (options.open) {
      params.push(OPEN);
      conditions.push(`vn.status = ANY($${params.length}::victim_notification_status[])`);
    }
    if (options.referralId) {
      params.push(options.referralId);
      conditions.push(`vn.referral_id = $${params.length}`);
    }
    // What is waiting goes by its clock: the most overdue first, then the soonest due, then those
    // no rule sets a time for, oldest first. A case's whole history stays in the order it came.
    const order = options.open ? 'ORDER BY vn.due_at ASC NULLS LAST, vn.created_at ASC, vn.id' : 'ORDER BY vn.created_at ASC, vn.id';
    const rows = await this.rows(conditions.length ? conditions.join(' AND ') : 'TRUE', params, `${order} LIMIT $1 OFFSET $2`);
    await this.audit.record({
      action: 'victim_notification.list',
      recordType: 'victim_notification',
      details: { returned: rows.map((row) => row.id) },
    });
    const mails = await this.mails.latestForMany(
      'victim_notification',
      rows.map((row) => row.id),
    );
    return { items: rows.map((row) => this.view(row, mails.get(row.id)?.status)), total: rows[0]?.total ?? 0 };
  }

  /** Sends the standard e-mail to her address, as the advocate approved, with the advocate's words added. */
  async sendEmail(user: SignedInUser, id: string, message?: string): Promise<VictimNotificationView> {
    const row = await this.one(id);
    const party = this.cipher.open<ProtectedPartyDetails>(
      { keyId: row.party_key_id, wrappedKey: row.party_wrapped_key, ciphertext: row.party_ciphertext },
      partyContext(row.protected_party_id, row.referral_id),
    );
    if (!party.email) {
      throw new UnprocessableError('NO_EMAIL_ADDRESS', 'There is no e-mail address for her; add one, or record how she was told', {
        fields: { email: ['the protected party has no e-mail address'] },
      });
    }
    if (row.attempts >= MAX_EMAIL_ATTEMPTS && row.status === VictimNotificationStatus.Failed) throw sendLimitReached();
    const mail = victimNotificationMessage({
      recipientName: party.name,
      caseNumber: row.case_number,
      participantName: row.participant_name,
      event: row.event,
      on: row.status_changed_at,
      advocateName: user.name,
      advocateEmail: user.email,
      message,
      timeZone: this.config.programTimeZone,
    });
    try {
      await this.outbox.run(async (manager) => {
        // Claim it: only one request may move it to sending, so a double click cannot send twice.
        const [, claimed] = await manager.query<[unknown, number]>(
          `UPDATE victim_notifications SET status = 'sending', channel = 'email', attempts = attempts + 1, last_error = NULL,
                  decided_by_id = $2, decided_at = now(), updated_at = now()
            WHERE id = $1 AND status IN ('pending', 'failed') AND attempts < $3`,
          [id, user.id, MAX_EMAIL_ATTEMPTS],
        );
        if (claimed === 0) throw new NotClaimed();
        const mailId = await this.mails.add(manager, {
          kind: 'victim_notification',
          refId: id,
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- an e-mail is offered only for a party with an address
          to: party.email!,
          replyTo: user.email,
          subject: mail.subject,
          text: mail.text,
        });
        await manager.query(`UPDATE victim_notifications SET message_id = $2 WHERE id = $1`, [
          id,
          `<mail-${mailId}@${this.config.mailDomain}>`,
        ]);
        await this.audit.record(
          { action: 'victim_notification.approved', recordType: 'victim_notification', recordId: id, details: { channel: 'email' } },
          manager,
        );
      });
    } catch (error) {
      if (!(error instanceof NotClaimed)) throw error;
      const now = await this.one(id);
      throw now.status === VictimNotificationStatus.Failed ? sendLimitReached() : this.notOpen(now.status);
    }
    return this.get(id);
  }

  /**
   * What became of the e-mail, in the send job's own transaction. Refused for now, it stays on its
   * way (the outbox tries again); refused for good, the advocate may approve it again or reach her
   * another way; not confirmed, it stays "sending" so nobody resends it blindly.
   */
  private async mailOutcome(manager: EntityManager, outcome: MailOutcome): Promise<void> {
    const next: Partial<Record<MailStatus, { status: VictimNotificationStatus; action: string | null; lastError: string | null }>> = {
      [MailStatus.Sent]: { status: VictimNotificationStatus.Sent, action: 'victim_notification.sent', lastError: null },
      [MailStatus.Dead]: { status: VictimNotificationStatus.Failed, action: 'victim_notification.failed', lastError: outcome.lastResponse },
      [MailStatus.Unknown]: {
        status: VictimNotificationStatus.Sending,
        action: 'victim_notification.unknown',
        lastError: outcome.lastResponse,
      },
      [MailStatus.Failed]: { status: VictimNotificationStatus.Sending, action: null, lastError: outcome.lastResponse },
    };
    const change = next[outcome.status];
    if (!change) return;
    const [, changed] = await manager.query<[unknown, number]>(
      `UPDATE victim_notifications SET status = $2, last_error = $3, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      [outcome.refId, change.status, change.lastError],
    );
    if (changed && change.action)
      await this.audit.record(
        { action: change.action, recordType: 'victim_notification', recordId: outcome.refId, actorUserId: null, actorRole: null },
        manager,
      );
  }

  /** She was told by phone, in person or by letter; the note is sealed. */
  async record(user: SignedInUser, id: string, input: RecordVictimNotificationDto): Promise<VictimNotificationView> {
    return this.decide(user, id, VictimNotificationStatus.Recorded, input.channel, input.note, 'victim_notification.recorded');
  }

  async skip(user: SignedInUser, id: string, note: string): Promise<VictimNotificationView> {
    return this.decide(user, id, VictimNotificationStatus.Skipped, null, note, 'victim_notification.skipped');
  }

  async get(id: string): Promise<VictimNotificationView> {
    return this.view(await this.one(id), (await this.mails.latestFor('victim_notification', id))?.status);
  }

  private async decide(
    user: SignedInUser,
    id: string,
    status: VictimNotificationStatus,
    channel: VictimNotification['channel'],
    note: string,
    action: string,
  ): Promise<VictimNotificationView> {
    await this.dataSource.transaction(async (manager) => {
      const sealed = this.cipher.seal(note, noteContext(id));
      // A notification still "sending" may be closed this way too: the advocate checked with her.
      const [, changed] = await manager.query<[unknown[], number]>(
        `UPDATE victim_notifications SET status = $2, channel = COALESCE($3, channel), decided_by_id = $4, decided_at = now(),
                note_key_id = $5, note_wrapped_key = $6, note_ciphertext = $7, updated_at = now()
          WHERE id = $1 AND status IN ('pending', 'failed', 'sending')`,
        [id, status, channel, user.id, sealed.keyId, sealed.wrappedKey, sealed.ciphertext],
      );
      if (changed === 0) throw this.notOpen((await this.one(id, manager)).status);
      // She was reached another way: an e-mail still waiting to go is not sent after all.
      const withdrawn = await this.mails.withdraw(manager, 'victim_notification', id);
      await this.audit.record(
        {
          action,
          recordType: 'victim_notification',
          recordId: id,
          details: { channel, ...(withdrawn ? { withdrawnMails: withdrawn } : {}) },
        },
        manager,
      );
    });
    return this.get(id);
  }

  private notOpen(status: VictimNotificationStatus): ConflictError {
    if (status === VictimNotificationStatus.Sending) {
      return new ConflictError(
        'SEND_OUTCOME_UNKNOWN',
        'An e-mail for this notification is on its way or its outcome is unknown; check with her, then record or skip it',
        { status },
      );
    }
    return new ConflictError('NOTIFICATION_CLOSED', `This notification is already ${status}`, { status });
  }

  private async one(id: string, manager?: EntityManager): Promise<NotificationRow> {
    const row = (await this.rows('vn.id = $1', [id], '', manager)).at(0);
    if (!row) throw new NotFoundError('victim_notification');
    return row;
  }

  private rows(
    where: string,
    params: unknown[],
    tail: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationRow[]> {
    return manager.query<NotificationRow[]>(
      `SELECT vn.id, vn.referral_id, r.case_number, pa.first_name || ' ' || pa.last_name AS participant_name, r.status_changed_at,
              vn.protected_party_id, pp.key_id AS party_key_id, pp.wrapped_key AS party_wrapped_key, pp.ciphertext AS party_ciphertext,
              vn.event, vn.ask_first, vn.due_at, vn.status, vn.channel, vn.attempts, vn.last_error, vn.note_key_id, vn.note_wrapped_key, vn.note_ciphertext,
              vn.decided_at, vn.created_at, count(*) OVER ()::int AS total
         FROM victim_notifications vn
         JOIN referrals r ON r.id = vn.referral_id
         JOIN participants pa ON pa.id = r.participant_id
         JOIN protected_parties pp ON pp.id = vn.protected_party_id
        WHERE ${where} ${tail}`,
      params,
    );
  }

  private view(row: NotificationRow, mailStatus: MailStatus | undefined): VictimNotificationView {
    const party = this.cipher.open<ProtectedPartyDetails>(
      { keyId: row.party_key_id, wrappedKey: row.party_wrapped_key, ciphertext: row.party_ciphertext },
      partyContext(row.protected_party_id, row.referral_id),
    );
    const note =
      row.note_key_id && row.note_wrapped_key && row.note_ciphertext
        ? this.cipher.open<string>(
            { keyId: row.note_key_id, wrappedKey: row.note_wrapped_key, ciphertext: row.note_ciphertext },
            noteContext(row.id),
          )
        : null;
    return {
      id: row.id,
      referralId: row.referral_id,
      caseNumber: row.case_number,
      participantName: row.participant_name,
      protectedPartyId: row.protected_party_id,
      protectedPartyName: party.name,
      preferredChannel: party.preferredChannel,
      hasEmail: Boolean(party.email),
      event: row.event,
      askFirst: row.ask_first,
      dueAt: row.due_at,
      due: dueState(row.due_at, OPEN.includes(row.status), new Date(), this.config.programTimeZone),
      status: row.status,
      channel: row.channel,
      attempts: row.attempts,
      lastError: row.last_error,
      delivery: victimNotificationDelivery(row.status, mailStatus),
      note,
      decidedAt: row.decided_at,
      createdAt: row.created_at,
    };
  }
}
