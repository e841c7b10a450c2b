export enum AttendanceStatus {
  Present = 'present',
  Late = 'late',
  LeftEarly = 'left_early',
  AbsentExcused = 'absent_excused',
  AbsentUnexcused = 'absent_unexcused',
  /** Sent out for behaviour. */
  Removed = 'removed',
}
