/**
 * Diagnosis helper, not part of `npm run bench`: runs P1's, P4's or P7's load against an api
 * process started with --cpu-prof on a database kept by `npm run bench -- --keep`, and writes the
 * CPU profile. `pages` alternates P7's two pages (the caseload and a referral page of his men).
 * PAGE=caseload or PAGE=referral runs that page alone. FRESH=1 (attendance) starts from the same rosters every run
 * (bench/roster-reset.ts); BASELINE=1 then runs P1's baseline on them as long. It prints the api's and PostgreSQL's CPU per request (utime + stime from /proc). `statements` starts no process: it prints the SQL statements one lookup and each page send
 * (their first request, then one with the session check cached).
 * npx ts-node --transpile-only bench/profile-api.ts lookup|attendance|pages|statements [seconds]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../src/modules/auth/auth.service';
import { IDLE_TIMEOUT_SECONDS } from '../src/modules/auth/session-limits';
import { SESSION_COOKIE } from '../src/modules/pages/page-session.service';
import { RequestContext } from '../src/common/context/request-context';
import { Client as PgClient, Pool } from 'pg';
import { Role } from '../src/common/auth/role.enum';
import { BenchApp, startBenchApp } from './app';
import { baselineSave, loadRosters, rosterSave } from './attendance.bench';
import { benchDatabaseUrl, connect, deleteRedisKeys, REDIS_URL } from './database';
import { runLoad, runWork } from './load';
import { freshRosters } from './roster-reset';
import { backendCpu, cpuMs } from './measure';
import { appEnvironment, BenchProcess, buildApp, freePort, RssSampler, waitForHttp } from './processes';

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'lookup';
  const seconds = Number(process.argv[3] ?? 15);
  // BENCH_DATABASE: the database a `npm run bench -- --keep --database …` run left (two people profiling at once each keep their own).
  const database = process.env.BENCH_DATABASE ?? 'throughline_bench';
  const queuePrefix = `${database.replace(/_/g, '-')}-profile`;
  const jwtSecret = randomBytes(32).toString('hex');
  const bench = await startBenchApp(database, queuePrefix, jwtSecret);
  const client = await connect(database);
  if (which === 'statements') {
    try {
      await printStatements(bench, client);
    } finally {
      await bench.close();
      await client.end();
      await deleteRedisKeys(queuePrefix);
    }
    return;
  }
  // API_MAIN: another build's main.js to run (an A/B's other side), instead of this tree's.
  const main = process.env.API_MAIN ?? (await buildApp(console.log));
  const port = await freePort();
  const profileDir = process.env.PROFILE_DIR ?? '/tmp/prof';
  // API_NODE_FLAGS: extra node flags for the api process (e.g. heap limits); PROFILE=0: no CPU profile.
  const flags = [
    ...(process.env.PROFILE === '0' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
    ...(process.env.API_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  const api = new BenchProcess('api', [...flags, '-e', `require(${JSON.stringify(main)}); process.on('SIGUSR2', () => process.exit(0));`], {
    ...appEnvironment({
      databaseUrl: benchDatabaseUrl(database),
      redisUrl: REDIS_URL,
      queuePrefix,
      jwtSecret,
    }),
    APP_ROLE: 'api',
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(api, `${url}/health`);
    const email = { lookup: 'clerk@bench.test', pages: 'caseload-po@bench.test' }[which] ?? 'facilitator@bench.test';
    const user = (await client.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM users WHERE email = $1`, [email]))
      .rows[0];
    const token = (await bench.app.get(AuthService).issueSessionToken(user.id, { ttlSeconds: 3600 }))!;
    let next: (i: number) => { method: 'GET' | 'PUT'; path: string; headers: Record<string, string>; body?: string };
    if (which === 'pages') {
      const cookie = await pageCookie(bench, user.id);
      const referrals = (await client.query<{ id: string }>(`SELECT id FROM referrals WHERE probation_officer_id = $1`, [user.id])).rows;
      // PAGE=caseload or PAGE=referral: that page alone (P7 measures each alone), else the two alternating.
      const page = process.env.PAGE;
      const referralPath = (n: number) => `/referrals/${referrals[n % referrals.length].id}`;
      next = (i) => ({
        method: 'GET',
        path: page === 'caseload' ? '/caseload' : page === 'referral' ? referralPath(i) : i % 2 ? referralPath(i >> 1) : '/caseload',
        headers: { cookie },
      });
    } else if (which === 'lookup') {
      const cases = (
        await client.query<{ case_number: string }>(`SELECT case_number FROM referrals WHERE court_agency_id = $1`, [user.agency_id])
      ).rows.map((r) => r.case_number);
      next = (i) => ({
        method: 'GET',
        path: `/api/v1/referrals?caseNumber=${cases[i % cases.length]}`,
        headers: { authorization: `Bearer ${token}` },
      });
    } else {
      const sessions = await rosterSessions(client);
      // FRESH=1: the rosters as the first FRESH run left them (bench/roster-reset.ts), so A/B runs make the same saves.
      if (process.env.FRESH === '1') console.log(`rosters ${await freshRosters(client, sessions)}`);
      const rosters = await loadRosters(client, sessions);
      next = (i) => {
        const save = rosterSave(rosters, i + 1);
        return {
          method: 'PUT',
          path: `/api/v1/sessions/${save.roster.sessionId}/attendance`,
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ marks: save.marks.map((m) => ({ enrollmentId: m.enrollmentId, status: m.status })) }),
        };
      };
    }
    const sampler = new RssSampler(api);
    sampler.start();
    const cpuBefore = cpuMs(api.pid);
    const backendsBefore = await backendCpu(client, database);
    const result = await runLoad({ baseUrl: url, concurrency: 4, durationMs: seconds * 1000, next });
    // The api's own CPU per request: what a loaded machine changes least (throughput and p99 wait on the others' load).
    const answered = Math.max(1, result.throughput * seconds);
    const cpuPerRequestMs = (cpuMs(api.pid) - cpuBefore) / answered;
    // PostgreSQL's: every backend of the database, what it used during the run (new ones: since they started).
    const backendsAfter = await backendCpu(client, database);
    let backendMs = 0;
    for (const [pid, ms] of backendsAfter) backendMs += ms - (backendsBefore.get(pid) ?? 0);
    console.log(
      JSON.stringify({
        throughput: result.throughput,
        p99: result.p99,
        errors: result.errors,
        cpuPerRequestMs,
        pgCpuPerRequestMs: backendMs / answered,
        load: loadavg()[0],
        rss: sampler.stop(),
        memory: api.memory(),
      }),
    );
    // BASELINE=1 (attendance, with FRESH=1): then P1's bare node + pg script on the same rosters, from the same state, for as long.
    if (which === 'attendance' && process.env.BASELINE === '1')
      console.log(JSON.stringify(await baselineRun(client, database, user.id, seconds)));
  } finally {
    process.kill(api.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await api.stop();
    await bench.close();
    await client.end();
    await deleteRedisKeys(queuePrefix);
  }
  console.log(`profile in ${profileDir}`, join(profileDir));
}

/** P1's baseline (attendance.bench.ts) at the same concurrency on the same rosters, restored first; its CPU per save, the bench process's and PostgreSQL's. */
async function baselineRun(client: PgClient, database: string, userId: string, seconds: number): Promise<Record<string, number>> {
  const sessions = await rosterSessions(client);
  await freshRosters(client, sessions);
  const rosters = await loadRosters(client, sessions);
  const pool = new Pool({ connectionString: benchDatabaseUrl(database), max: 20, application_name: 'throughline-bench-baseline' });
  try {
    const cpuBefore = process.cpuUsage();
    const backendsBefore = await backendCpu(client, database);
    const result = await runWork({
      concurrency: 4,
      durationMs: seconds * 1000,
      work: (index) => baselineSave(pool, userId, rosterSave(rosters, index + 1)),
    });
    const cpu = process.cpuUsage(cpuBefore);
    const backendsAfter = await backendCpu(client, database);
    let backendMs = 0;
    for (const [pid, ms] of backendsAfter) backendMs += ms - (backendsBefore.get(pid) ?? 0);
    const answered = Math.max(1, result.throughput * seconds);
    return {
      baselineThroughput: result.throughput,
      baselineP99: result.p99,
      baselineErrors: result.errors,
      benchCpuPerSaveMs: (cpu.user + cpu.system) / 1000 / answered,
      pgCpuPerSaveMs: backendMs / answered,
      load: loadavg()[0],
    };
  } finally {
    await pool.end();
  }
}

/** P1's rosters here: the latest held session of each of the first 600 groups. */
async function rosterSessions(client: PgClient): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT s.id FROM sessions s JOIN bench_groups g ON g.id = s.group_id WHERE g.idx < 600 AND s.date = (SELECT max(date) FROM sessions WHERE status = 'held') ORDER BY s.id`,
  );
  return rows.map((r) => r.id);
}

/** A page session for the user, as signing in starts one. */
async function pageCookie(bench: BenchApp, userId: string): Promise<string> {
  const user = await bench.dataSource.query<Array<{ id: string; token_version: number; role: Role; agency_id: string }>>(
    `SELECT id, token_version, role, agency_id FROM users WHERE id = $1`,
    [userId],
  );
  const [row] = user;
  const { token } = await bench.app
    .get(AuthService)
    .startSession({ id: row.id, tokenVersion: row.token_version, role: row.role, agencyId: row.agency_id }, 'page', IDLE_TIMEOUT_SECONDS, {
      typ: 'page',
    });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * The statements the in-process app sends for one case lookup, one caseload page and one referral
 * page, each twice: the first request checks the session in the database, the second finds it cached.
 */
async function printStatements(bench: BenchApp, client: PgClient): Promise<void> {
  const seen: Array<{ requestId: string | null; sql: string; params: unknown; ms: number }> = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with the client as `this`
  const original = PgClient.prototype.query;
  PgClient.prototype.query = function (this: PgClient, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const entry = {
      requestId: RequestContext.current()?.requestId ?? null,
      sql: typeof first === 'string' ? first : (first?.text ?? ''),
      params: typeof first === 'string' ? args[1] : (first as { values?: unknown } | undefined)?.values,
      ms: NaN,
    };
    seen.push(entry);
    const started = performance.now();
    const answer = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (answer instanceof Promise) void answer.finally(() => (entry.ms = performance.now() - started)).catch(() => undefined);
    return answer;
  } as typeof PgClient.prototype.query;
  const ids = async (email: string) =>
    (await client.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM users WHERE email = $1`, [email])).rows[0];
  const clerk = await ids('clerk@bench.test');
  const officer = await ids('caseload-po@bench.test');
  const token = (await bench.app.get(AuthService).issueSessionToken(clerk.id, { ttlSeconds: 3600 }))!;
  const cookie = await pageCookie(bench, officer.id);
  const caseNumber = (
    await client.query<{ case_number: string }>(`SELECT case_number FROM referrals WHERE court_agency_id = $1 LIMIT 1`, [clerk.agency_id])
  ).rows[0].case_number;
  const referralId = (await client.query<{ id: string }>(`SELECT id FROM referrals WHERE probation_officer_id = $1 LIMIT 1`, [officer.id]))
    .rows[0].id;
  const requests: Array<[string, string, Record<string, string>]> = [
    ['lookup', `/api/v1/referrals?caseNumber=${encodeURIComponent(caseNumber)}`, { authorization: `Bearer ${token}` }],
    ['caseload page', '/caseload', { cookie }],
    ['referral page', `/referrals/${referralId}`, { cookie }],
  ];
  try {
    for (const [label, path, headers] of requests) {
      for (const round of ['session checked', 'session cached']) {
        const requestId = `statements-${label.replace(/ /g, '-')}-${round.replace(/ /g, '-')}`;
        const response = await fetch(`${bench.baseUrl}${path}`, { headers: { ...headers, 'x-request-id': requestId } });
        await response.arrayBuffer();
        const sql = seen.filter((entry) => entry.requestId === requestId);
        console.log(`\n${label} (${round}): HTTP ${response.status}, ${sql.length} statements`);
        for (const statement of sql)
          console.log(`  - ${statement.ms.toFixed(1).padStart(6)} ms  ${statement.sql.replace(/\s+/g, ' ').trim().slice(0, 140)}`);
      }
    }
    // A roster save of P1's (its first roster: a crossing, then its correction). It writes: with FRESH=1 the next run restores it.
    const facilitator = await ids('facilitator@bench.test');
    const facilitatorToken = (await bench.app.get(AuthService).issueSessionToken(facilitator.id, { ttlSeconds: 3600 }))!;
    const sessions = await rosterSessions(client);
    if (process.env.FRESH === '1') console.log(`rosters ${await freshRosters(client, sessions)}`);
    const [roster] = await loadRosters(client, sessions);
    for (const [round, index] of [
      ['a crossing', 0],
      ['its correction', 1],
    ] as const) {
      const save = rosterSave([roster], index);
      const requestId = `statements-roster-save-${round.replace(/ /g, '-')}`;
      const response = await fetch(`${bench.baseUrl}/api/v1/sessions/${roster.sessionId}/attendance`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${facilitatorToken}`, 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ marks: save.marks.map((m) => ({ enrollmentId: m.enrollmentId, status: m.status })) }),
      });
      await response.arrayBuffer();
      const sql = seen.filter((entry) => entry.requestId === requestId);
      console.log(`\nroster save (${round}): HTTP ${response.status}, ${sql.length} statements`);
      for (const statement of sql)
        console.log(`  - ${statement.ms.toFixed(1).padStart(6)} ms  ${statement.sql.replace(/\s+/g, ' ').trim().slice(0, 140)}`);
    }
  } finally {
    PgClient.prototype.query = original;
  }
  // STATEMENTS_OUT: every statement with its parameters, for EXPLAIN ANALYZE by hand.
  if (process.env.STATEMENTS_OUT)
    writeFileSync(
      process.env.STATEMENTS_OUT,
      JSON.stringify(
        seen.filter((entry) => entry.requestId),
        null,
        1,
      ),
    );
}

void main().then(() => process.exit(0));
