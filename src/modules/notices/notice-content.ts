import { ComplianceEventKind as Kind, PROGRAM_DECISION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { usDate } from '../../common/dates';
import { eventLabel, REFERRAL_STATUS_LABELS } from '../../common/program/labels';
import { NoticePurpose, NoticeRecipientKind } from './notice-status.enum';

/** Everything a notice says, gathered by one query and shaped for templates and the letter. */
export interface NoticeContent {
  noticeId: string;
  purpose: NoticePurpose;
  subject: string;
  headline: string;
  programName: string;
  recipientName: string;
  recipientKind: NoticeRecipientKind;
  caseNumber: string;
  participantName: string;
  dateOfBirth: string;
  courtName: string;
  policyName: string;
  policyVersion: number;
  clause: string;
  facts: Array<{ label: string; value: string }>;
  /** The letter's date: the day of the crossing for the event's own notice, today for a reminder or a chase. */
  letterDate: string;
  /** When the event happened (the session he missed), as the court reads dates. */
  occurredOn: string;
  dueBy: string | null;
  isReminder: boolean;
  isCorrection: boolean;
  remindsSentOn: string | null;
  appUrl: string;
  eventKind: Kind;
  /** Completion notices carry a certificate. */
  certificate: { sessionsAttended: number; completedOn: string } | null;
}

export interface NoticeContentRow {
  id: string;
  purpose: NoticePurpose;
  recipient_kind: NoticeRecipientKind;
  due_by: Date;
  recipient_email: string;
  /** Where its delivery stands, read with the content so the render job needs no read of its own. */
  notice_status: string;
  rendered_at: Date | null;
  attempts: number;
  next_attempt_at: Date;
  kind: Kind;
  threshold_key: string;
  facts: Record<string, unknown>;
  occurred_on: string;
  corrected_kind: Kind | null;
  case_number: string;
  enroll_by: string;
  complete_by: string;
  status: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  court_name: string;
  officer_name: string;
  policy_name: string;
  policy_version: number;
  program_name: string | null;
  reminds_sent_at: Date | null;
}

/** The response clock's notices say what is missing before what happened. */
const RESPONSE_CHASE: Partial<Record<NoticePurpose, { subject: string; headline: string }>> = {
  [NoticePurpose.ResponseReminder]: {
    subject: 'No response recorded',
    headline: 'No response to this notice has been recorded in Throughline yet; please record what was done.',
  },
  [NoticePurpose.ProbationResponseEscalation]: {
    subject: 'Escalation: probation has not responded',
    headline: 'Probation has recorded no response to this violation within twice the policy’s time.',
  },
  [NoticePurpose.CourtResponseEscalation]: {
    subject: 'Escalation: the court has not responded',
    headline: 'The court has recorded no response to this violation within twice the policy’s time.',
  },
};

const FACT_LABELS: Record<string, string> = {
  absences: 'Absences (excused + unexcused)',
  unexcusedAbsences: 'Unexcused absences',
  consecutiveAbsences: 'Absences in a row',
  limit: 'Policy limit',
  since: 'Since',
  sessionDate: 'Session',
  days: 'Days without attendance',
  lastAttendedOn: 'Last attended',
  sessionsAttended: 'Sessions attended',
  sessionsRequired: 'Sessions required',
  sessionsRemaining: 'Sessions still required',
  weeksLeft: 'Weeks left before complete-by',
  dueOn: 'Report due on',
  reason: 'Reason',
  enrollBy: 'Enroll by',
  completeBy: 'Complete by',
  groupName: 'Group',
  fromGroup: 'From group',
  schedule: 'Meets',
  startDate: 'Starts on',
  fromLevel: 'Level before',
  toLevel: 'Level now',
  assessedOn: 'Assessed on',
};

/** An event's facts with their labels, in the labels' order (jsonb does not keep the order they were written in). */
export function eventFacts(facts: Record<string, unknown>): Array<{ label: string; value: string }> {
  const written = withUsDates(facts);
  return Object.keys(FACT_LABELS)
    .filter((key) => written[key] !== null && written[key] !== undefined)
    .map((key) => ({ label: FACT_LABELS[key], value: String(written[key]) }));
}

/** The facts that are calendar days, written as the court reads them. */
const DATE_FACTS = [
  'since',
  'sessionDate',
  'lastAttendedOn',
  'dueOn',
  'enrollBy',
  'completeBy',
  'startDate',
  'assessedOn',
  'levelCompleteBy',
];

function withUsDates(facts: Record<string, unknown>): Record<string, unknown> {
  const written = { ...facts };
  for (const key of DATE_FACTS) if (typeof written[key] === 'string') written[key] = usDate(written[key]);
  return written;
}

/* eslint-disable @typescript-eslint/restrict-template-expressions, @typescript-eslint/no-base-to-string -- an event's facts are the JSON its rule wrote: counts, dates and names */
export function headlineFor(kind: Kind, name: string, rawFacts: Record<string, unknown>, correctedKind: Kind | null): string {
  const facts = withUsDates(rawFacts);
  switch (kind) {
    case Kind.FailedToEnroll:
      return `${name} did not enroll by ${facts.enrollBy}.`;
    case Kind.AbsenceLimitExceeded:
      return facts.unexcusedAbsences !== undefined
        ? `${name} has ${facts.unexcusedAbsences} unexcused absences, over the limit of ${facts.limit}.`
        : `${name} has ${facts.absences} absences, over the limit of ${facts.limit}.`;
    case Kind.ConsecutiveAbsences:
      return `${name} has missed ${facts.consecutiveAbsences} sessions in a row since ${facts.since}.`;
    case Kind.NoAttendance:
      return `${name} has not attended for ${facts.days} days.`;
    case Kind.RemovedForBehaviour:
      return `${name} was removed from the session of ${facts.sessionDate} for behavior.`;
    case Kind.CompletionDeadlineMissed:
      return `${name} did not complete the program by ${facts.completeBy}.`;
    case Kind.Terminated:
      return `${name} has been terminated from the program.`;
    case Kind.Completed:
      return `${name} has completed the program.`;
    case Kind.ProgressReportDue:
      return `Progress report for ${name}.`;
    case Kind.AtRisk:
      return `${name} can no longer finish the required sessions before ${facts.completeBy} at one session a week.`;
    case Kind.Reinstated:
      return `${name} was reinstated by the program and continues in his group: ${facts.reason}.`;
    case Kind.Closed:
      return `The program closed the order for ${name}: ${facts.reason}.`;
    case Kind.Enrolled:
      return `${name} is enrolled in ${facts.groupName}, starting ${facts.startDate}.`;
    case Kind.Transferred:
      return `${name} moved from ${facts.fromGroup} to ${facts.groupName}, starting ${facts.startDate}.`;
    case Kind.LevelChanged:
      return `A new assessment places ${name} at ${facts.toLevel} (was ${facts.fromLevel}): ${facts.sessionsRequired} sessions, to be completed by ${facts.levelCompleteBy}. Reason: ${facts.reason}.`;
    case Kind.Corrected:
      return `The earlier notice (${correctedKind ? eventLabel(correctedKind).toLowerCase() : 'compliance event'}) about ${name} is withdrawn: the attendance record was corrected.`;
  }
}
/* eslint-enable @typescript-eslint/restrict-template-expressions, @typescript-eslint/no-base-to-string */

export function buildNoticeContent(row: NoticeContentRow, appUrl: string, today: string, timeZone: string): NoticeContent {
  const participantName = `${row.first_name} ${row.last_name}`;
  const isReminder = row.purpose === NoticePurpose.Reminder;
  const chase = RESPONSE_CHASE[row.purpose] ?? null;
  const title = eventLabel(row.kind, row.threshold_key, row.facts);
  const facts = [{ label: 'Date of the event', value: usDate(row.occurred_on) }, ...eventFacts(row.facts)];
  facts.push(
    { label: 'Enroll by', value: usDate(row.enroll_by) },
    { label: 'Complete by', value: usDate(row.complete_by) },
    { label: 'Referral status', value: (REFERRAL_STATUS_LABELS as Partial<Record<string, string>>)[row.status] ?? row.status },
  );
  return {
    noticeId: row.id,
    purpose: row.purpose,
    subject: `${isReminder ? 'Reminder: ' : ''}${chase ? `${chase.subject}: ` : ''}${title} — case ${row.case_number}`,
    headline: `${chase ? `${chase.headline} ` : ''}${headlineFor(row.kind, participantName, row.facts, row.corrected_kind)}`,
    programName: row.program_name ?? 'Throughline intervention program',
    recipientName: recipientName(row),
    recipientKind: row.recipient_kind,
    caseNumber: row.case_number,
    participantName,
    dateOfBirth: usDate(row.date_of_birth),
    courtName: row.court_name,
    policyName: row.policy_name,
    policyVersion: row.policy_version,
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a clause in the facts is text
    clause: String(row.facts.clause ?? title.toLowerCase()),
    facts,
    // The letter about a 5 Nov absence is dated 5 Nov, however late the mark was typed in.
    letterDate: usDate(isReminder || chase ? today : row.occurred_on),
    occurredOn: usDate(row.occurred_on),
    dueBy:
      row.kind === Kind.ProgressReportDue || row.kind === Kind.Completed || PROGRAM_DECISION_KINDS.includes(row.kind)
        ? null
        : usDate(row.due_by, { timeZone }),
    isReminder,
    isCorrection: row.kind === Kind.Corrected,
    remindsSentOn: row.reminds_sent_at ? usDate(row.reminds_sent_at, { timeZone }) : null,
    appUrl,
    eventKind: row.kind,
    certificate:
      row.kind === Kind.Completed
        ? { sessionsAttended: Number(row.facts.sessionsAttended ?? 0), completedOn: usDate(row.occurred_on) }
        : null,
  };
}

function recipientName(row: NoticeContentRow): string {
  switch (row.recipient_kind) {
    case NoticeRecipientKind.ProbationOfficer:
      return `${row.officer_name}, probation officer`;
    case NoticeRecipientKind.Court:
      return `Clerk of Court, ${row.court_name}`;
    case NoticeRecipientKind.Coordinator:
      return 'CCR coordinator';
    default:
      return 'Program administrator';
  }
}

export const NOTICE_CONTENT_QUERY = `
  SELECT n.id, n.purpose, n.recipient_kind, n.due_by, n.recipient_email,
         n.status AS notice_status, n.rendered_at, n.attempts, n.next_attempt_at, e.kind, e.threshold_key, e.facts, e.occurred_on::text AS occurred_on, ce.kind AS corrected_kind,
         r.case_number, r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by, r.status,
         p.first_name, p.last_name, p.date_of_birth::text AS date_of_birth, court.name AS court_name, po.name AS officer_name,
         pol.name AS policy_name, pol.version AS policy_version,
         (SELECT a.name FROM agencies a WHERE a.kind = 'program' ORDER BY a.created_at LIMIT 1) AS program_name,
         (SELECT o.sent_at FROM notices o WHERE o.id = n.reminds_notice_id) AS reminds_sent_at
    FROM notices n
    JOIN compliance_events e ON e.id = n.event_id
    LEFT JOIN compliance_events ce ON ce.id = e.corrects_event_id
    JOIN referrals r ON r.id = n.referral_id
    JOIN participants p ON p.id = r.participant_id
    JOIN agencies court ON court.id = r.court_agency_id
    JOIN users po ON po.id = r.probation_officer_id
    JOIN policies pol ON pol.id = r.policy_id
   WHERE n.id = $1`;
