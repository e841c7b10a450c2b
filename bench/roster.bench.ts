import { Client } from 'pg';
import { RosterService } from '../src/modules/sessions/roster.service';
import { Role } from '../src/common/auth/role.enum';
import { BenchApp } from './app';
import { QueryCounter, repeat, stats, Stats } from './measure';

export type Measured = Stats & { queries: number };

export interface RosterBench {
  men: number;
  bigMen: number;
  baseline: Measured;
  service: Measured;
  http: Measured;
  big: Measured;
}

/**
 * The plain-`pg` reading of the same roster: the men enrolled on the session's date with the
 * session, the group, each man's name, current mark and policy limits (one select), then every
 * held-session mark of those men in date order (one select).
 */
export async function readRoster(client: Client, sessionId: string): Promise<number> {
  const rows = await client.query<{ referral_id: string }>(
    `SELECT s.id AS session_id, s.date::text AS date, to_char(s.start_time, 'HH24:MI') AS start_time, s.status AS session_status,
            g.name AS group_name, u.position AS unit_position, u.theme AS unit_theme, u.title AS unit_title,
            e.id AS enrollment_id, e.referral_id, e.start_date::text AS start_date, p.first_name, p.last_name,
            m.status AS mark_status, m.note AS mark_note, m.marked_at,
            r.required_sessions, pol.left_early_counts, pol.max_absences, pol.max_unexcused_absences, pol.max_consecutive_absences
       FROM sessions s
       JOIN groups g ON g.id = s.group_id
       LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id
       JOIN enrollments e ON e.group_id = s.group_id AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
       JOIN referrals r ON r.id = e.referral_id
       JOIN participants p ON p.id = r.participant_id
       JOIN policies pol ON pol.id = r.policy_id
       LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrollment_id = e.id
      WHERE s.id = $1
      ORDER BY p.last_name, p.first_name, e.id`,
    [sessionId],
  );
  await client.query(
    `SELECT m.referral_id, s.date::text AS date, m.status
       FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
      WHERE m.referral_id = ANY($1::uuid[]) AND s.status = 'held'
      ORDER BY m.referral_id, s.date, s.start_time`,
    [rows.rows.map((row) => row.referral_id)],
  );
  return rows.rowCount ?? 0;
}

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

export async function benchRoster(
  bench: BenchApp,
  client: Client,
  counter: QueryCounter,
  options: { rosterSessionId: string; bigSessionId: string; token: string; iterations: number },
): Promise<RosterBench> {
  const rosters = bench.app.get(RosterService);
  const manager = bench.dataSource.manager;
  const load = (sessionId: string) => rosters.load(manager, sessionId, Role.Facilitator);
  const url = `${bench.baseUrl}/api/v1/sessions/${options.rosterSessionId}/roster`;
  const n = options.iterations;
  const warm = Math.max(5, Math.round(n / 10));

  const men = (await load(options.rosterSessionId)).entries.length;
  const bigMen = (await load(options.bigSessionId)).entries.length;
  const queries = {
    baseline: (await counter.around(() => readRoster(client, options.rosterSessionId))).queries,
    service: (await counter.around(() => load(options.rosterSessionId))).queries,
    http: (await counter.around(() => getJson(url, options.token))).queries,
    big: (await counter.around(() => load(options.bigSessionId))).queries,
  };
  // Interleaved in rounds so a drift of the machine touches all three alike.
  const samples = { baseline: [] as number[], service: [] as number[], http: [] as number[] };
  const rounds = 4;
  const perRound = Math.ceil(n / rounds);
  for (let round = 0; round < rounds; round++) {
    samples.baseline.push(...(await repeat(perRound, warm, () => readRoster(client, options.rosterSessionId))));
    samples.service.push(...(await repeat(perRound, warm, () => load(options.rosterSessionId))));
    samples.http.push(...(await repeat(perRound, warm, () => getJson(url, options.token))));
  }
  const big = await repeat(Math.max(5, Math.round(n / 10)), 2, () => load(options.bigSessionId));
  return {
    men,
    bigMen,
    baseline: { ...stats(samples.baseline), queries: queries.baseline },
    service: { ...stats(samples.service), queries: queries.service },
    http: { ...stats(samples.http), queries: queries.http },
    big: { ...stats(big), queries: queries.big },
  };
}
