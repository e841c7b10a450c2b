import { Client } from 'pg';
import { RequestContext, SignedInUser } from '../src/common/context/request-context';
import { AttendanceService } from '../src/modules/attendance/attendance.service';
import { AttendanceStatus } from '../src/modules/attendance/attendance-status.enum';
import { RosterService } from '../src/modules/sessions/roster.service';
import { Role } from '../src/modules/users/role.enum';
import { BenchApp } from './app';
import { QueryCounter, repeat, stats } from './measure';
import { countEvents, EXISTING_EVENTS_SQL } from './probes';
import { Measured } from './roster.bench';

export interface AttendanceBench {
  marks: number;
  baseline: Measured;
  changed: Measured;
  replay: Measured;
  http: Measured;
  /** ComplianceService's existing-events statement alone for these men, and the events in the table. */
  existingEvents: Measured & { events: number };
}

/** The plain-`pg` write of the same roster: one upsert of every mark in one transaction. */
async function upsertMarks(client: Client, sessionId: string, userId: string, rows: Array<{ enrollmentId: string; referralId: string }>, status: AttendanceStatus): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, marked_by_id, marked_at)
       SELECT $1, x.enrollment_id, x.referral_id, $5::attendance_status, $2, now()
         FROM unnest($3::uuid[], $4::uuid[]) AS x(enrollment_id, referral_id)
       ON CONFLICT (session_id, enrollment_id)
       DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, marked_by_id = EXCLUDED.marked_by_id, marked_at = now()`,
      [sessionId, userId, rows.map((row) => row.enrollmentId), rows.map((row) => row.referralId), status],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function putJson(url: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (response.status !== 200) throw new Error(`PUT ${url} answered ${response.status}: ${JSON.stringify(answer)}`);
}

/**
 * Saving a whole 15-man roster. Every measured save flips all fifteen between present and late,
 * so each one really writes, audits and evaluates the rules (neither status crosses a limit);
 * the replay sends the roster as it stands, which the service must recognise and skip.
 */
export async function benchAttendance(
  bench: BenchApp,
  client: Client,
  counter: QueryCounter,
  options: { sessionId: string; facilitator: SignedInUser; token: string; iterations: number },
): Promise<AttendanceBench> {
  const { sessionId, facilitator } = options;
  const attendance = bench.app.get(AttendanceService);
  const roster = await bench.app.get(RosterService).load(bench.dataSource.manager, sessionId, Role.Admin);
  const rows = roster.entries.map((entry) => ({ enrollmentId: entry.enrollmentId, referralId: entry.referralId! }));
  const url = `${bench.baseUrl}/api/v1/sessions/${sessionId}/attendance`;

  let current = AttendanceStatus.Present;
  const flip = () => (current = current === AttendanceStatus.Present ? AttendanceStatus.Late : AttendanceStatus.Present);
  const body = (status: AttendanceStatus) => rows.map((row) => ({ enrollmentId: row.enrollmentId, status }));
  const asFacilitator = <T>(work: () => Promise<T>) => RequestContext.run({ requestId: 'bench', ipAddress: '127.0.0.1', user: facilitator }, work);

  const writers = {
    baseline: () => upsertMarks(client, sessionId, facilitator.id, rows, flip()),
    changed: () => asFacilitator(() => attendance.mark(facilitator, sessionId, body(flip()))),
    replay: () => asFacilitator(() => attendance.mark(facilitator, sessionId, body(current))),
    http: () => putJson(url, options.token, { marks: body(flip()) }),
  };
  const queries = {
    baseline: (await counter.around(writers.baseline)).queries,
    changed: (await counter.around(writers.changed)).queries,
    replay: (await counter.around(writers.replay)).queries,
    http: (await counter.around(writers.http)).queries,
  };
  const referralIds = rows.map((row) => row.referralId);
  const calls = { ...writers, probe: () => client.query(EXISTING_EVENTS_SQL, [referralIds]) };
  const samples = { baseline: [] as number[], changed: [] as number[], replay: [] as number[], http: [] as number[], probe: [] as number[] };
  const rounds = 4;
  const perRound = Math.ceil(options.iterations / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(calls) as Array<keyof typeof calls>) {
      samples[key].push(...(await repeat(perRound, 3, calls[key])));
    }
  }
  return {
    marks: rows.length,
    existingEvents: { ...stats(samples.probe), queries: 1, events: await countEvents(client) },
    baseline: { ...stats(samples.baseline), queries: queries.baseline },
    changed: { ...stats(samples.changed), queries: queries.changed },
    replay: { ...stats(samples.replay), queries: queries.replay },
    http: { ...stats(samples.http), queries: queries.http },
  };
}
