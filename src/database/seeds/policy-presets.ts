import { PolicyFieldsDto } from '../../modules/policies/policy-fields.dto';

export interface PolicyPreset extends PolicyFieldsDto {
  key: string;
}

/**
 * The response clock: no statute we know of sets these. Local choices, editable (an edit makes a
 * new version): 10 business days for probation to file or decide; about 30 calendar days (22
 * business days) to a compliance hearing, the interval at which NIJ found compliance hearings
 * raised completion from under 50% to 65%. Every preset keeps it.
 */
const RESPONSE_CLOCK = { probationResponseBusinessDays: 10, courtResponseBusinessDays: 22 };

/** Duluth's figures, which the Florida preset starts from (its type keeps which fields it sets). */
export const DULUTH_PRESET = {
  // Domestic Abuse Intervention Programs (Duluth), "Creating a Process of Change for Men Who
  // Batter": eight Equality Wheel themes of three weeks each = 24 sessions, rolling enrollment.
  // Enroll within 14 days and finish within 9 months are local choices (POLICIES.md, bold);
  // 2 consecutive absences trigger the non-compliance letter.
  key: 'duluth-24',
  name: 'Duluth 24-session program',
  source: 'DAIP Duluth curriculum (8 themes × 3 sessions); local adaptation per POLICIES.md',
  requiredSessions: 24,
  sessionMinutes: 90,
  enrollWithinDays: 14,
  completeWithinMonths: 9,
  maxAbsences: 3,
  maxUnexcusedAbsences: 2,
  maxConsecutiveAbsences: 2,
  noAttendanceDays: 14,
  progressReportEveryDays: 30,
  violationReportBusinessDays: 2,
  feesRequired: false,
  leftEarlyCounts: false,
  escalateAfterBusinessDays: 3,
  ...RESPONSE_CLOCK,
  // Duluth is in Minnesota: 518B.02 has the victim notified unless she declines (POLICIES.md).
  victimNotification: 'unless_declined',
} satisfies PolicyPreset;

/**
 * Presets from ../shared/POLICIES.md; where a figure is local, the preset takes the value shown
 * there in bold and stays editable (an edit makes a new version).
 */
export const POLICY_PRESETS: PolicyPreset[] = [
  {
    // California Penal Code § 1203.097(a)(6)-(11): 52 weekly sessions of at least two hours;
    // enrollment within 30 days of sentencing; progress reports at least every three months;
    // no more than three absences, for good cause; violations reported "immediately".
    // Complete-within 18 months is the figure the statewide practice uses (POLICIES.md).
    key: 'ca-pc-1203-097',
    name: 'California PC 1203.097 (52 weeks)',
    source: 'California Penal Code § 1203.097; California State Auditor report 2021-113',
    requiredSessions: 52,
    sessionMinutes: 120,
    enrollWithinDays: 30,
    completeWithinMonths: 18,
    maxAbsences: 3,
    maxUnexcusedAbsences: 3,
    maxConsecutiveAbsences: 2,
    noAttendanceDays: 14,
    progressReportEveryDays: 90,
    violationReportBusinessDays: 0,
    feesRequired: true,
    leftEarlyCounts: false,
    escalateAfterBusinessDays: 2,
    ...RESPONSE_CLOCK,
  },
  DULUTH_PRESET,
  {
    // Texas BIPP: TDCJ-CJAD "Battering Intervention and Prevention Program Accreditation
    // Guidelines" (sections Program Duration, Exits, Reporting Requirements; authority Texas Code
    // of Criminal Procedure art. 42.141). At least 18 weeks / 36 hours: 24 sessions of 90 minutes
    // is the common contract. Intake within 7 working days (~10 calendar days); monthly progress
    // reports by the 10th; no-shows and violations reported within 24 hours (next working day).
    // Completion window and absence limits are local: 12 months and the Duluth-style limits.
    key: 'tx-bipp',
    name: 'Texas BIPP (TDCJ-CJAD guidelines)',
    source: 'TDCJ-CJAD BIPP Accreditation Guidelines; Tex. Code Crim. Proc. art. 42.141',
    requiredSessions: 24,
    sessionMinutes: 90,
    enrollWithinDays: 10,
    completeWithinMonths: 12,
    maxAbsences: 3,
    maxUnexcusedAbsences: 3,
    maxConsecutiveAbsences: 2,
    noAttendanceDays: 14,
    progressReportEveryDays: 30,
    progressReportDayOfMonth: 10,
    violationReportBusinessDays: 1,
    feesRequired: false,
    leftEarlyCounts: false,
    escalateAfterBusinessDays: 2,
    ...RESPONSE_CLOCK,
  },
  {
    // Florida: § 741.325 sets at least 29 weeks including 24 weekly sessions, and the participant
    // pays the fees (POLICIES.md). Florida Administrative Code 65H-2.016 has the program tell the
    // victim within 3 business days of his enrollment and within 24 hours of his discharge
    // (completion or termination): the victim-notification clocks below. The session length,
    // enrollment and completion windows and absence limits are local choices, as in the Duluth
    // preset it is built from, editable (an edit makes a new version); 8 months holds the 29 weeks
    // with room.
    ...DULUTH_PRESET,
    key: 'fl-741-325',
    name: 'Florida § 741.325 (29 weeks)',
    source: 'Florida Statutes § 741.325; Fla. Admin. Code 65H-2.016 (victim notification)',
    completeWithinMonths: 8,
    feesRequired: true,
    victimNotification: 'unless_declined',
    victimNotificationEvents: ['enrolled', 'completed', 'terminated'],
    victimNoticeEnrollmentBusinessDays: 3,
    victimNoticeDischargeHours: 24,
  },
  {
    // Washington, chapter 388-60B WAC (domestic violence intervention treatment program standards).
    // WAC 388-60B-0400: an interview and behavioral assessment before any level of treatment, to
    // set the level of risk, needs and responsivity and the level of treatment; it must include a
    // screening interview, collateral information from third parties, his legal history and a
    // summary of standardized tests (0400(4)): those are the assessment's factors here.
    // WAC 388-60B-0420(3): at least 6 / 9 / 12 / 18 months of consecutive weekly sessions for
    // levels one to four. Sessions are weekly, so each level's required sessions are its months
    // in whole weeks: 26 / 39 / 52 / 78 (half a year, three quarters, a year, a year and a half
    // of weeks), each exactly what fits at one a week (30.4 days a month), so a man who never
    // misses a week finishes on time and one who misses any must make it up before complete-by.
    // Until he is assessed the order carries level four's figures: no deadline or at-risk notice
    // can reach the court early because an assessment was late; the level then sets them.
    // 0420(4): a break over 30 days needs approval and is reported (noAttendanceDays 30).
    // Noncompliance is reported within 7 days: 4 business days stays within 7 calendar days
    // even with a holiday in the week. Enrollment window and absence limits are local choices.
    key: 'wa-wac-388-60b',
    name: 'Washington WAC 388-60B (levels 1-4)',
    source: 'WAC 388-60B-0400 (assessment), WAC 388-60B-0420(3) (minimum treatment periods by level), WAC 388-60B-0420(4) (breaks)',
    requiredSessions: 78,
    sessionMinutes: 90,
    enrollWithinDays: 30,
    completeWithinMonths: 18,
    maxAbsences: 3,
    maxUnexcusedAbsences: 2,
    maxConsecutiveAbsences: 2,
    noAttendanceDays: 30,
    progressReportEveryDays: 30,
    violationReportBusinessDays: 4,
    feesRequired: false,
    leftEarlyCounts: false,
    escalateAfterBusinessDays: 3,
    ...RESPONSE_CLOCK,
    levels: [
      { key: '1', name: 'Level 1', requiredSessions: 26, completeWithinMonths: 6 },
      { key: '2', name: 'Level 2', requiredSessions: 39, completeWithinMonths: 9 },
      { key: '3', name: 'Level 3', requiredSessions: 52, completeWithinMonths: 12 },
      { key: '4', name: 'Level 4', requiredSessions: 78, completeWithinMonths: 18 },
    ],
    assessmentFactors: [
      'Behavioral assessment and screening interview',
      'Collateral information from third-party sources',
      'Legal history',
      'Standardized test results',
      'Risk, needs and responsivity',
    ],
  },
];
