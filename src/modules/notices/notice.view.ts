import { NoticePurpose, NoticeRecipientKind, NoticeStatus } from './notice-status.enum';

export interface NoticeRow {
  id: string;
  referral_id: string;
  case_number: string;
  event_id: string;
  event_kind: string;
  event_key: string;
  event_occurred_on: string;
  purpose: NoticePurpose;
  recipient_kind: NoticeRecipientKind;
  recipient_email: string;
  status: NoticeStatus;
  attempts: number;
  subject: string | null;
  due_by: Date;
  created_at: Date;
  sent_at: Date | null;
  acknowledged_at: Date | null;
  last_response: string | null;
  message_id: string | null;
  next_attempt_at: Date;
}

export const NOTICE_ROW_SELECT = `
  n.id, n.referral_id, r.case_number, n.event_id, e.kind AS event_kind, e.threshold_key AS event_key, e.occurred_on::text AS event_occurred_on, n.purpose, n.recipient_kind, n.recipient_email,
  n.status, n.attempts, n.subject, n.due_by, n.created_at, n.sent_at, n.acknowledged_at, n.last_response, n.message_id, n.next_attempt_at`;

export const NOTICE_ROW_FROM = `notices n JOIN compliance_events e ON e.id = n.event_id JOIN referrals r ON r.id = n.referral_id`;

export interface NoticeView {
  id: string;
  referralId: string;
  caseNumber: string;
  eventId: string;
  eventKind: string;
  /** The crossing's key (`unexcused:3`, `absences:4`): which absence limit it was. */
  eventKey: string;
  /** When the fact happened (e.g. the session he missed), not when the notice was written. */
  eventOccurredOn: string;
  purpose: NoticePurpose;
  recipientKind: NoticeRecipientKind;
  recipientEmail: string;
  status: NoticeStatus;
  attempts: number;
  subject: string | null;
  dueBy: Date;
  overdue: boolean;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
  acknowledgedAt: Date | null;
  messageId: string | null;
  /** The mail server's last answer: what staff need to resolve a dead notice. */
  lastResponse: string | null;
}

const DELIVERED = ['sent', 'acknowledged'];

export function toNoticeView(row: NoticeRow, now = new Date()): NoticeView {
  return {
    id: row.id,
    referralId: row.referral_id,
    caseNumber: row.case_number,
    eventId: row.event_id,
    eventKind: row.event_kind,
    eventKey: row.event_key,
    eventOccurredOn: row.event_occurred_on,
    purpose: row.purpose,
    recipientKind: row.recipient_kind,
    recipientEmail: row.recipient_email,
    status: row.status,
    attempts: row.attempts,
    subject: row.subject,
    dueBy: row.due_by,
    overdue: !DELIVERED.includes(row.status) && row.due_by < now,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.next_attempt_at,
    acknowledgedAt: row.acknowledged_at,
    messageId: row.message_id,
    lastResponse: row.last_response,
  };
}
