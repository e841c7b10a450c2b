import { unitInLanguage, UnitWords } from '../curricula/unit-titles';
import { SessionKind, SessionStatus } from './session.entity';

function withGroupLanguage<T extends { theme: string; title: string }>(
  unit: T,
  language: string | null,
): T & { inGroupLanguage?: UnitWords } {
  const words = unitInLanguage(unit, language);
  return words ? { ...unit, inGroupLanguage: words } : unit;
}

export interface SessionRow {
  id: string;
  group_id: string;
  date: string;
  start_time: string;
  kind: SessionKind;
  status: SessionStatus;
  cancelled_reason: string | null;
  unit_id: string | null;
  unit_position: number | null;
  unit_theme: string | null;
  unit_title: string | null;
  group_language: string | null;
  marked_count?: number;
}

export const SESSION_ROW_SELECT = `
  s.id, s.group_id, s.date::text AS date, to_char(s.start_time, 'HH24:MI') AS start_time, s.kind, s.status, s.cancelled_reason,
  u.id AS unit_id, u.position AS unit_position, u.theme AS unit_theme, u.title AS unit_title,
  (SELECT gl.language FROM groups gl WHERE gl.id = s.group_id) AS group_language`;

/** How many men are marked for session s; lists and single reads show it alike. */
export const SESSION_MARKED_COUNT = `(SELECT count(*)::int FROM attendance_marks m WHERE m.session_id = s.id) AS marked_count`;

export interface SessionView {
  id: string;
  groupId: string;
  date: string;
  startTime: string;
  kind: SessionKind;
  status: SessionStatus;
  cancelledReason: string | null;
  /** The unit as written, and (a Spanish group) as the group hears it: `inGroupLanguage`. */
  unit: { id: string; position: number; theme: string; title: string; inGroupLanguage?: UnitWords } | null;
  markedCount?: number;
}

export function toSessionView(row: SessionRow): SessionView {
  return {
    id: row.id,
    groupId: row.group_id,
    date: row.date,
    startTime: row.start_time,
    kind: row.kind,
    status: row.status,
    cancelledReason: row.cancelled_reason,
    unit:
      row.unit_id && row.unit_position !== null && row.unit_theme && row.unit_title
        ? withGroupLanguage(
            { id: row.unit_id, position: row.unit_position, theme: row.unit_theme, title: row.unit_title },
            row.group_language,
          )
        : null,
    ...(row.marked_count !== undefined ? { markedCount: row.marked_count } : {}),
  };
}
