import { DisparityFlag, Share, Spread } from './accountability-figures';

export type Agency = 'probation' | 'court';

/** One agency's (or all agencies') notices of the period's violations, timed from the crossing. */
export interface SwiftRow {
  agency: Agency | 'all';
  notices: number;
  /** Hours from the crossing to the notice reaching the agency (sent, or read in Throughline). */
  toNotice: Spread & { withinDeadline: Share };
  toAcknowledgement: Spread & { withinDeadline: Share };
  toFirstResponse: Spread & { withinDeadline: Share };
}

export interface SureRow {
  courtId: string | null;
  court: string;
  violations: number;
  /** Of the violations the court was told of, those with a court action recorded (hearing set or held, warrant). */
  courtAction: Share;
  /** Of all violations, those with no response from anyone. */
  noResponse: Share;
}

export interface UnansweredViolation {
  eventId: string;
  referralId: string;
  caseNumber: string;
  kind: string;
  court: string;
  crossedAt: string;
  crossedOn: string;
  daysWaiting: number;
}

export interface OutcomeRow {
  dimension: 'all' | 'policy' | 'group' | 'court' | 'language';
  value: string | null;
  label: string;
  /** Days from the order to his first enrollment's start, for enrollments starting in the period. */
  enrollmentDays: Spread;
  /** Of the orders whose enroll-by date passed in the period, those with a standing failure to enroll. */
  failedToEnroll: Share;
  /** Of the orders that ended in the period (completed or terminated), those completed … */
  completed: Share;
  /** … and those terminated. */
  terminated: Share;
  /** Sessions attended before termination (held sessions only), for terminations in the period. */
  sessionsBeforeTermination: Spread;
}

export interface DisparityRow {
  dimension: 'language' | 'group';
  value: string | null;
  label: string;
  failedToEnroll: Share;
  completed: Share;
  terminated: Share;
  courtAction: Share;
}

export interface TrendMonth {
  month: string;
  label: string;
  violations: number;
  medianHoursToFirstResponse: number | null;
  courtAction: Share;
  noResponse: Share;
  completed: Share;
  failedToEnroll: Share;
}

export interface AccountabilitySummary {
  period: { from: string; to: string; timeZone: string; trendFrom: string };
  filters: Record<string, string | null>;
  /** Whose orders: the whole program, or the user's own agency. */
  scope: 'program' | 'agency';
  violations: number;
  swift: SwiftRow[];
  sure: { overall: SureRow; byCourt: SureRow[]; unanswered: { items: UnansweredViolation[]; total: number; shown: number } };
  outcomes: { overall: OutcomeRow; byPolicy: OutcomeRow[]; byGroup: OutcomeRow[]; byCourt: OutcomeRow[] };
  disparity: {
    margin: number;
    minimumCount: number;
    byLanguage: DisparityRow[];
    byGroup: DisparityRow[];
    flags: Array<DisparityFlag & { dimension: 'language' | 'group'; rateName: string }>;
  };
  trends: TrendMonth[];
}
