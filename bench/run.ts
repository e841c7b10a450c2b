import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { SignedInUser } from '../src/common/auth/signed-in-user';
import { AuthService } from '../src/modules/auth/auth.service';
import { Role } from '../src/common/auth/role.enum';
import { benchAccountability } from './accountability.bench';
import { startBenchApp } from './app';
import { benchAttendanceLoad } from './attendance.bench';
import {
  assertBenchDatabaseName,
  benchDatabaseUrl,
  connect,
  createBenchDatabase,
  deleteRedisKeys,
  dropBenchDatabase,
  REDIS_URL,
  serverFacts,
} from './database';
import { generate } from './generate';
import { benchLookup } from './lookup.bench';
import { QueryCounter } from './measure';
import { benchNotices } from './notices.bench';
import { benchPages } from './pages.bench';
import { appEnvironment, BenchProcess, buildApp, freePort, RssSampler, waitForHttp } from './processes';
import { BenchReport, renderAccountabilityReport, renderReport, writeReport } from './report';
import { benchRoster } from './roster.bench';
import { runScale, SCALE_SIZES } from './scale';
import { benchSweep } from './sweep.bench';

const USAGE = `npm run bench -- [--referrals 50000] [--groups 3000] [--concurrency 4] [--duration 20] [--first-runs 2] [--steady-runs 3]
                     [--iterations 200] [--database throughline_bench] [--out bench/RESULTS.md] [--keep]
                     [--api-node-options "--max-old-space-size=128"] [--violations 50000] [--only accountability]
       npm run bench -- --scale [--scale-sizes 5000,50000,500000] [--concurrency 4] [--duration 10]   (S: bench/SCALING.md, bench/scaling.svg)`;

export interface BenchOptions {
  referrals: number;
  groups: number;
  /** Closed-loop connections of P1 and P4. */
  concurrency: number;
  /** Seconds each P1 / P4 / P7 load run may last at most (each HTTP run has a short warm-up before it). */
  duration: number;
  firstRuns: number;
  steadyRuns: number;
  iterations: number;
  database: string;
  queuePrefix: string;
  out: string | null;
  keep: boolean;
  /** Extra node flags for the api process (none by default: it runs as the Dockerfile runs it). */
  apiNodeOptions: string[];
  /** Violations seeded for A1 and A2 (the accountability summary and the row export). */
  violations: number;
  /** Run only these rows (after seeding): `accountability` is A1 and A2. */
  only: 'accountability' | null;
  /** S instead of the default run: these sizes of open referrals, each seeded from scratch. */
  scale?: number[] | null;
  log: (line: string) => void;
}

export function parseArgs(argv: string[]): Omit<BenchOptions, 'log'> {
  const options: Omit<BenchOptions, 'log'> = {
    referrals: 50_000,
    groups: 3_000,
    concurrency: 4,
    duration: 10,
    firstRuns: 2,
    steadyRuns: 3,
    iterations: 200,
    database: 'throughline_bench',
    queuePrefix: 'throughline-bench',
    out: join(__dirname, 'RESULTS.md'),
    keep: false,
    // The API process runs as the Dockerfile starts it (NODE_OPTIONS there).
    apiNodeOptions: ['--max-old-space-size=160'],
    violations: 50_000,
    only: null,
    scale: null,
  };
  const numeric: Partial<Record<string, keyof typeof options>> = {
    '--referrals': 'referrals',
    '--groups': 'groups',
    '--concurrency': 'concurrency',
    '--duration': 'duration',
    '--first-runs': 'firstRuns',
    '--steady-runs': 'steadyRuns',
    '--iterations': 'iterations',
    '--violations': 'violations',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') options.keep = true;
    else if (arg === '--database') options.database = argv[++i];
    else if (arg === '--scale') options.scale ??= SCALE_SIZES;
    else if (arg === '--scale-sizes') {
      const sizes = argv[++i].split(',').map(Number);
      if (sizes.some((size) => !Number.isInteger(size) || size < 1000))
        throw new Error(`--scale-sizes takes sizes of at least 1,000, comma-separated\n${USAGE}`);
      options.scale = sizes;
    } else if (arg === '--out') options.out = argv[++i];
    else if (arg === '--only') {
      if (argv[++i] !== 'accountability') throw new Error(`--only takes accountability\n${USAGE}`);
      options.only = 'accountability';
    } else if (arg === '--api-node-options') options.apiNodeOptions = argv[++i].split(' ').filter(Boolean);
    else if (numeric[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive integer\n${USAGE}`);
      (options as unknown as Record<string, number>)[numeric[arg]] = value;
    } else throw new Error(`Unknown argument ${arg}\n${USAGE}`);
  }
  if (options.referrals < 200) throw new Error('--referrals must be at least 200 (the crossing categories are per hundred)');
  if (options.groups < 6 || options.groups * 8 > options.referrals)
    throw new Error('--groups must be at least 6 and at most referrals / 8');
  assertBenchDatabaseName(options.database);
  // Each bench database gets its own Bull keys: two benches at once on one Redis would otherwise
  // delete each other's keys at start and their workers would take each other's jobs.
  if (options.database !== 'throughline_bench') options.queuePrefix = `throughline-bench-${options.database}`;
  return options;
}

/**
 * Seeds the bench database and runs P1–P5 with their baselines, in this order: P3 (a worker
 * process delivers notices; nothing else is pending yet), P2 (the sweep, in process), the roster
 * read (in process), then P1 and P4 over HTTP to a separate api process whose RSS is P5.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { log } = options;
  const started = Date.now();
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  // The 1-minute load average every 10 s: on a shared machine it says how much else ran meanwhile.
  const loadSamples: number[] = [];
  const loadTimer = setInterval(() => loadSamples.push(os.loadavg()[0]), 10_000);
  const jwtSecret = randomBytes(32).toString('hex');
  const databaseUrl = benchDatabaseUrl(options.database);
  log(`creating and migrating ${options.database}; compiling the app for its api and worker processes meanwhile`);
  // A1 and A2 alone run in this process: no api or worker build to wait for.
  const building = options.only ? Promise.resolve('') : buildApp(log);
  building.catch(() => undefined);
  await createBenchDatabase(options.database);
  await deleteRedisKeys(options.queuePrefix);
  const bench = await startBenchApp(options.database, options.queuePrefix, jwtSecret);
  const client = await connect(options.database);
  const counter = new QueryCounter();
  const processes: BenchProcess[] = [];
  try {
    const policy = bench.reference.policies.find((candidate) => candidate.key === 'ca-pc-1203-097');
    if (!policy) throw new Error('The ca-pc-1203-097 policy preset is missing from the reference data');
    log(
      `generating ${options.referrals.toLocaleString('en-US')} referrals in ${options.groups.toLocaleString('en-US')} groups (today is ${bench.today})`,
    );
    const seedStarted = Date.now();
    const fixture = await generate(client, {
      referrals: options.referrals,
      groups: options.groups,
      today: bench.today,
      policyId: policy.id,
      curriculumId: bench.reference.duluth.id,
      log,
    });
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`generated in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(fixture.counts)}`);
    const user = async (id: string, role: Role): Promise<{ user: SignedInUser; token: string }> => {
      const row = (
        await client.query<{ id: string; agency_id: string; email: string; name: string }>(
          `SELECT id, agency_id, email, name FROM users WHERE id = $1`,
          [id],
        )
      ).rows[0];
      const token = await bench.app.get(AuthService).issueSessionToken(id, { ttlSeconds: 3600 });
      if (!token) throw new Error(`Could not issue a token for ${row.email}`);
      return { user: { ...row, agencyId: row.agency_id, role }, token };
    };

    if (options.only === 'accountability') {
      log('only A1 and A2: the accountability summary and the row export, against raw SQL (nothing else runs)');
      const accountability = await benchAccountability(bench, client, {
        admin: await user(fixture.adminId, Role.Admin),
        clerkId: fixture.clerkId,
        violations: options.violations,
        runs: options.steadyRuns,
        log,
      });
      const markdown = renderAccountabilityReport(accountability, {
        referrals: fixture.counts.referrals,
        events: fixture.counts.events,
        notices: fixture.counts.notices,
      });
      log(`\n${markdown}`);
      return { onlyAccountability: markdown, accountability } as unknown as BenchReport;
    }
    const main = await building;
    // The 1-minute load average as each row's measurement ends, printed beside it in the report.
    const loadBeside: Record<string, number> = {};
    const mark = (id: string) => (loadBeside[id] = os.loadavg()[0]);

    log('P3: notices from event to the SMTP server, against raw nodemailer');
    const notices = await benchNotices(bench, client, {
      main,
      databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix: options.queuePrefix,
      jwtSecret,
      noticeReferralIds: fixture.noticeReferralIds,
      log,
    });
    log(`  load average ${mark('P3').toFixed(2)}`);

    counter.install();
    log('P2: the daily compliance sweep, against one set-based query');
    const sweep = await benchSweep(bench, client, counter, { firstRuns: options.firstRuns, steadyRuns: options.steadyRuns, log });
    log(`  load average ${mark('P2').toFixed(2)}`);
    log('roster read (in process)');
    const facilitator = await user(fixture.facilitatorId, Role.Facilitator);
    const roster = await benchRoster(bench, client, counter, {
      rosterSessionId: fixture.rosterSessions[fixture.rosterSessions.length - 1],
      bigSessionId: fixture.bigSessionId,
      token: facilitator.token,
      iterations: options.iterations,
    });
    counter.uninstall();

    log('starting the api process (APP_ROLE=api) and the bare node http + pg baseline server');
    const apiPort = await freePort();
    const baselinePort = await freePort();
    const api = new BenchProcess('api', [...options.apiNodeOptions, main], {
      ...appEnvironment({ databaseUrl, redisUrl: REDIS_URL, queuePrefix: options.queuePrefix, jwtSecret }),
      APP_ROLE: 'api',
      PORT: String(apiPort),
    });
    processes.push(api);
    const baselineServer = new BenchProcess(
      'baseline server',
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'baseline-server.ts')],
      {
        DATABASE_URL: databaseUrl,
        PORT: String(baselinePort),
      },
    );
    processes.push(baselineServer);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;
    await waitForHttp(api, `${apiUrl}/health`);
    await waitForHttp(baselineServer, `${baselineUrl}/health`);
    const rssAtStart = api.memory();

    log(`P1: PUT attendance under load (${options.concurrency} at once), against a bare node + pg script`);
    const p1Rss = new RssSampler(api);
    p1Rss.start();
    const attendance = await benchAttendanceLoad(client, {
      apiUrl,
      databaseUrl,
      token: facilitator.token,
      facilitatorId: fixture.facilitatorId,
      rosterSessions: fixture.rosterSessions.slice(0, -1),
      concurrency: options.concurrency,
      durationMs: options.duration * 1000,
      counter,
      inProcessUrl: bench.baseUrl,
      log,
    });
    const attendanceRss = p1Rss.stop();
    log(`  load average ${mark('P1').toFixed(2)}`);

    log(`P4: a court clerk's case lookup under load (${options.concurrency} at once), against bare node http + pg`);
    const clerk = await user(fixture.clerkId, Role.CourtClerk);
    const p4Rss = new RssSampler(api);
    p4Rss.start();
    const lookup = await benchLookup(client, {
      apiUrl,
      baselineUrl,
      token: clerk.token,
      courtAgencyId: fixture.clerkCourtId,
      concurrency: options.concurrency,
      durationMs: options.duration * 1000,
      log,
    });
    const lookupRss = p4Rss.stop();
    log(`  load average ${mark('P4').toFixed(2)}`);
    mark('P5');
    const peak = api.memory();
    log(
      `P5: api RSS ${String(rssAtStart?.rssMb.toFixed(0))} MB at start, ${attendanceRss.maxMb.toFixed(0)} MB max during P1, ${lookupRss.maxMb.toFixed(0)} MB max during P4, peak (VmHWM) ${String(peak?.peakMb.toFixed(0))} MB`,
    );

    log(
      `P7: a probation officer's caseload (${fixture.counts.caseload} men) and referral pages over HTTP (${options.concurrency} at once)`,
    );
    const pages = await benchPages(bench, client, {
      apiUrl,
      officerId: fixture.caseloadOfficerId,
      concurrency: options.concurrency,
      durationMs: options.duration * 1000,
      log,
    });
    log(`  load average ${mark('P7').toFixed(2)}`);

    log('A1 and A2: the accountability summary and the row export, against raw SQL');
    const accountability = await benchAccountability(bench, client, {
      admin: await user(fixture.adminId, Role.Admin),
      clerkId: fixture.clerkId,
      violations: options.violations,
      runs: options.steadyRuns,
      log,
    });
    log(`  load average ${mark('A1').toFixed(2)}`);
    loadBeside.A2 = loadBeside.A1;

    const report: BenchReport = {
      startedAt,
      seconds: (Date.now() - started) / 1000,
      seedSeconds,
      postgres: (await serverFacts(options.database)).postgres,
      loadAtStart,
      loadDuring: loadSamples.length
        ? {
            min: Math.min(...loadSamples),
            mean: loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length,
            max: Math.max(...loadSamples),
          }
        : null,
      parameters: {
        'open referrals (California PC 1203.097: 52 sessions)': fixture.counts.referrals,
        groups: fixture.counts.groups,
        'held sessions': fixture.counts.held_sessions,
        'attendance marks': fixture.counts.marks,
        'compliance events before the benchmarks': fixture.counts.events,
        'notices before the benchmarks': fixture.counts.notices,
        'crossing on the sweep’s first run':
          '5 % (1 % never enrolled, 2 % no attendance for 3 weeks, 1 % progress report due, 1 % at risk); P3 raised another 1 % first',
        'sweep batch size': 1000,
        'sweep samples (first / steady)': `${options.firstRuns} / ${options.steadyRuns}`,
        'P1 / P4 / P7 load': `${options.concurrency} connections at once (autocannon, closed loop), at most ${options.duration} s a run after a short warm-up`,
        'P7 caseload': `one probation officer with ${fixture.counts.caseload} men picked across the state`,
        'api process': options.apiNodeOptions.length
          ? `node ${options.apiNodeOptions.join(' ')} (as the Dockerfile's NODE_OPTIONS sets it)`
          : 'node with default V8 heap sizing',
        'program date (today)': bench.today,
      },
      notices,
      sweep,
      roster,
      attendance,
      lookup,
      pages,
      loadBeside,
      memory: { atStartMb: rssAtStart?.rssMb ?? NaN, attendance: attendanceRss, lookup: lookupRss, peakMb: peak?.peakMb ?? NaN },
      accountability,
    };
    if (options.out) {
      writeReport(options.out, renderReport(report));
      log(`wrote ${options.out}`);
    }
    return report;
  } finally {
    clearInterval(loadTimer);
    counter.uninstall();
    for (const child of processes) await child.stop();
    // The sweep's after-commit dispatches are not awaited by it; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await bench.close();
    await client.end();
    log(`deleted ${await deleteRedisKeys(options.queuePrefix)} Redis keys of ${options.queuePrefix}`);
    if (options.keep) log(`kept ${options.database}`);
    else {
      await dropBenchDatabase(options.database);
      log(`dropped ${options.database}`);
    }
  }
}

if (require.main === module) {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const options = { ...parseArgs(process.argv.slice(2)), log };
  if (options.scale) {
    // Its own Redis prefix: a default run beside it deletes only its own keys.
    runScale({
      ...options,
      queuePrefix: `${options.queuePrefix}-scale`,
      sizes: options.scale,
      outDir: options.out ? dirname(options.out) : null,
    })
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`bench --scale failed: ${(error as Error).stack ?? (error as Error).message}\n`);
        process.exit(1);
      });
  } else
    runBench(options)
      .then((report) => {
        const only = (report as unknown as { onlyAccountability?: string }).onlyAccountability;
        process.stdout.write(`${only ?? renderReport(report)}\n`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`bench failed: ${(error as Error).stack ?? (error as Error).message}\n`);
        process.exit(1);
      });
}
