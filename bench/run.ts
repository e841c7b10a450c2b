import 'reflect-metadata';
import os from 'node:os';
import { join } from 'node:path';
import { SignedInUser } from '../src/common/context/request-context';
import { AuthService } from '../src/modules/auth/auth.service';
import { Role } from '../src/modules/users/role.enum';
import { startBenchApp } from './app';
import { benchAttendance } from './attendance.bench';
import { assertBenchDatabaseName, connect, createBenchDatabase, deleteRedisKeys, dropBenchDatabase, serverFacts } from './database';
import { generate } from './generate';
import { QueryCounter } from './measure';
import { correctsEventIdIndexed } from './probes';
import { renderReport, writeReport } from './report';
import { benchRoster } from './roster.bench';
import { benchSweep } from './sweep.bench';

const QUEUE_PREFIX = 'throughline-bench';
const USAGE = `npm run bench -- [--referrals 50000] [--groups 50] [--first-runs 3] [--steady-runs 5] [--iterations 200]
                     [--database throughline_bench] [--out bench/results.md] [--keep]`;

interface Options {
  referrals: number;
  groups: number;
  firstRuns: number;
  steadyRuns: number;
  iterations: number;
  database: string;
  out: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    referrals: 50_000,
    groups: 50,
    firstRuns: 3,
    steadyRuns: 5,
    iterations: 200,
    database: 'throughline_bench',
    out: join(__dirname, 'results.md'),
    keep: false,
  };
  const numeric: Record<string, keyof Options> = {
    '--referrals': 'referrals',
    '--groups': 'groups',
    '--first-runs': 'firstRuns',
    '--steady-runs': 'steadyRuns',
    '--iterations': 'iterations',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') options.keep = true;
    else if (arg === '--database') options.database = argv[++i];
    else if (arg === '--out') options.out = argv[++i];
    else if (numeric[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive integer\n${USAGE}`);
      (options as unknown as Record<string, number>)[numeric[arg]] = value;
    } else throw new Error(`Unknown argument ${arg}\n${USAGE}`);
  }
  if (options.referrals < 100) throw new Error('--referrals must be at least 100 (the crossing categories are per hundred)');
  assertBenchDatabaseName(options.database);
  return options;
}

const started = Date.now();
function log(line: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0];
  log(`creating and migrating ${options.database}`);
  await createBenchDatabase(options.database);
  await deleteRedisKeys(QUEUE_PREFIX);
  const bench = await startBenchApp(options.database, QUEUE_PREFIX);
  const client = await connect(options.database);
  const counter = new QueryCounter();
  try {
    const policy = bench.reference.policies.find((candidate) => candidate.key === 'duluth-24');
    if (!policy) throw new Error('The duluth-24 policy preset is missing from the reference data');
    log(`generating ${options.referrals.toLocaleString('en-US')} referrals in ${options.groups} groups (today is ${bench.today})`);
    const fixture = await generate(client, { referrals: options.referrals, groups: options.groups, today: bench.today, policyId: policy.id, curriculumId: bench.reference.duluth.id, log });
    log(`generated: ${JSON.stringify(fixture.counts)}`);

    const facilitatorRow = await client.query<{ id: string; agency_id: string; email: string; name: string }>(
      `SELECT id, agency_id, email, name FROM users WHERE id = $1`,
      [fixture.facilitatorId],
    );
    const facilitator: SignedInUser = { ...facilitatorRow.rows[0], agencyId: facilitatorRow.rows[0].agency_id, role: Role.Facilitator };
    const token = await bench.app.get(AuthService).issueSessionToken(facilitator.id, { ttlSeconds: 3600 });
    if (!token) throw new Error('Could not issue a token for the bench facilitator');

    counter.install();
    log('sweep');
    const sweep = await benchSweep(bench, client, counter, { firstRuns: options.firstRuns, steadyRuns: options.steadyRuns, log });
    log('roster');
    const roster = await benchRoster(bench, client, counter, { rosterSessionId: fixture.rosterSessionId, bigSessionId: fixture.bigSessionId, token, iterations: options.iterations });
    log('attendance');
    const attendance = await benchAttendance(bench, client, counter, { sessionId: fixture.rosterSessionId, facilitator, token, iterations: Math.ceil(options.iterations / 2) });
    counter.uninstall();

    const markdown = renderReport({
      startedAt,
      seconds: (Date.now() - started) / 1000,
      postgres: (await serverFacts(options.database)).postgres,
      parameters: {
        'open referrals (Duluth 24 policy)': fixture.counts.referrals,
        'groups (big ones plus one of 15 men)': fixture.counts.groups,
        'held sessions': fixture.counts.held_sessions,
        'attendance marks': fixture.counts.marks,
        'compliance events before the first sweep': fixture.counts.events,
        'notices before the first sweep': fixture.counts.notices,
        'crossing on the first sweep': '5 % (1 % never enrolled, 2 % no attendance for 21 days, 1 % progress report due, 1 % at risk)',
        'sweep batch size': 1000,
        'sweep samples (first / steady)': `${options.firstRuns} / ${options.steadyRuns}`,
        'roster and attendance calls per figure': `${options.iterations} / ${Math.ceil(options.iterations / 2)} (in 4 interleaved rounds, after warm-up)`,
        'program date (today)': bench.today,
      },
      sweep,
      roster,
      attendance,
      correctsIndexed: await correctsEventIdIndexed(client),
      loadAtStart,
    });
    writeReport(options.out, markdown);
    process.stdout.write(`${markdown}\n`);
    log(`wrote ${options.out}`);
  } finally {
    counter.uninstall();
    // The sweep's after-commit dispatches are not awaited by it; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await bench.close();
    await client.end();
    log(`deleted ${await deleteRedisKeys(QUEUE_PREFIX)} Redis keys of ${QUEUE_PREFIX}`);
    if (options.keep) log(`kept ${options.database}`);
    else {
      await dropBenchDatabase(options.database);
      log(`dropped ${options.database}`);
    }
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
