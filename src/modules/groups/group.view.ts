export interface GroupView {
  id: string;
  name: string;
  curriculumId: string;
  curriculumName: string;
  weekday: number;
  startTime: string;
  durationMinutes: number;
  capacity: number;
  enrolledCount: number;
  location: string;
  language: string;
  startsOn: string;
  active: boolean;
  facilitators: Array<{ id: string; name: string }>;
}

export interface GroupRow {
  id: string;
  name: string;
  curriculum_id: string;
  curriculum_name: string;
  weekday: number;
  start_time: string;
  duration_minutes: number;
  capacity: number;
  enrolled_count: number;
  location: string;
  language: string;
  starts_on: string;
  active: boolean;
  facilitators: Array<{ id: string; name: string }> | null;
}

/** Groups with their facilitators and how many men are in each today (alias g). */
export const GROUP_ROW_SELECT = `
  g.id, g.name, g.curriculum_id, c.name AS curriculum_name, g.weekday, to_char(g.start_time, 'HH24:MI') AS start_time,
  g.duration_minutes, g.capacity, g.location, g.language, g.starts_on::text AS starts_on, g.active,
  (SELECT count(*)::int FROM enrollments e WHERE e.group_id = g.id AND e.end_date IS NULL) AS enrolled_count,
  (SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name)
     FROM group_facilitators gf JOIN users u ON u.id = gf.user_id WHERE gf.group_id = g.id) AS facilitators`;

export const GROUP_ROW_FROM = `groups g JOIN curricula c ON c.id = g.curriculum_id`;

export function toGroupView(row: GroupRow): GroupView {
  return {
    id: row.id,
    name: row.name,
    curriculumId: row.curriculum_id,
    curriculumName: row.curriculum_name,
    weekday: row.weekday,
    startTime: row.start_time,
    durationMinutes: row.duration_minutes,
    capacity: row.capacity,
    enrolledCount: row.enrolled_count,
    location: row.location,
    language: row.language,
    startsOn: row.starts_on,
    active: row.active,
    facilitators: row.facilitators ?? [],
  };
}
