import { MailStatus } from '../mail/mail-kind';

/**
 * A notice goes through the same outbox as every other mail, so it passes the mail's delivery
 * states (pending, sending, sent; failed and retried; dead or unknown, shown to staff and never
 * resent blindly) and then one of its own: acknowledged by the agency it went to.
 */
export const NoticeStatus = { ...MailStatus, Acknowledged: 'acknowledged' } as const;
export type NoticeStatus = (typeof NoticeStatus)[keyof typeof NoticeStatus];

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
