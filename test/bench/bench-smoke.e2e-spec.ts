import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, runBench } from '../../bench/run';
import { runScale } from '../../bench/scale';
import { renderReport, verdicts } from '../../bench/report';
import { assertTestDatabaseName, runId, withServerClient } from '../helpers/test-database';

/**
 * The benchmark at a tiny scale, so `npm run bench` does not rot: every phase runs end to end
 * (seeding, P3 with a worker process, P2, P1 and P4 over HTTP to an api process, P5) on a
 * database and Redis prefix of this test's own, which are gone afterwards. Figures at this
 * scale mean nothing; only that each was measured.
 */
describe('the benchmark at tiny scale', () => {
  jest.setTimeout(240_000);

  it('seeds, runs P1–P7, A1 and A2 against their baselines, renders the report and leaves nothing behind', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const database = `throughline_test_${runId()}_bench${suffix}`;
    assertTestDatabaseName(database);
    const lines: string[] = [];

    const report = await runBench({
      referrals: 300,
      groups: 18,
      concurrency: 2,
      duration: 2,
      firstRuns: 1,
      steadyRuns: 1,
      iterations: 5,
      database,
      queuePrefix: `throughline-bench-smoke-${suffix}`,
      out: null,
      keep: false,
      apiNodeOptions: [],
      violations: 2_000,
      only: null,
      log: (line) => lines.push(line),
    });

    expect(report.sweep.referrals).toBeGreaterThan(250);
    expect(report.sweep.first.outcome.eventsCreated).toBeGreaterThan(0);
    expect(report.notices.notices).toBeGreaterThan(0);
    expect(report.notices.notices % 2).toBe(0);
    for (const run of [
      report.attendance.app,
      report.attendance.baseline,
      report.lookup.app,
      report.lookup.baseline,
      report.pages.caseload,
      report.pages.referral,
    ]) {
      expect(run.requests).toBeGreaterThan(0);
      expect(run.errors).toBe(0);
    }
    // Every save sent (autocannon's last ones may still be in flight when the time runs out) wrote its crossing or its correction, with two notices each.
    expect(report.attendance.app.issued).toBeGreaterThanOrEqual(report.attendance.app.requests);
    expect(report.attendance.written.app.events).toBe(report.attendance.app.issued);
    expect(report.attendance.written.app.notices).toBe(2 * report.attendance.app.issued);
    // P7: the officer's caseload is his men (at this scale a quarter of the referrals), and both pages were rendered.
    expect(report.pages.caseloadMen).toBe(75);
    expect(report.pages.caseload.bytes).toBeGreaterThan(1000);
    expect(report.pages.referral.bytes).toBeGreaterThan(1000);
    expect(report.memory.attendance.samples + report.memory.lookup.samples).toBeGreaterThan(0);
    expect(verdicts(report).map((verdict) => verdict.id)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P7', 'A1', 'A2']);
    // The load average stands beside every row.
    for (const verdict of verdicts(report)) expect(verdict.load).toBeGreaterThanOrEqual(0);
    expect(report.accountability!.export.rows).toBe(report.accountability!.exportBaseline.rows);
    const markdown = renderReport(report);
    for (const id of ['P1', 'P2', 'P4', 'P5', 'P7', 'A1', 'A2']) expect(markdown).toMatch(new RegExp(`\\| ${id} \\|`));
    expect(markdown).toMatch(/## P7 — a probation officer's pages/);

    const left = await withServerClient((client) => client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]));
    expect(left.rowCount).toBe(0);
    expect(lines.some((line) => line.startsWith(`dropped ${database}`))).toBe(true);
  });

  it('runs A1 and A2 alone with --only accountability, after seeding, and leaves nothing behind', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const database = `throughline_test_${runId()}_bench${suffix}`;
    const lines: string[] = [];
    const report = await runBench({
      ...parseArgs([
        '--only',
        'accountability',
        '--referrals',
        '300',
        '--groups',
        '18',
        '--violations',
        '3000',
        '--steady-runs',
        '2',
        '--database',
        database,
      ]),
      queuePrefix: `throughline-bench-smoke-${suffix}`,
      out: null,
      log: (line) => lines.push(line),
    });
    const accountability = report.accountability!;
    expect(accountability.violations).toBeGreaterThan(2_000);
    // Every violation of the window is a row of the export, as many as the raw cursor reads.
    expect(accountability.export.rows).toBe(accountability.exportBaseline.rows);
    expect(accountability.export.rows).toBe(accountability.violations);
    expect(lines.some((line) => line.includes('A2'))).toBe(true);
    expect(lines.some((line) => line.startsWith('P3'))).toBe(false);
    const left = await withServerClient((client) => client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]));
    expect(left.rowCount).toBe(0);
  });

  it('runs the scaling sweep (S) at two tiny sizes, writes its table, chart and points, and leaves nothing behind', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const database = `throughline_test_${runId()}_scale${suffix}`;
    const outDir = mkdtempSync(join(tmpdir(), 'throughline-scale-'));
    try {
      const points = await runScale({
        sizes: [400, 800],
        concurrency: 2,
        duration: 1,
        database,
        queuePrefix: `throughline-bench-smoke-scale-${suffix}`,
        apiNodeOptions: [],
        outDir,
        keep: false,
        log: () => undefined,
      });
      expect(points.map((point) => point.referrals)).toEqual([400, 800]);
      for (const point of points) {
        for (const run of [point.lookup.app, point.caseload, point.referralPage]) {
          expect(run.requests).toBeGreaterThan(0);
          expect(run.errors).toBe(0);
        }
      }
      expect(readFileSync(join(outDir, 'SCALING.md'), 'utf8')).toMatch(/\| 800 \|/);
      expect(readFileSync(join(outDir, 'scaling.svg'), 'utf8')).toMatch(/^<svg /);
      expect(JSON.parse(readFileSync(join(outDir, 'scaling.json'), 'utf8')).points).toHaveLength(2);
      const left = await withServerClient((client) => client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]));
      expect(left.rowCount).toBe(0);
    } finally {
      if (existsSync(outDir)) rmSync(outDir, { recursive: true });
    }
  });
});
