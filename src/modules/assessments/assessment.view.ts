import { Role } from '../../common/auth/role.enum';
import { AssessmentFactorAnswer } from './referral-assessment.entity';

export interface AssessmentRow {
  id: string;
  level_key: string;
  level_name: string;
  required_sessions: number;
  complete_within_months: number;
  factors: AssessmentFactorAnswer[];
  reason: string;
  assessed_by: string;
  assessed_on: string;
  supersedes_id: string | null;
  recorded_by_name: string | null;
  recorded_at: Date;
  superseded: boolean;
}

/** What probation and the court are told: the level, when, and why. */
export interface AssessmentSummary {
  id: string;
  levelKey: string;
  levelName: string;
  requiredSessions: number;
  completeWithinMonths: number;
  assessedOn: string;
  reason: string;
  /** A later assessment took its place. */
  superseded: boolean;
}

/** The program's own record adds the factors and who assessed and recorded it. */
export interface AssessmentView extends AssessmentSummary {
  factors: AssessmentFactorAnswer[];
  assessedBy: string;
  supersedesId: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

export function toAssessmentView(row: AssessmentRow, viewer: Role): AssessmentSummary | AssessmentView {
  const summary: AssessmentSummary = {
    id: row.id,
    levelKey: row.level_key,
    levelName: row.level_name,
    requiredSessions: row.required_sessions,
    completeWithinMonths: row.complete_within_months,
    assessedOn: row.assessed_on,
    reason: row.reason,
    superseded: row.superseded,
  };
  if (viewer !== Role.Admin) return summary;
  return {
    ...summary,
    factors: row.factors,
    assessedBy: row.assessed_by,
    supersedesId: row.supersedes_id,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}
