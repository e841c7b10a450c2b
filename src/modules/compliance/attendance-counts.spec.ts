import { AttendanceStatus as S } from '../../common/program/attendance-status.enum';
import { countAttendance, MarkFact } from './attendance-counts';

const policy = { requiredSessions: 24, leftEarlyCounts: false };
const marks = (...statuses: S[]): MarkFact[] =>
  statuses.map((status, index) => ({ date: `2026-01-${String(index + 1).padStart(2, '0')}`, status }));

describe('countAttendance', () => {
  it('counts present and late as attended and remembers the last date he came', () => {
    const counts = countAttendance(marks(S.Present, S.Late, S.AbsentExcused), policy);
    expect(counts).toMatchObject({
      sessionsRequired: 24,
      sessionsAttended: 2,
      absences: 1,
      unexcusedAbsences: 0,
      lastAttendedOn: '2026-01-02',
    });
  });

  it('counts left early only when the policy says so, and never as an absence', () => {
    expect(countAttendance(marks(S.LeftEarly), policy)).toMatchObject({ sessionsAttended: 0, absences: 0 });
    expect(countAttendance(marks(S.LeftEarly), { ...policy, leftEarlyCounts: true })).toMatchObject({ sessionsAttended: 1 });
  });

  it('treats a removal as an unexcused absence', () => {
    expect(countAttendance(marks(S.Removed), policy)).toMatchObject({ absences: 1, unexcusedAbsences: 1, removals: 1 });
  });

  it('tracks the current run of absences and the longest one', () => {
    const counts = countAttendance(marks(S.AbsentUnexcused, S.AbsentExcused, S.AbsentUnexcused, S.Present, S.AbsentUnexcused), policy);
    expect(counts).toMatchObject({ consecutiveAbsences: 1, longestAbsenceRun: 3, absences: 4, unexcusedAbsences: 3 });
  });

  it('breaks a run of absences when he comes, even if he leaves early', () => {
    expect(countAttendance(marks(S.AbsentUnexcused, S.LeftEarly), policy).consecutiveAbsences).toBe(0);
  });

  it('gives zeros for a man with no marks', () => {
    expect(countAttendance([], policy)).toMatchObject({ sessionsAttended: 0, absences: 0, consecutiveAbsences: 0, lastAttendedOn: null });
  });
});
