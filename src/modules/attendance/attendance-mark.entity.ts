import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Enrollment } from '../enrollments/enrollment.entity';
import { Session } from '../groups/session.entity';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';

/** One mark per enrollment per session. Earlier values live in the audit trail. */
@Entity('attendance_marks')
@Index('attendance_marks_session_enrollment_unique', ['sessionId', 'enrollmentId'], { unique: true })
// Session and status in the index: a man's history is read from the index alone (an index-only scan).
@Index('attendance_marks_referral_history_idx', ['referralId', 'sessionId', 'status'])
export class AttendanceMark {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @ManyToOne(() => Enrollment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Enrollment;

  /** Copied from the enrollment so a man's history is one indexed lookup. */
  @Column({ type: 'uuid' })
  referralId: string;

  @Column({ type: 'enum', enum: AttendanceStatus, enumName: 'attendance_status' })
  status: AttendanceStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ type: 'uuid', nullable: true })
  markedById: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  markedAt: Date;
}
