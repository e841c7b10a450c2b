import { AttendanceCounts } from './attendance-counts';

export interface AbsenceLimits {
  maxAbsences: number;
  maxUnexcusedAbsences: number;
  maxConsecutiveAbsences: number;
}

/**
 * What a facilitator should know before marking: a limit already crossed, or one more absence
 * away. A limit is crossed when the count goes past the policy's maximum.
 */
export function limitWarnings(counts: AttendanceCounts, limits: AbsenceLimits): string[] {
  const warnings: string[] = [];
  const check = (label: string, count: number, max: number) => {
    if (count > max) warnings.push(`${label}: ${count}, over the limit of ${max}`);
    else if (count === max) warnings.push(`${label}: ${count} of ${max} — one more crosses the limit`);
  };
  check('Absences', counts.absences, limits.maxAbsences);
  check('Unexcused absences', counts.unexcusedAbsences, limits.maxUnexcusedAbsences);
  check('Absences in a row', counts.consecutiveAbsences, limits.maxConsecutiveAbsences);
  return warnings;
}
