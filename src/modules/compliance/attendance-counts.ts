import { AttendanceStatus } from '../../common/program/attendance-status.enum';

/** The facts of one mark that the rules need, oldest first. */
export interface MarkFact {
  date: string;
  status: AttendanceStatus;
}

export interface AttendanceCounts {
  sessionsRequired: number;
  sessionsAttended: number;
  /** Excused + unexcused (removal counts as unexcused). */
  absences: number;
  unexcusedAbsences: number;
  /** The current run of absences, ending at his latest mark. */
  consecutiveAbsences: number;
  /** The longest run of absences so far. */
  longestAbsenceRun: number;
  removals: number;
  lastAttendedOn: string | null;
}

export interface CountingPolicy {
  requiredSessions: number;
  leftEarlyCounts: boolean;
}

/** Whether a mark counts towards the required sessions under this policy. */
export function countsAsAttended(status: AttendanceStatus, policy: Pick<CountingPolicy, 'leftEarlyCounts'>): boolean {
  return (
    status === AttendanceStatus.Present ||
    status === AttendanceStatus.Late ||
    (status === AttendanceStatus.LeftEarly && policy.leftEarlyCounts)
  );
}

/**
 * A removal for behaviour is an absence without excuse: he did not receive the session.
 * Leaving early is neither attended (unless the policy says so) nor an absence.
 */
export function isAbsence(status: AttendanceStatus): boolean {
  return status === AttendanceStatus.AbsentExcused || status === AttendanceStatus.AbsentUnexcused || status === AttendanceStatus.Removed;
}

export function isUnexcusedAbsence(status: AttendanceStatus): boolean {
  return status === AttendanceStatus.AbsentUnexcused || status === AttendanceStatus.Removed;
}

/** Counts a man's marks (held sessions only, oldest first) against his policy. Pure. */
export function countAttendance(marks: readonly MarkFact[], policy: CountingPolicy): AttendanceCounts {
  const counts: AttendanceCounts = {
    sessionsRequired: policy.requiredSessions,
    sessionsAttended: 0,
    absences: 0,
    unexcusedAbsences: 0,
    consecutiveAbsences: 0,
    longestAbsenceRun: 0,
    removals: 0,
    lastAttendedOn: null,
  };
  for (const mark of marks) {
    if (countsAsAttended(mark.status, policy)) {
      counts.sessionsAttended += 1;
      counts.lastAttendedOn = mark.date;
    }
    if (mark.status === AttendanceStatus.Removed) counts.removals += 1;
    if (isAbsence(mark.status)) {
      counts.absences += 1;
      if (isUnexcusedAbsence(mark.status)) counts.unexcusedAbsences += 1;
      counts.consecutiveAbsences += 1;
      counts.longestAbsenceRun = Math.max(counts.longestAbsenceRun, counts.consecutiveAbsences);
    } else {
      // Present, late or left early: he came, so the run of absences is broken.
      counts.consecutiveAbsences = 0;
    }
  }
  return counts;
}
