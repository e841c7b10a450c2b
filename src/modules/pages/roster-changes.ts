import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { RaisedByMark } from '../attendance/attendance.service';
import { ComplianceEventKind, VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { ATTENDANCE_LABELS } from '../../common/program/labels';
import { labelOr } from './page-format';
import { Roster } from '../sessions/roster.service';

/**
 * "1 change saved: James W. unexcused → late (the court notice was withdrawn)". The save redirects
 * (so a reload does not post again); what changed rides along as enrollment ids and status codes
 * only — no names in the address — and the roster page puts the names back.
 */
type Effect = 'withdrawn' | 'raised' | 'none';
const EFFECT_CODES: Record<Effect, string> = { withdrawn: 'w', raised: 'r', none: 'n' };
const MAX_LISTED = 30;
const STATUSES = new Set<string>(Object.values(AttendanceStatus));

export function encodeChanges(before: Roster, marks: Array<{ enrollmentId: string; status: string }>, raised: RaisedByMark[]): string {
  const previous = new Map<string, string | null>(before.entries.map((entry) => [entry.enrollmentId, entry.mark?.status ?? null]));
  return marks
    .flatMap((mark) => {
      const from = previous.get(mark.enrollmentId) ?? null;
      const kinds = raised.filter((event) => event.enrollmentId === mark.enrollmentId).map((event) => event.kind);
      const effect: Effect = kinds.includes(ComplianceEventKind.Corrected)
        ? 'withdrawn'
        : kinds.some((kind) => (VIOLATION_KINDS as readonly string[]).includes(kind))
          ? 'raised'
          : 'none';
      // A first mark is "marked", not a change, unless it sent a notice.
      if (from === mark.status || (from === null && effect === 'none')) return [];
      return [`${mark.enrollmentId}.${from ?? '-'}.${EFFECT_CODES[effect]}`];
    })
    .slice(0, MAX_LISTED)
    .join(',');
}

const word = (status: string) => labelOr(ATTENDANCE_LABELS, status).toLowerCase();

export function describeChanges(roster: Roster, encoded: string | undefined): string[] {
  if (!encoded) return [];
  const entries = new Map(roster.entries.map((entry) => [entry.enrollmentId, entry]));
  return encoded
    .split(',')
    .slice(0, MAX_LISTED)
    .flatMap((part) => {
      const [enrollmentId, from, effect] = part.split('.');
      const entry = entries.get(enrollmentId);
      if (!entry?.mark || (from !== '-' && !STATUSES.has(from))) return [];
      const name = `${entry.firstName} ${entry.lastInitial}.`;
      const change = from === '-' ? `marked ${word(entry.mark.status)}` : `${word(from)} → ${word(entry.mark.status)}`;
      const note =
        effect === EFFECT_CODES.withdrawn
          ? ' (the earlier notice to probation and the court was withdrawn)'
          : effect === EFFECT_CODES.raised
            ? ' (a notice goes to probation and the court)'
            : '';
      return [`${name} ${change}${note}`];
    });
}
