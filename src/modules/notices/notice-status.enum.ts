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
  /** The CCR coordinator, told when an agency let a violation go unanswered. */
  Coordinator = 'coordinator',
}

export enum NoticePurpose {
  Event = 'event',
  /** Escalation of an unacknowledged notice. */
  Reminder = 'reminder',
  /** The response clock: no response recorded within the policy's business days; to the recipient. */
  ResponseReminder = 'response_reminder',
  /** A second period without a response from probation: to the program admin and the coordinator. */
  ProbationResponseEscalation = 'probation_response_escalation',
  /** A second period without a response from the court: to the program admin and the coordinator. */
  CourtResponseEscalation = 'court_response_escalation',
}

/** The response clock's notices: they chase a response, not an acknowledgement. */
export const RESPONSE_CLOCK_PURPOSES: readonly NoticePurpose[] = [
  NoticePurpose.ResponseReminder,
  NoticePurpose.ProbationResponseEscalation,
  NoticePurpose.CourtResponseEscalation,
];

export const UNDELIVERED_STATUSES = [NoticeStatus.Pending, NoticeStatus.Sending, NoticeStatus.Failed];
