import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { AccountabilityBench } from './accountability.bench';
import { AttendanceLoadBench } from './attendance.bench';
import { LoadResult } from './load';
import { LookupBench } from './lookup.bench';
import { NoticeBench } from './notices.bench';
import { PagesBench } from './pages.bench';
import { Measured, RosterBench } from './roster.bench';
import { SweepBench } from './sweep.bench';

export interface BenchReport {
  startedAt: Date;
  seconds: number;
  seedSeconds: number;
  postgres: string;
  /** 1-, 5- and 15-minute load averages when the run started (others' work on the machine makes figures noisier). */
  loadAtStart: number[];
  /** The 1-minute load average sampled every 10 s during the run. */
  loadDuring: { min: number; mean: number; max: number } | null;
  parameters: Record<string, string | number>;
  notices: NoticeBench;
  sweep: SweepBench;
  roster: RosterBench;
  attendance: AttendanceLoadBench;
  lookup: LookupBench;
  /** P7: the probation officer's caseload and referral pages. */
  pages: PagesBench;
  /** The 1-minute load average when each row's measurement ended, by row id. */
  loadBeside: Record<string, number>;
  memory: {
    atStartMb: number;
    attendance: { maxMb: number; meanMb: number; samples: number };
    lookup: { maxMb: number; meanMb: number; samples: number };
    peakMb: number;
  };
  /** A1 and A2: the accountability summary and the row export. */
  accountability?: AccountabilityBench;
}

export interface Verdict {
  id: string;
  work: string;
  baseline: string;
  target: string;
  figure: string;
  baselineFigure: string;
  ratio: string;
  pass: boolean;
  /** The 1-minute load average when it was measured. */
  load?: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const x = (value: number) => `${value.toFixed(2)}×`;
function time(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms >= 10 ? 1 : 2)} ms`;
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** P1–P5 against the issue's targets. */
export function verdicts(report: BenchReport): Verdict[] {
  const { attendance: p1, sweep: p2, notices: p3, lookup: p4, pages: p7, memory } = report;
  const p1Ratio = p1.app.throughput / p1.baseline.throughput;
  const p2Ratio = p2.first.median / p2.baseline.median;
  const p3Ratio = p3.app.rate / p3.baseline.rate;
  const p4Ratio = p4.app.throughput / p4.baseline.throughput;
  const rss = Math.max(memory.attendance.maxMb, memory.lookup.maxMb);
  return [
    {
      id: 'P1',
      work: `\`PUT /sessions/:id/attendance\`, 15-man roster, rules + outbox, ${p1.concurrency} at once`,
      baseline: 'bare node + pg script, same inserts and standing in one transaction',
      target: 'throughput ≥ 0.5× baseline; p99 < 50 ms',
      figure: `${p1.app.throughput.toFixed(1)} saves/s, p99 ${time(p1.app.p99)}`,
      baselineFigure: `${p1.baseline.throughput.toFixed(1)} saves/s, p99 ${time(p1.baseline.p99)}`,
      ratio: x(p1Ratio),
      pass: p1Ratio >= 0.5 && p1.app.p99 < 50 && p1.app.errors === 0,
    },
    {
      id: 'P2',
      work: `daily compliance sweep over ${int(p2.referrals)} open referrals (first run, with its writes)`,
      baseline: 'one hand-written set-based SQL query computing the same standings',
      target: '≤ 2× baseline time; under 60 s',
      figure: time(p2.first.median),
      baselineFigure: time(p2.baseline.median),
      ratio: x(p2Ratio),
      pass: p2Ratio <= 2 && p2.first.median < 60_000,
    },
    {
      id: 'P3',
      work: `${int(p3.notices)} notices from event to accepted by an in-process SMTP server (outbox, Bull, worker process)`,
      baseline: `raw nodemailer, same messages, same server, ${p3.workerConcurrency} at once over ${p3.workerConcurrency} pooled connections`,
      target: 'rate ≥ 0.5× baseline',
      figure: `${p3.app.rate.toFixed(0)} notices/s (${p3.app.seconds.toFixed(2)} s)`,
      baselineFigure: `${p3.baseline.rate.toFixed(0)} messages/s (${p3.baseline.seconds.toFixed(2)} s)`,
      ratio: x(p3Ratio),
      pass: p3Ratio >= 0.5,
    },
    {
      id: 'P4',
      work: `\`GET /referrals?caseNumber=\` as a court clerk, ${p4.concurrency} at once`,
      baseline: 'bare node http + pg answering the same query',
      target: 'throughput ≥ 0.5× baseline; p99 < 20 ms',
      figure: `${p4.app.throughput.toFixed(0)} lookups/s, p99 ${time(p4.app.p99)}`,
      baselineFigure: `${p4.baseline.throughput.toFixed(0)} lookups/s, p99 ${time(p4.baseline.p99)}`,
      ratio: x(p4Ratio),
      pass: p4Ratio >= 0.5 && p4.app.p99 < 20 && p4.app.errors === 0,
    },
    {
      id: 'P5',
      work: 'api process RSS during P1 and P4 load (/proc/<pid>/status VmRSS every 100 ms)',
      baseline: '—',
      target: 'RSS < 250 MB',
      figure: `${rss.toFixed(0)} MB max`,
      baselineFigure: '—',
      ratio: '—',
      pass: rss < 250,
    },
    {
      id: 'P7',
      work: `a probation officer's caseload page (\`GET /caseload\`, ${p7.caseloadMen} men) and a referral page (\`GET /referrals/:id\`, walking his men) at statewide scale (${int(report.sweep.referrals)} open referrals), over HTTP, ${p7.concurrency} at once`,
      baseline: '—',
      target: 'p99 < 50 ms each',
      figure: `caseload ${p7.caseload.throughput.toFixed(0)} pages/s, p99 ${time(p7.caseload.p99)}; referral ${p7.referral.throughput.toFixed(0)} pages/s, p99 ${time(p7.referral.p99)}`,
      baselineFigure: '—',
      ratio: '—',
      pass: p7.caseload.p99 < 50 && p7.referral.p99 < 50 && p7.caseload.errors === 0 && p7.referral.errors === 0,
    },
    ...(report.accountability ? accountabilityVerdicts(report.accountability) : []),
  ].map((verdict) => ({ ...verdict, load: report.loadBeside[verdict.id] }));
}

/** Flat memory: the export may hold a few batches and the stringifier's buffer, never the file. */
const EXPORT_HEAP_GROWTH_MB = 64;

/** A1 and A2 (the accountability issue's P6 and P7, renamed when issue 15 gave P7 to the officer's pages) against their targets. */
export function accountabilityVerdicts(p: AccountabilityBench): Verdict[] {
  const summaryRatio = p.summary.median / p.summaryBaseline.median;
  const exportRatio = p.export.ms / p.exportBaseline.ms;
  return [
    {
      id: 'A1',
      work: `accountability summary of the last twelve months, ${int(p.violations)} violations (${int(p.notices)} of their notices, ${int(p.responses)} responses), in process`,
      baseline: 'one hand-written query of the swift spreads by agency and the sure shares by court',
      target: 'under 1 s',
      figure: `${time(p.summary.median)} (p95 ${time(p.summary.p95)})`,
      baselineFigure: time(p.summaryBaseline.median),
      ratio: x(summaryRatio),
      pass: p.summary.median < 1000,
    },
    {
      id: 'A2',
      work: `\`GET /api/v1/accountability/export/violations\` over HTTP, ${int(p.export.rows)} rows (${(p.export.bytes / 2 ** 20).toFixed(1)} MB), read to the end`,
      baseline: 'raw pg cursor of the same rows through the same CSV writer, no HTTP',
      target: `under 5 s; heap growth under ${EXPORT_HEAP_GROWTH_MB} MB`,
      figure: `${time(p.export.ms)}, heap +${p.export.heapGrowthMb.toFixed(0)} MB, RSS +${p.export.rssGrowthMb.toFixed(0)} MB`,
      baselineFigure: `${time(p.exportBaseline.ms)} (${int(p.exportBaseline.rows)} rows)`,
      ratio: x(exportRatio),
      pass: p.export.ms < 5000 && p.export.heapGrowthMb < EXPORT_HEAP_GROWTH_MB,
    },
  ];
}

/** The report of `--only accountability`: A1 and A2 alone. */
export function renderAccountabilityReport(p: AccountabilityBench, data: { referrals: number; events: number; notices: number }): string {
  const rows = accountabilityVerdicts(p).map((v) => [
    v.id,
    v.work,
    v.baseline,
    v.target,
    v.figure,
    v.baselineFigure,
    v.ratio,
    v.pass ? '**PASS**' : '**MISS**',
    (v.load ?? os.loadavg()[0]).toFixed(1),
  ]);
  const [one, five, fifteen] = os.loadavg();
  return [
    '## A1 and A2 — the accountability view',
    '',
    `On ${int(data.referrals)} referrals with ${int(data.events)} events and ${int(data.notices)} notices before the violations were seeded; load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)}.`,
    '',
    table(['id', 'work', 'baseline', 'target', 'Throughline', 'baseline', 'ratio', 'result', 'load (1 min)'], rows),
  ].join('\n');
}

function machine(report: BenchReport): string[] {
  const cpus = os.cpus();
  const [one, five, fifteen] = report.loadAtStart;
  return [
    `- node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory`,
    `- PostgreSQL ${report.postgres} and Redis on loopback; the api and worker are separate node processes (the app compiled as in production, NODE_ENV=production, LOG_LEVEL=warn); the load generator, the baselines and the in-process app used for the sweep run in the bench process`,
    `- load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) at the start, ${os.loadavg()[0].toFixed(2)} (1 min) at the end${report.loadDuring ? `, ${report.loadDuring.min.toFixed(1)}–${report.loadDuring.max.toFixed(1)} (mean ${report.loadDuring.mean.toFixed(1)}) sampled every 10 s during the run; the bench itself (api, PostgreSQL, load generator) accounts for about 2` : ''}. The machine is shared: other people's test runs on the same 2 cores make every figure noisier, and the ratios (app and baseline measured minutes apart) less so than the absolute figures`,
  ];
}

function loadRows(rows: Array<[string, LoadResult]>): Array<Array<string | number>> {
  return rows.map(([label, run]) => [
    label,
    int(run.requests),
    `${(run.elapsedMs / 1000).toFixed(1)} s`,
    run.throughput.toFixed(1),
    time(run.p50),
    time(run.p95),
    time(run.p99),
    time(run.max),
    run.errors,
    run.load.toFixed(1),
  ]);
}
const LOAD_HEADER = ['run', 'requests', 'elapsed', 'per second', 'p50', 'p95', 'p99', 'max', 'errors', 'load (1 min)'];

/** How the HTTP rows were measured (one paragraph under every load table). */
const LOAD_NOTE =
  "HTTP rows: autocannon drives the closed loop (keep-alive connections, no pipelining); latencies are the response times it measures, in Node's built-in HDR histogram (perf_hooks.createHistogram), as are the non-HTTP rows' own.";

function pagesSection(p7: PagesBench): string {
  return [
    `## P7 — a probation officer's pages at statewide scale (${p7.concurrency} at once)`,
    '',
    table(
      LOAD_HEADER,
      loadRows([
        [
          `\`GET /caseload\` (${p7.caseloadMen} men, first page, worst standing first; ${(p7.caseload.bytes / 1024).toFixed(0)} KiB)`,
          p7.caseload,
        ],
        [`\`GET /referrals/:id\` (his men in turn: standing, history, notices; ${(p7.referral.bytes / 1024).toFixed(0)} KiB)`, p7.referral],
      ]),
    ),
    '',
    'Both are the server-rendered pages as a signed-in officer opens them (a `page` session cookie, checked on every request, each',
    'read audited), served by the api process. The target is absolute (p99 < 50 ms each), so there is no baseline row.',
    LOAD_NOTE,
  ].join('\n');
}

function attendanceSection(p1: AttendanceLoadBench): string {
  return [
    `## P1 — attendance saves under load (${p1.concurrency} at once)`,
    '',
    table(
      LOAD_HEADER,
      loadRows([
        ['`PUT /api/v1/sessions/:id/attendance` (api process, over HTTP)', p1.app],
        ['baseline: bare node + pg script, same transaction by hand', p1.baseline],
      ]),
    ),
    '',
    `Each side saves its own ${p1.rosters.app} rosters of 15 men twice, in the same order: first every man late and the one who`,
    'stands at three absences absent (his fourth: an `absence_limit_exceeded` event, two notices, non-compliant), then everyone',
    'present (a `corrected` event, two notices, active again). So every save changes 15 marks, audits them, evaluates the rules of',
    `15 men over their whole history and writes an event with its outbox notices and a status change. Written: app ${int(p1.written.app.events)} events /`,
    `${int(p1.written.app.notices)} notices, baseline ${int(p1.written.baseline.events)} / ${int(p1.written.baseline.notices)}. Neither side queues the notices on Redis:`,
    "the app's notices table signals a worker on commit (none runs during P1), whose relay queues them; the baseline skips Redis.",
    `Before it is measured, each side makes the same saves on ${p1.rosters.warmUp} rosters of its own (so the api's connections have planned the rules' write`,
    'and its code is compiled, as in a process that has been serving for a while).',
    LOAD_NOTE,
    '',
    `SQL statements per save (a crossing, then its correction), counted on a roster kept out of the load: the app ${p1.statements.app.join(' and ')}`,
    `(the session check unless cached, the save's transaction with the rules, outbox, fees and audit inside, the roster read back), the baseline ${p1.statements.baseline.join(' and ')}.`,
  ].join('\n');
}

function sweepSection(sweep: SweepBench): string {
  const { baseline, rawRead, first, steady, referrals, batches } = sweep;
  const perBatch = (queries: number) => `${int(queries)} (${(queries / batches).toFixed(1)})`;
  const written = (run: typeof first | typeof steady) =>
    `${int(run.outcome.eventsCreated)} / ${int(run.outcome.noticesCreated)} / ${int(run.outcome.statusChanges)} / ${int(run.outcome.remindersCreated)}`;
  return [
    `## P2 — daily compliance sweep, ${int(referrals)} open referrals in ${batches} batches`,
    '',
    table(
      ['run', 'samples', 'median', 'min', 'ratio to baseline', 'statements (per batch)', 'events / notices / status changes / reminders'],
      [
        [
          'baseline: one set-based SQL query, every standing and due crossing',
          baseline.samples,
          time(baseline.median),
          time(baseline.min),
          '1.00×',
          baseline.queries,
          `referrals with a new crossing due: ${int(baseline.crossings.first)} before the first run, ${int(baseline.crossings.steady)} in steady state`,
        ],
        [
          '`ComplianceSweepService.run`, first run (crossings written)',
          first.samples,
          time(first.median),
          time(first.min),
          x(first.median / baseline.median),
          perBatch(first.queries),
          written(first),
        ],
        [
          '`ComplianceSweepService.run`, steady state (nothing new)',
          steady.samples,
          time(steady.median),
          time(steady.min),
          x(steady.median / baseline.median),
          perBatch(steady.queries),
          written(steady),
        ],
        [
          'diagnosis: raw `pg` read of the facts the sweep reads, batch by batch',
          rawRead.samples,
          time(rawRead.median),
          time(rawRead.min),
          x(rawRead.median / baseline.median),
          perBatch(rawRead.queries),
          '—',
        ],
      ],
    ),
    '',
    'The baseline computes in PostgreSQL what the rules compute in the app — sessions attended, absences, unexcused absences, the',
    'current and longest run of absences (gaps and islands over every held-session mark), the day he last attended — and flags the',
    'crossings due today that are not on record yet (the same crossing keys as the rules). It writes nothing; the sweep also locks each batch, runs the pure rules and writes the events, their',
    `notices, status changes and reminders. The first run's ${int(first.queued)} notices were queued on Bull after commit.`,
  ].join('\n');
}

function noticesSection(p3: NoticeBench): string {
  return [
    `## P3 — ${int(p3.notices)} notices from event to accepted`,
    '',
    table(
      ['run', 'messages', 'seconds', 'per second', 'notes'],
      [
        [
          'app: outbox transaction → Bull → worker process (render e-mail + PDF letter, send)',
          int(p3.notices),
          p3.app.seconds.toFixed(2),
          p3.app.rate.toFixed(0),
          `events and notices written in ${time(p3.app.writeMs)}; worker RSS ${p3.worker.rssMb?.toFixed(0) ?? '?'} MB at the end`,
        ],
        [
          `baseline: raw nodemailer, the same rendered messages, ${p3.workerConcurrency} at once over a pool of ${p3.workerConcurrency}`,
          int(p3.baseline.messages),
          p3.baseline.seconds.toFixed(2),
          p3.baseline.rate.toFixed(0),
          `${(p3.baseline.bytes / p3.baseline.messages / 1024).toFixed(1)} KiB a message; pooled, as the app`,
        ],
        [
          `diagnosis: raw nodemailer with one connection per message`,
          int(p3.baseline.messages),
          p3.perConnection.seconds.toFixed(2),
          p3.perConnection.rate.toFixed(0),
          'what the connection set-up per message would cost',
        ],
      ],
    ),
    '',
    'The clock starts before the transaction that raises the crossings (two notices each: probation officer and court) and stops',
    'when the in-process `smtp-server` has accepted the last message. The worker renders each notice (Handlebars e-mail, pdfkit',
    'letter), then claims, sends (one SMTP connection per message, as configured) and records it; render and send jobs run 4 at',
    'a time each. The baseline sends the very messages the worker rendered, with the same transport options.',
  ].join('\n');
}

function lookupSection(p4: LookupBench): string {
  return [
    `## P4 — court clerk's case lookup under load (${p4.concurrency} at once)`,
    '',
    table(
      LOAD_HEADER,
      loadRows([
        ['`GET /api/v1/referrals?caseNumber=` (api process, over HTTP, court clerk)', p4.app],
        ['baseline: bare node http + pg, the same SELECT', p4.baseline],
      ]),
    ),
    '',
    `Both walk the ${int(p4.caseNumbers)} case numbers of the clerk's court in the same order. The app also checks the bearer token and its`,
    "session (cached up to 5 s), validates the query, scopes it to the clerk's court, and audits the read in the statement that reads it; the baseline runs the",
    'SELECT and answers.',
    LOAD_NOTE,
  ].join('\n');
}

function memorySection(report: BenchReport): string {
  const { memory } = report;
  return [
    '## P5 — api process memory',
    '',
    `VmRSS of the api process: ${memory.atStartMb.toFixed(0)} MB after start-up; during P1 ${memory.attendance.maxMb.toFixed(0)} MB max (mean ${memory.attendance.meanMb.toFixed(0)}, ${memory.attendance.samples} samples);`,
    `during P4 ${memory.lookup.maxMb.toFixed(0)} MB max (mean ${memory.lookup.meanMb.toFixed(0)}, ${memory.lookup.samples} samples); VmHWM (peak since start) ${memory.peakMb.toFixed(0)} MB.`,
  ].join('\n');
}

function latencyRows(rows: Array<[string, Measured]>, base: Measured): Array<Array<string | number>> {
  return rows.map(([label, m]) => [label, m.samples, time(m.median), time(m.p95), time(m.min), x(m.median / base.median), m.queries]);
}

function rosterSection(roster: RosterBench): string {
  const { baseline, service, http, big } = roster;
  return [
    `## Also measured: roster read, a ${roster.men}-man session (one call at a time, in process)`,
    '',
    table(
      ['call', 'samples', 'median', 'p95', 'min', 'ratio to baseline (median)', 'statements per call'],
      latencyRows(
        [
          ['baseline: raw `pg` select of the same roster rows and histories', baseline],
          ['`RosterService.load` (facilitator view)', service],
          ['`GET /api/v1/sessions/:id/roster` over HTTP (facilitator)', http],
          [`\`RosterService.load\`, ${int(roster.bigMen)}-man session (query count check)`, big],
        ],
        baseline,
      ),
    ),
  ].join('\n');
}

/** Hand-written diagnosis and before/after figures (bench/findings.md), kept across runs. */
function findings(): string {
  const path = join(__dirname, 'findings.md');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

/** On 2 cores the bench itself keeps the 1-minute load average near 2; above this, other work shared the machine. */
export const LOADED_ABOVE = 3;

/** Whether the run shared the machine with other work (then its PASS/MISS are measurements, not verdicts). */
export function loadedRun(report: BenchReport): boolean {
  return (report.loadDuring?.mean ?? report.loadAtStart[0]) > LOADED_ABOVE;
}

export function renderReport(report: BenchReport): string {
  const loaded = loadedRun(report);
  const result = (pass: boolean) => (loaded ? (pass ? 'pass (loaded)' : 'miss (loaded)') : pass ? '**PASS**' : '**MISS**');
  const rows = verdicts(report).map((v) => [
    v.id,
    v.work,
    v.baseline,
    v.target,
    v.figure,
    v.baselineFigure,
    v.ratio,
    result(v.pass),
    v.load === undefined ? '—' : v.load.toFixed(1),
  ]);
  const banner = loaded
    ? [
        `**Measured on a loaded machine: the 1-minute load average was ${report.loadDuring ? `${report.loadDuring.min.toFixed(1)}–${report.loadDuring.max.toFixed(1)} (mean ${report.loadDuring.mean.toFixed(1)})` : report.loadAtStart[0].toFixed(1)} during the run on 2 cores,`,
        `against about 2 for the bench alone. The result column says what this run measured, not whether a target is met; a run on a quiet`,
        `machine decides that.**`,
        '',
      ]
    : [];
  const parameters = Object.entries(report.parameters).map(([key, value]) => `- ${key}: ${typeof value === 'number' ? int(value) : value}`);
  return [
    '# Throughline benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${report.startedAt.toISOString()}, in ${Math.round(report.seconds)} s, of which seeding took`,
    `${Math.round(report.seedSeconds)} s. Every figure is set against a hand-written baseline doing the same work on the same data in the same run.`,
    '',
    ...banner,
    table(['id', 'work', 'baseline', 'target', 'Throughline', 'baseline', 'ratio', 'result', 'load (1 min)'], rows),
    '',
    `The last column is the machine's 1-minute load average when the row's measurement ended: on 2 cores the bench itself accounts for`,
    'about 2, anything above that is other work on the machine, and a row measured under it says more about the machine than the code.',
    '',
    '## Machine',
    '',
    ...machine(report),
    '',
    '## Data',
    '',
    ...parameters,
    '',
    attendanceSection(report.attendance),
    '',
    sweepSection(report.sweep),
    '',
    noticesSection(report.notices),
    '',
    lookupSection(report.lookup),
    '',
    pagesSection(report.pages),
    '',
    memorySection(report),
    '',
    rosterSection(report.roster),
    '',
    ...(report.accountability
      ? [
          renderAccountabilityReport(report.accountability, {
            referrals: report.sweep.referrals,
            events: Number(report.parameters['compliance events before the benchmarks'] ?? 0),
            notices: Number(report.parameters['notices before the benchmarks'] ?? 0),
          }),
          '',
        ]
      : []),
    findings(),
    '',
  ].join('\n');
}

export function writeReport(path: string, markdown: string): void {
  writeFileSync(path, markdown);
}
