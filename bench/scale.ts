import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../src/modules/auth/auth.service';
import { startBenchApp } from './app';
import { benchDatabaseUrl, connect, createBenchDatabase, deleteRedisKeys, dropBenchDatabase, REDIS_URL } from './database';
import { generate } from './generate';
import { LoadResult } from './load';
import { benchLookup } from './lookup.bench';
import { QueryCounter } from './measure';
import { benchPages } from './pages.bench';
import { appEnvironment, BenchProcess, buildApp, freePort, waitForHttp } from './processes';
import { benchSweep } from './sweep.bench';

export const SCALE_SIZES = [5_000, 50_000, 500_000];
/** Flat: every size's cost per referral within this share of the smallest size's. */
export const FLAT_WITHIN = 0.3;
/** Groups per referral, as in the default run (3,000 groups for 50,000 referrals). */
const GROUPS_PER_REFERRAL = 0.06;

export interface ScaleOptions {
  sizes: number[];
  concurrency: number;
  /** Seconds each HTTP load run lasts (after a short warm-up). */
  duration: number;
  database: string;
  queuePrefix: string;
  apiNodeOptions: string[];
  /** Where SCALING.md and scaling.svg go (null: nowhere). */
  outDir: string | null;
  keep: boolean;
  log: (line: string) => void;
}

export interface ScalePoint {
  referrals: number;
  marks: number;
  seedSeconds: number;
  /** Seed and run of this size, end to end. */
  seconds: number;
  sweep: { firstMs: number; steadyMs: number; baselineMs: number };
  lookup: { app: LoadResult; baseline: LoadResult };
  caseload: LoadResult;
  referralPage: LoadResult;
  load: number;
}

/** The series whose cost per referral must stay flat, each from one point. */
export const SERIES: Array<{ key: string; label: string; unit: string; cost: (point: ScalePoint) => number; color: string }> = [
  {
    key: 'sweep',
    label: 'P2 sweep, steady run: time per open referral',
    unit: 'µs',
    cost: (p) => (1000 * p.sweep.steadyMs) / p.referrals,
    color: '#1f5fa8',
  },
  { key: 'lookup', label: 'P4 court lookup: mean time per lookup', unit: 'ms', cost: (p) => p.lookup.app.mean, color: '#b5461a' },
  { key: 'caseload', label: 'P7 caseload page (80 men): mean time per page', unit: 'ms', cost: (p) => p.caseload.mean, color: '#2e7d32' },
  { key: 'referral', label: 'P7 referral page: mean time per page', unit: 'ms', cost: (p) => p.referralPage.mean, color: '#6a3d9a' },
];

/** Each series' cost at every size as a share of the smallest size's; flat when all are within ±30 %. */
export function flatness(points: ScalePoint[]): Array<{ key: string; ratios: number[]; flat: boolean }> {
  return SERIES.map((series) => {
    const base = series.cost(points[0]);
    const ratios = points.map((point) => series.cost(point) / base);
    return { key: series.key, ratios, flat: ratios.every((ratio) => Math.abs(ratio - 1) <= FLAT_WITHIN) };
  });
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');

/** On 2 cores the bench alone keeps the 1-minute load average near 2 (as in report.ts). */
const LOADED_ABOVE = 3;

export function renderScaling(points: ScalePoint[], context: { startedAt: Date; loadAtStart: number[]; sizesAsked: number[] }): string {
  const flat = flatness(points);
  const loads = points.map((p) => p.load);
  const loaded = loads.some((load) => load > LOADED_ABOVE);
  const verdict = (f: { flat: boolean }) =>
    points.length < 2 ? '—' : loaded ? (f.flat ? 'pass (loaded)' : 'miss (loaded)') : f.flat ? '**PASS**' : '**MISS**';
  const banner = loaded
    ? [
        `**Measured on a loaded machine: the 1-minute load average was ${loads.map((l) => l.toFixed(1)).join(', ')} at the end of each size, on 2 cores, against`,
        'about 2 for the bench alone. Sizes measured under different loads do not compare, so the result column says what this run',
        'measured, not whether the cost is flat. The last two columns set the app against its raw baseline at the same size, measured',
        'minutes apart under about the same load: they say more here than the absolute costs.**',
        '',
      ]
    : [];
  const done = points.map((p) => p.referrals);
  const missing = context.sizesAsked.filter((size) => !done.includes(size));
  const header = [
    'open referrals',
    'attendance marks',
    'seed',
    'seed + run',
    'load (1 min)',
    ...SERIES.map((s) => `${s.key} (${s.unit})`),
    'P4 p99',
    'P7 caseload p99',
    'P7 referral p99',
    'sweep steady / first / set-based',
    'sweep ÷ set-based',
    'P4 ÷ raw lookup (mean)',
  ];
  const rows = points.map((p, i) => [
    int(p.referrals),
    int(p.marks),
    `${p.seedSeconds.toFixed(0)} s`,
    `${p.seconds.toFixed(0)} s`,
    p.load.toFixed(1),
    ...SERIES.map((s, j) => `${s.cost(p).toFixed(s.unit === 'µs' ? 0 : 2)} (${flat[j].ratios[i].toFixed(2)}×)`),
    `${p.lookup.app.p99.toFixed(1)} ms`,
    `${p.caseload.p99.toFixed(1)} ms`,
    `${p.referralPage.p99.toFixed(1)} ms`,
    `${(p.sweep.steadyMs / 1000).toFixed(1)} / ${(p.sweep.firstMs / 1000).toFixed(1)} / ${(p.sweep.baselineMs / 1000).toFixed(1)} s`,
    `${(p.sweep.steadyMs / p.sweep.baselineMs).toFixed(2)}×`,
    `${(p.lookup.app.mean / p.lookup.baseline.mean).toFixed(2)}×`,
  ]);
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const [one, five, fifteen] = context.loadAtStart;
  return [
    '# Throughline scaling (S)',
    '',
    `Written by \`npm run bench -- --scale\` (bench/scale.ts) on ${context.startedAt.toISOString()}; load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} at the start, and per size below.`,
    `Each size is seeded from scratch (the default run's generator: ${GROUPS_PER_REFERRAL * 100} groups per 100 referrals, about 52 marks a man), then the sweep runs`,
    'once with its writes and once in steady state, then P4 and P7 run over HTTP against an api process, as in the default run.',
    '',
    ...banner,
    '| S | cost per referral flat within ±30 % of the smallest size | result |',
    '| --- | --- | --- |',
    ...flat.map((f, i) => `| ${SERIES[i].label} | ${f.ratios.map((r) => `${r.toFixed(2)}×`).join(' → ')} | ${verdict(f)} |`),
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    missing.length ? `Not measured in this run: ${missing.map(int).join(', ')} open referrals.` : 'Every size asked for was measured.',
    '',
    '![cost per referral by size](scaling.svg)',
    '',
  ].join('\n');
}

/** A hand-written SVG: each series' cost as a share of the smallest size's, over the sizes on a log axis, the ±30 % band shaded. */
export function renderScalingSvg(points: ScalePoint[]): string {
  const width = 840;
  const height = 380;
  const left = 60;
  const right = 320;
  const top = 30;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const sizes = points.map((p) => p.referrals);
  const minLog = Math.log10(Math.min(...sizes, SCALE_SIZES[0]));
  const maxLog = Math.log10(Math.max(...sizes, SCALE_SIZES[SCALE_SIZES.length - 1]));
  const xOf = (size: number) => left + (maxLog === minLog ? plotW / 2 : ((Math.log10(size) - minLog) / (maxLog - minLog)) * plotW);
  const flat = flatness(points);
  // Up to 2× at least, higher when a series rises above it (no point is clipped).
  const yMax = Math.max(2, Math.ceil(2 * Math.max(...flat.flatMap((f) => f.ratios))) / 2);
  const yOf = (ratio: number) => top + plotH - (Math.min(yMax, Math.max(0, ratio)) / yMax) * plotH;
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>Cost per referral by number of open referrals, as a share of the smallest size</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="${left}" y="${yOf(1 + FLAT_WITHIN)}" width="${plotW}" height="${yOf(1 - FLAT_WITHIN) - yOf(1 + FLAT_WITHIN)}" fill="#e6f2e6"/>`,
    `<line x1="${left}" y1="${yOf(1)}" x2="${left + plotW}" y2="${yOf(1)}" stroke="#8a8a8a" stroke-dasharray="4 3"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left}" y="18" font-weight="bold">Cost per referral, as a share of the ${int(sizes[0] ?? SCALE_SIZES[0])}-referral point (flat: inside the band, ±30 %)</text>`,
  ];
  for (const ratio of [0, 0.5, 0.7, 1, 1.3, 1.5, ...Array.from({ length: Math.round(2 * yMax) - 3 }, (_, i) => 2 + i / 2)]) {
    parts.push(`<text x="${left - 8}" y="${yOf(ratio) + 4}" text-anchor="end" fill="#333">${ratio.toFixed(1)}×</text>`);
  }
  for (const size of SCALE_SIZES) {
    parts.push(`<line x1="${xOf(size)}" y1="${top + plotH}" x2="${xOf(size)}" y2="${top + plotH + 5}" stroke="#333"/>`);
    parts.push(
      `<text x="${xOf(size)}" y="${top + plotH + 20}" text-anchor="middle" fill="#333">${int(size)}${sizes.includes(size) ? '' : ' (not run)'}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#333">open referrals (log scale; about 52 attendance marks each)</text>`,
  );
  SERIES.forEach((series, i) => {
    const coords = points.map((p, j) => [xOf(p.referrals), yOf(flat[i].ratios[j])] as const);
    if (coords.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${coords.map(([cx, cy]) => `${cx.toFixed(1)},${cy.toFixed(1)}`).join(' ')}"/>`,
      );
    for (const [cx, cy] of coords) parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${series.color}"/>`);
    const ly = top + 10 + i * 44;
    parts.push(`<rect x="${left + plotW + 16}" y="${ly - 9}" width="12" height="12" fill="${series.color}"/>`);
    parts.push(
      `<text x="${left + plotW + 34}" y="${ly + 1}">${esc(series.key)}: ${flat[i].ratios.map((r) => `${r.toFixed(2)}×`).join(' → ')}</text>`,
    );
    parts.push(
      `<text x="${left + plotW + 34}" y="${ly + 16}" fill="#555" font-size="10">${esc(series.label.length > 50 ? `${series.label.slice(0, 48)}…` : series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * S: at each size, a fresh database seeded by the default run's generator, the sweep (first
 * run with its writes, then steady state, beside the set-based query), then P4 and P7 over HTTP
 * against an api process. Writes SCALING.md and scaling.svg after every size, so a run cut
 * short still leaves what it measured.
 */
export async function runScale(options: ScaleOptions): Promise<ScalePoint[]> {
  const { log } = options;
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const jwtSecret = randomBytes(32).toString('hex');
  const main = await buildApp(log);
  const points: ScalePoint[] = [];
  for (const referrals of options.sizes) {
    const started = performance.now();
    const groups = Math.max(6, Math.round(referrals * GROUPS_PER_REFERRAL));
    log(
      `S: ${referrals.toLocaleString('en-US')} open referrals, ${groups.toLocaleString('en-US')} groups: creating and migrating ${options.database}`,
    );
    await createBenchDatabase(options.database);
    await deleteRedisKeys(options.queuePrefix);
    const bench = await startBenchApp(options.database, options.queuePrefix, jwtSecret);
    const client = await connect(options.database);
    const counter = new QueryCounter();
    let api: BenchProcess | null = null;
    let baselineServer: BenchProcess | null = null;
    try {
      const policy = bench.reference.policies.find((candidate) => candidate.key === 'ca-pc-1203-097');
      if (!policy) throw new Error('The ca-pc-1203-097 policy preset is missing from the reference data');
      const seedStarted = performance.now();
      const fixture = await generate(client, {
        referrals,
        groups,
        today: bench.today,
        policyId: policy.id,
        curriculumId: bench.reference.duluth.id,
        log,
      });
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(`  seeded in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(fixture.counts)}`);

      log('  P2: the sweep, first run and steady state, beside the set-based query');
      counter.install();
      const sweep = await benchSweep(bench, client, counter, { firstRuns: 1, steadyRuns: 1, diagnose: false, log });
      counter.uninstall();

      const databaseUrl = benchDatabaseUrl(options.database);
      const apiPort = await freePort();
      const baselinePort = await freePort();
      api = new BenchProcess('api', [...options.apiNodeOptions, main], {
        ...appEnvironment({ databaseUrl, redisUrl: REDIS_URL, queuePrefix: options.queuePrefix, jwtSecret }),
        APP_ROLE: 'api',
        PORT: String(apiPort),
      });
      baselineServer = new BenchProcess(
        'baseline server',
        ['-r', 'ts-node/register/transpile-only', join(__dirname, 'baseline-server.ts')],
        { DATABASE_URL: databaseUrl, PORT: String(baselinePort) },
      );
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      await waitForHttp(api, `${apiUrl}/health`);
      await waitForHttp(baselineServer, `http://127.0.0.1:${baselinePort}/health`);
      const clerkToken = await bench.app.get(AuthService).issueSessionToken(fixture.clerkId, { ttlSeconds: 3600 });
      if (!clerkToken) throw new Error('Could not issue the clerk a token');
      log("  P4: the court clerk's case lookup");
      const lookup = await benchLookup(client, {
        apiUrl,
        baselineUrl: `http://127.0.0.1:${baselinePort}`,
        token: clerkToken,
        courtAgencyId: fixture.clerkCourtId,
        concurrency: options.concurrency,
        durationMs: options.duration * 1000,
        log,
      });
      log('  P7: the caseload and referral pages');
      const pages = await benchPages(bench, client, {
        apiUrl,
        officerId: fixture.caseloadOfficerId,
        concurrency: options.concurrency,
        durationMs: options.duration * 1000,
        log,
      });
      const point: ScalePoint = {
        referrals: sweep.referrals,
        marks: fixture.counts.marks,
        seedSeconds,
        seconds: (performance.now() - started) / 1000,
        sweep: { firstMs: sweep.first.median, steadyMs: sweep.steady.median, baselineMs: sweep.baseline.median },
        lookup: { app: lookup.app, baseline: lookup.baseline },
        caseload: pages.caseload,
        referralPage: pages.referral,
        load: os.loadavg()[0],
      };
      points.push(point);
      log(
        `S: ${referrals.toLocaleString('en-US')} done in ${point.seconds.toFixed(0)} s (seed ${seedSeconds.toFixed(0)} s); load average ${point.load.toFixed(2)}; ` +
          SERIES.map((s) => `${s.key} ${s.cost(point).toFixed(2)} ${s.unit}`).join(', '),
      );
      if (options.outDir) {
        writeFileSync(join(options.outDir, 'SCALING.md'), renderScaling(points, { startedAt, loadAtStart, sizesAsked: options.sizes }));
        writeFileSync(join(options.outDir, 'scaling.svg'), renderScalingSvg(points));
        writeFileSync(
          join(options.outDir, 'scaling.json'),
          `${JSON.stringify({ startedAt, loadAtStart, sizesAsked: options.sizes, points }, null, 1)}\n`,
        );
        log(`  wrote ${join(options.outDir, 'SCALING.md')}, scaling.svg and scaling.json (the measured points)`);
      }
    } finally {
      counter.uninstall();
      if (api) await api.stop();
      if (baselineServer) await baselineServer.stop();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await bench.close();
      await client.end();
      await deleteRedisKeys(options.queuePrefix);
      if (options.keep) log(`  kept ${options.database}`);
      else await dropBenchDatabase(options.database);
    }
  }
  return points;
}
