export enum NoticeStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  /** Refused for now (4xx or no connection); retried with backoff. */
  Failed = 'failed',
  /** Gave up (5xx or too many attempts): shown to staff until someone resolves it. */
  Dead = 'dead',
  /** The worker died after the SMTP server may have accepted it: shown to staff, never resent blindly. */
  Unknown = 'unknown',
  Acknowledged = 'acknowledged',
}

export enum NoticeRecipientKind {
  ProbationOfficer = 'probation_officer',
  Court = 'court',
  ProgramAdmin = 'program_admin',
}

export enum NoticePurpose {
  Event = 'event',
  /** Escalation of an unacknowledged notice. */
  Reminder = 'reminder',
}

export const UNDELIVERED_STATUSES = [NoticeStatus.Pending, NoticeStatus.Sending, NoticeStatus.Failed];
