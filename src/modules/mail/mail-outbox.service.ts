import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '../../config/field-cipher';
import { MailKind, MailStatus } from './mail-kind';
import { OutboxTransaction } from './outbox-transaction';

export interface MailToSend {
  kind: MailKind;
  /** The record the mail is about (invitation, reset, agency, victim notification). */
  refId: string;
  /** Sealed at rest; never in Redis, job data or logs. */
  to: string;
  subject: string;
  /** Sealed at rest and wiped once the mail is finished: it may hold a single-use link. */
  text: string;
  html?: string;
  replyTo?: string;
}

/** What the sealed box of a mail holds. */
export type SealedMail = Pick<MailToSend, 'to' | 'subject' | 'text' | 'html' | 'replyTo'>;

export interface MailState {
  id: string;
  status: MailStatus;
  attempts: number;
  sentAt: Date | null;
  lastResponse: string | null;
  createdAt: Date;
}

export const sealedMailContext = (mailId: string) => `outgoing_mail:${mailId}`;

/** Writing a mail is part of the change that causes it: the row is the promise to send it. */
@Injectable()
export class MailOutbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** Inside the caller's OutboxTransaction; queued after it commits. Returns the mail's id. */
  async add(manager: EntityManager, mail: MailToSend): Promise<string> {
    const id = randomUUID();
    const sealed: SealedMail = { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, replyTo: mail.replyTo };
    const box = this.cipher.seal(sealed, sealedMailContext(id));
    await manager.query(`INSERT INTO outgoing_mails (id, kind, ref_id, key_id, wrapped_key, ciphertext) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      mail.kind,
      mail.refId,
      box.keyId,
      box.wrappedKey,
      box.ciphertext,
    ]);
    OutboxTransaction.enlist(manager, [id], 'mails');
    return id;
  }

  /**
   * Takes back mails about a record that no worker holds yet (the reason for them is gone): they
   * are marked dead with their words wiped. A mail being sent right now cannot be taken back.
   */
  async withdraw(manager: EntityManager, kind: MailKind, refId: string): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE outgoing_mails SET status = 'dead', last_response = 'Withdrawn before it was sent', key_id = NULL, wrapped_key = NULL, ciphertext = NULL, updated_at = now()
        WHERE kind = $1 AND ref_id = $2 AND status IN ('pending', 'failed')`,
      [kind, refId],
    );
    return count;
  }

  /** The latest mail of a kind about one record, for the page that shows whether it went. */
  async latestFor(kind: MailKind, refId: string): Promise<MailState | null> {
    return (await this.latestForMany(kind, [refId])).get(refId) ?? null;
  }

  async latestForMany(kind: MailKind, refIds: string[]): Promise<Map<string, MailState>> {
    if (refIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      Array<{
        ref_id: string;
        id: string;
        status: MailStatus;
        attempts: number;
        sent_at: Date | null;
        last_response: string | null;
        created_at: Date;
      }>
    >(
      `SELECT DISTINCT ON (ref_id) ref_id, id, status, attempts, sent_at, last_response, created_at
         FROM outgoing_mails WHERE kind = $1 AND ref_id = ANY($2::uuid[])
        ORDER BY ref_id, created_at DESC, id DESC`,
      [kind, refIds],
    );
    return new Map(
      rows.map((row) => [
        row.ref_id,
        {
          id: row.id,
          status: row.status,
          attempts: row.attempts,
          sentAt: row.sent_at,
          lastResponse: row.last_response,
          createdAt: row.created_at,
        },
      ]),
    );
  }
}
