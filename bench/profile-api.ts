/**
 * Diagnosis helper, not part of `npm run bench`: runs P1 or P4's load against an api process
 * started with --cpu-prof on a database kept by `npm run bench -- --keep`, and writes the CPU
 * profile. npx ts-node --transpile-only bench/profile-api.ts lookup|attendance [seconds]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AuthService } from '../src/modules/auth/auth.service';
import { startBenchApp } from './app';
import { loadRosters, rosterSave } from './attendance.bench';
import { benchDatabaseUrl, connect, deleteRedisKeys, REDIS_URL } from './database';
import { runLoad } from './load';
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
  const main = await buildApp(console.log);
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
    const email = which === 'lookup' ? 'clerk@bench.test' : 'facilitator@bench.test';
    const user = (await client.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM users WHERE email = $1`, [email]))
      .rows[0];
    const token = (await bench.app.get(AuthService).issueSessionToken(user.id, { ttlSeconds: 3600 }))!;
    let next: (i: number) => { method: 'GET' | 'PUT'; path: string; headers: Record<string, string>; body?: string };
    if (which === 'lookup') {
      const cases = (
        await client.query<{ case_number: string }>(`SELECT case_number FROM referrals WHERE court_agency_id = $1`, [user.agency_id])
      ).rows.map((r) => r.case_number);
      next = (i) => ({
        method: 'GET',
        path: `/api/v1/referrals?caseNumber=${cases[i % cases.length]}`,
        headers: { authorization: `Bearer ${token}` },
      });
    } else {
      const sessions = (
        await client.query<{ id: string }>(
          `SELECT s.id FROM sessions s JOIN bench_groups g ON g.id = s.group_id WHERE g.idx < 600 AND s.date = (SELECT max(date) FROM sessions WHERE status = 'held')`,
        )
      ).rows.map((r) => r.id);
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
    const result = await runLoad({ baseUrl: url, concurrency: 4, durationMs: seconds * 1000, next });
    console.log(
      JSON.stringify({ throughput: result.throughput, p99: result.p99, errors: result.errors, rss: sampler.stop(), memory: api.memory() }),
    );
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

void main().then(() => process.exit(0));
