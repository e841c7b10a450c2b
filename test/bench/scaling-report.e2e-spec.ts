import { LoadResult } from '../../bench/load';
import { flatness, renderScaling, renderScalingSvg, ScalePoint } from '../../bench/scale';

/**
 * S's verdict and its chart (pure: no database). Lives in test/bench because the unit specs'
 * pattern covers src/ only. The cost per referral is flat when every size is within ±30 % of the
 * smallest size's.
 */
function run(mean: number): LoadResult {
  return {
    requests: 100,
    issued: 100,
    errors: 0,
    firstError: null,
    elapsedMs: 1000,
    throughput: 100,
    p50: mean,
    p95: mean,
    p99: 2 * mean,
    max: 3 * mean,
    mean,
    load: 1,
  };
}

function point(referrals: number, sweepUsPerReferral: number, lookupMs: number, pageMs = 10): ScalePoint {
  return {
    referrals,
    marks: referrals * 52,
    seedSeconds: referrals / 1000,
    seconds: referrals / 500,
    sweep: { firstMs: (sweepUsPerReferral * referrals) / 1000, steadyMs: (sweepUsPerReferral * referrals) / 1000, baselineMs: 1 },
    lookup: { app: run(lookupMs), baseline: run(lookupMs / 3) },
    caseload: run(pageMs),
    referralPage: run(pageMs),
    load: 2,
  };
}

describe('the scaling verdict (S)', () => {
  it('passes a series whose every size is within 30 % of the smallest, and fails one that is not', () => {
    const result = flatness([point(5_000, 500, 4), point(50_000, 640, 5.3), point(500_000, 360, 4)]);
    expect(result.find((s) => s.key === 'sweep')).toMatchObject({ flat: true });
    expect(result.find((s) => s.key === 'sweep')!.ratios.map((r) => Number(r.toFixed(2)))).toEqual([1, 1.28, 0.72]);
    expect(result.find((s) => s.key === 'lookup')).toMatchObject({ flat: false });
  });

  it('fails a series that grows 31 % and passes one that grows 29 %', () => {
    expect(flatness([point(5_000, 100, 10), point(50_000, 131, 12.9)]).map((s) => [s.key, s.flat])).toEqual([
      ['sweep', false],
      ['lookup', true],
      ['caseload', true],
      ['referral', true],
    ]);
  });

  it('writes the table with the sizes not measured, and a chart with a point per size and series', () => {
    const points = [point(5_000, 500, 4), point(50_000, 520, 4.2)];
    const markdown = renderScaling(points, {
      startedAt: new Date('2026-12-01T00:00:00Z'),
      loadAtStart: [1, 1, 1],
      sizesAsked: [5_000, 50_000, 500_000],
    });
    expect(markdown).toMatch(/\| P2 sweep, steady run: time per open referral \| 1\.00× → 1\.04× \| \*\*PASS\*\* \|/);
    expect(markdown).toMatch(/Not measured in this run: 500,000 open referrals/);
    const svg = renderScalingSvg(points);
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(2 * 4);
    expect(svg).toMatch(/500,000 \(not run\)/);
  });

  it('says a size measured on a loaded machine is a measurement, not a verdict', () => {
    const points = [point(5_000, 500, 4), { ...point(50_000, 520, 4.2), load: 14 }];
    const markdown = renderScaling(points, {
      startedAt: new Date('2026-12-01T00:00:00Z'),
      loadAtStart: [1, 1, 1],
      sizesAsked: [5_000, 50_000],
    });
    expect(markdown).toMatch(/Measured on a loaded machine/);
    expect(markdown).toMatch(/\| 1\.00× → 1\.04× \| pass \(loaded\) \|/);
    expect(markdown).not.toMatch(/\*\*PASS\*\*/);
  });
});
