import { AttendanceCounts } from '../compliance/attendance-counts';
import { feesSettledSql } from '../fees/fee-ledger.repository';
import { Role } from '../../common/auth/role.enum';
import { ReferralStatus } from '../../common/program/referral-status.enum';

export interface ReferralRow {
  id: string;
  case_number: string;
  status: ReferralStatus;
  status_reason: string | null;
  status_changed_at: Date;
  ordered_on: string;
  enroll_by: string;
  complete_by: string;
  fees_paid: boolean;
  participant_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  email: string | null;
  phone: string | null;
  language: string;
  court_agency_id: string;
  court_name: string;
  probation_officer_id: string;
  probation_officer_name: string;
  policy_id: string;
  policy_key: string;
  policy_version: number;
  policy_name: string;
  /** This order's (the assessed level's, or the policy's): read from the referral row. */
  required_sessions: number;
  level_key: string | null;
  fees_required: boolean;
}

/** The columns a ReferralRow is read with; alias r = referrals. */
export const REFERRAL_ROW_SELECT = `
  r.id, r.case_number, r.status, r.status_reason, r.status_changed_at, r.ordered_on::text AS ordered_on,
  r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by, ${feesSettledSql('r')} AS fees_paid,
  p.id AS participant_id, p.first_name, p.last_name, p.date_of_birth::text AS date_of_birth, p.email, p.phone, p.language,
  r.court_agency_id, court.name AS court_name, r.probation_officer_id, po.name AS probation_officer_name,
  r.policy_id, pol.key AS policy_key, pol.version AS policy_version, pol.name AS policy_name,
  r.required_sessions, r.level_key, pol.fees_required`;

export const REFERRAL_ROW_FROM = `
  referrals r
  JOIN participants p ON p.id = r.participant_id
  JOIN agencies court ON court.id = r.court_agency_id
  JOIN users po ON po.id = r.probation_officer_id
  JOIN policies pol ON pol.id = r.policy_id`;

/** One of his placements, as the referral and his history list them (oldest first). */
export interface EnrollmentHistoryEntry {
  id: string;
  groupId: string;
  groupName: string;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
}

export interface ReferralView {
  id: string;
  caseNumber: string;
  status: ReferralStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  orderedOn: string;
  enrollBy: string;
  completeBy: string;
  /** The sessions this order requires: the assessed level's, or the policy's without one. */
  requiredSessions: number;
  /** The level the latest intake assessment chose (null: not assessed, or a policy without levels). */
  levelKey: string | null;
  /** Derived from the fees ledger: nothing left to pay (a zero or credit balance, a waiver). */
  feesPaid?: boolean;
  participant: {
    id?: string;
    firstName: string;
    lastName: string;
    dateOfBirth?: string;
    email?: string | null;
    phone?: string | null;
    language?: string;
  };
  court: { id: string; name: string };
  probationOfficer?: { id: string; name: string };
  /** `requiredSessions` here is this order's too (the level's once assessed), as pages have always read it. */
  policy: { id: string; key: string; version: number; name: string; requiredSessions: number; feesRequired: boolean };
  enrollments?: EnrollmentHistoryEntry[];
  compliance?: Pick<
    AttendanceCounts,
    'sessionsRequired' | 'sessionsAttended' | 'absences' | 'unexcusedAbsences' | 'consecutiveAbsences'
  > & { lastAttendedOn?: string | null; removals?: number };
}

/** The reasons a court needs to read; others (e.g. "enrolled in <group>") are the program's business. */
const REASONS_FOR_THE_COURT = ['non_compliant', 'failed_to_enroll', 'terminated', 'closed', 'completed'];

/**
 * Court clerks see the case, not the man: his name for the caption, status, dates and counts —
 * no date of birth, contact, group or probation officer.
 */
export function toReferralView(row: ReferralRow, viewer: Role): ReferralView {
  const seesPersonalDetails = viewer === Role.Admin || viewer === Role.ProbationOfficer;
  if (!seesPersonalDetails) {
    return {
      id: row.id,
      caseNumber: row.case_number,
      status: row.status,
      statusReason: REASONS_FOR_THE_COURT.includes(row.status) ? row.status_reason : null,
      ...caseTermsOf(row),
      participant: { firstName: row.first_name, lastName: row.last_name },
      court: { id: row.court_agency_id, name: row.court_name },
      policy: policyOf(row),
    };
  }
  return {
    id: row.id,
    caseNumber: row.case_number,
    status: row.status,
    statusReason: row.status_reason,
    ...caseTermsOf(row),
    feesPaid: row.fees_paid,
    participant: {
      id: row.participant_id,
      firstName: row.first_name,
      lastName: row.last_name,
      dateOfBirth: row.date_of_birth,
      email: row.email,
      phone: row.phone,
      language: row.language,
    },
    court: { id: row.court_agency_id, name: row.court_name },
    probationOfficer: { id: row.probation_officer_id, name: row.probation_officer_name },
    policy: policyOf(row),
  };
}

/** The order's dates and terms: every viewer who may read the case reads the same ones. */
function caseTermsOf(
  row: ReferralRow,
): Pick<ReferralView, 'statusChangedAt' | 'orderedOn' | 'enrollBy' | 'completeBy' | 'requiredSessions' | 'levelKey'> {
  return {
    statusChangedAt: row.status_changed_at,
    orderedOn: row.ordered_on,
    enrollBy: row.enroll_by,
    completeBy: row.complete_by,
    requiredSessions: row.required_sessions,
    levelKey: row.level_key,
  };
}

function policyOf(row: ReferralRow): ReferralView['policy'] {
  return {
    id: row.policy_id,
    key: row.policy_key,
    version: row.policy_version,
    name: row.policy_name,
    requiredSessions: row.required_sessions,
    feesRequired: row.fees_required,
  };
}

/** Counts for everyone who may read the referral; the court gets the counts, not the dates. */
export function complianceBlock(counts: AttendanceCounts, viewer: Role): NonNullable<ReferralView['compliance']> {
  const forTheCourt = {
    sessionsRequired: counts.sessionsRequired,
    sessionsAttended: counts.sessionsAttended,
    absences: counts.absences,
    unexcusedAbsences: counts.unexcusedAbsences,
    consecutiveAbsences: counts.consecutiveAbsences,
  };
  if (viewer === Role.CourtClerk) return forTheCourt;
  return { ...forTheCourt, lastAttendedOn: counts.lastAttendedOn, removals: counts.removals };
}
