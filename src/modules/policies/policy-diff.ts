import { Policy, VictimNotificationRule } from './policy.entity';

/** The fields of a version that are its rules (and its name and source), in the order a reader checks them. */
export const POLICY_RULE_FIELDS = [
  'name',
  'source',
  'requiredSessions',
  'sessionMinutes',
  'enrollWithinDays',
  'completeWithinMonths',
  'maxAbsences',
  'maxUnexcusedAbsences',
  'maxConsecutiveAbsences',
  'noAttendanceDays',
  'leftEarlyCounts',
  'feesRequired',
  'progressReportEveryDays',
  'progressReportDayOfMonth',
  'violationReportBusinessDays',
  'escalateAfterBusinessDays',
  'probationResponseBusinessDays',
  'courtResponseBusinessDays',
  'victimNotification',
  'victimNoticeEnrollmentBusinessDays',
  'victimNoticeDischargeHours',
  'protectedPartyAdminAccess',
] as const;

export type PolicyRuleField = (typeof POLICY_RULE_FIELDS)[number];
export type PolicyRules = Pick<Policy, PolicyRuleField>;

const VICTIM_NOTIFICATION_WORDS: Record<VictimNotificationRule, string> = {
  none: 'not told',
  on_request: 'told if she asked to be',
  unless_declined: 'told unless she declined',
};

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Each field's label and how its value reads, in the program's words. */
export const POLICY_FIELD_WORDS: Record<PolicyRuleField, { label: string; value: (value: never) => string }> = {
  name: { label: 'Name', value: (value: string) => value },
  source: { label: 'Where the rules come from', value: (value: string | null) => value || 'not given' },
  requiredSessions: { label: 'Sessions required', value: (value: number) => plural(value, 'session') },
  sessionMinutes: { label: 'Length of a session', value: (value: number) => plural(value, 'minute') },
  enrollWithinDays: { label: 'Enroll within', value: (value: number) => `${plural(value, 'day')} of the order` },
  completeWithinMonths: { label: 'Complete within', value: (value: number) => plural(value, 'month') },
  maxAbsences: { label: 'Absences allowed, excused or not', value: (value: number) => String(value) },
  maxUnexcusedAbsences: { label: 'Unexcused absences allowed', value: (value: number) => String(value) },
  maxConsecutiveAbsences: { label: 'Absences in a row allowed', value: (value: number) => String(value) },
  noAttendanceDays: { label: 'Days without attending before a notice', value: (value: number) => plural(value, 'day') },
  leftEarlyCounts: { label: 'A session left early counts as attended', value: yesNo },
  feesRequired: { label: 'Fees must be paid to complete', value: yesNo },
  progressReportEveryDays: { label: 'Progress report every', value: (value: number) => plural(value, 'day') },
  progressReportDayOfMonth: {
    label: 'Progress report due on a day of the month',
    value: (value: number | null) => (value === null ? 'no (every so many days)' : `the ${ordinal(value)}`),
  },
  violationReportBusinessDays: {
    label: 'Violations reported within',
    value: (value: number) => (value === 0 ? 'immediately' : plural(value, 'business day')),
  },
  escalateAfterBusinessDays: { label: 'Unacknowledged notices escalated after', value: (value: number) => plural(value, 'business day') },
  probationResponseBusinessDays: {
    label: 'Probation’s time to respond to a violation',
    value: (value: number) => plural(value, 'business day'),
  },
  courtResponseBusinessDays: {
    label: 'The court’s time to respond to a violation',
    value: (value: number) => plural(value, 'business day'),
  },
  victimNotification: {
    label: 'The protected party, at the end',
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a value stored before this build's words for it is shown as it is
    value: (value: VictimNotificationRule) => VICTIM_NOTIFICATION_WORDS[value] ?? value,
  },
  victimNoticeEnrollmentBusinessDays: {
    label: 'The protected party told of his enrollment within',
    value: (value: number | null) => (value === null ? 'no deadline' : plural(value, 'business day')),
  },
  victimNoticeDischargeHours: {
    label: 'The protected party told of his completion or termination within',
    value: (value: number | null) => (value === null ? 'no deadline' : plural(value, 'hour')),
  },
  protectedPartyAdminAccess: { label: 'Program admins may read protected-party details', value: yesNo },
};

function ordinal(day: number): string {
  const suffix = day % 100 >= 11 && day % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th');
  return `${day}${suffix}`;
}

export interface PolicyChange {
  field: PolicyRuleField;
  label: string;
  before: string;
  after: string;
  /** "Unexcused absences allowed: raised from 2 to 3." */
  sentence: string;
}

export function describeValue(field: PolicyRuleField, value: unknown): string {
  return (POLICY_FIELD_WORDS[field].value as (value: unknown) => string)(value);
}

/** What a version changed from the one before it, field by field, in plain words; [] when nothing did. */
export function policyChanges(before: PolicyRules, after: PolicyRules): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const field of POLICY_RULE_FIELDS) {
    // An empty source is no source: the form sends '' where the API may have stored null.
    const from = before[field] === '' ? null : (before[field] ?? null);
    const to = after[field] === '' ? null : (after[field] ?? null);
    if (from === to) continue;
    const label = POLICY_FIELD_WORDS[field].label;
    const beforeText = describeValue(field, from);
    const afterText = describeValue(field, to);
    const verb = typeof from === 'number' && typeof to === 'number' ? (to > from ? 'raised' : 'lowered') : 'changed';
    changes.push({ field, label, before: beforeText, after: afterText, sentence: `${label}: ${verb} from ${beforeText} to ${afterText}.` });
  }
  return changes;
}
