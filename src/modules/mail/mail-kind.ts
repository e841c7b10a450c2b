/**
 * Every kind of mail that is not a compliance notice. Each goes through the same outbox as the
 * notices: written in the change's own transaction, queued after commit, claimed, sent once.
 */
export type MailKind = 'victim_notification' | 'invitation' | 'password_reset' | 'agency_test' | 'participant_message';

export enum MailStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  /** Refused for now (4xx or no connection): tried again with backoff. */
  Failed = 'failed',
  /** Refused for good (5xx or too many attempts). */
  Dead = 'dead',
  /** Handed over and not confirmed: the server may have it, so it is never resent blindly. */
  Unknown = 'unknown',
}

/** Finished: nothing more will be tried, and the sealed words are gone. */
export const FINISHED_MAIL_STATUSES: readonly MailStatus[] = [MailStatus.Sent, MailStatus.Dead, MailStatus.Unknown];
