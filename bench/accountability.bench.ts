import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Client } from 'pg';
import { csvStringifier } from '../src/common/http/csv';
import { SignedInUser } from '../src/common/auth/signed-in-user';
import { AccountabilityService } from '../src/modules/accountability/accountability.service';
import { BenchApp } from './app';
import { stats, Stats, timed } from './measure';

export interface AccountabilityBench {
  violations: number;
  notices: number;
  responses: number;
  /** P6: the summary over the last twelve months, in process (the service the route calls). */
  summary: Stats;
  /** P6's baseline: one hand-written query of the same core figures (no calendar, no grouping sets beyond agency and court). */
  summaryBaseline: Stats;
  /** P7: `GET /api/v1/accountability/export/violations` over HTTP, read to the end; live-heap and RSS growth at most (a second download, collected every half second). */
  export: { ms: number; rows: number; bytes: number; heapGrowthMb: number; rssGrowthMb: number };
  /** P7's baseline: the same rows by a raw pg cursor written through the same CSV stringifier to nowhere. */
  exportBaseline: { ms: number; rows: number };
}

const KINDS = ['absence_limit_exceeded', 'consecutive_absences', 'no_attendance', 'removed_for_behaviour', 'failed_to_enroll'];

/**
 * A year of violations on top of the registry, set-based: `violations` crossings spread over the
 * last 365 days and over the referrals, two notices each (sent within hours, most acknowledged),
 * probation answering about six in ten and the court about one in five.
 */
export async function seedViolations(
  client: Client,
  options: { violations: number; today: string; clerkId: string; log: (line: string) => void },
): Promise<{ notices: number; responses: number }> {
  const started = performance.now();
  await client.query(
    // The total is a constant of its own, so the join is a hash join on n % total (with the total a
    // column of refs it was a nested loop: violations × referrals comparisons, minutes at 50,000 each).
    `WITH refs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM referrals)
     INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, created_at)
     SELECT r.id, ($3::text[])[1 + n % 5]::compliance_event_kind, 'bench-accountability:' || n, ($1::date - n % 365),
            '{}'::jsonb, ($1::date - n % 365)::timestamptz + make_interval(hours => 8 + n % 12)
       FROM generate_series(1, $2::int) n JOIN refs r ON r.i = n % (SELECT count(*) FROM referrals)`,
    [options.today, options.violations, KINDS],
  );
  const notices = await client.query(
    `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, status, due_by, sent_at, acknowledged_at, created_at, updated_at)
     SELECT e.id, e.referral_id, 'event', rk.kind, 'bench@bench.test', CASE rk.kind WHEN 'probation_officer' THEN r.probation_officer_id END, r.court_agency_id,
            CASE WHEN x.h % 5 = 0 THEN 'sent' ELSE 'acknowledged' END::notice_status, e.created_at + interval '2 days',
            e.created_at + make_interval(mins => 5 + x.h % 600), CASE WHEN x.h % 5 <> 0 THEN e.created_at + make_interval(hours => 2 + x.h % 70) END,
            e.created_at, e.created_at
       FROM compliance_events e JOIN referrals r ON r.id = e.referral_id
       CROSS JOIN unnest(ARRAY['probation_officer', 'court']::notice_recipient_kind[]) AS rk(kind)
       CROSS JOIN LATERAL (SELECT abs(hashtext(e.id::text || rk.kind)) AS h) x
      WHERE e.threshold_key LIKE 'bench-accountability:%'`,
  );
  const responses = await client.query(
    `INSERT INTO event_responses (event_id, referral_id, agency, kind, recorded_by_id, recorded_at)
     SELECT e.id, e.referral_id, a.agency::response_agency, a.kind::response_kind, CASE a.agency WHEN 'probation' THEN r.probation_officer_id ELSE $1::uuid END,
            e.created_at + make_interval(hours => 12 + x.h % 400)
       FROM compliance_events e JOIN referrals r ON r.id = e.referral_id
       CROSS JOIN (VALUES ('probation', 'warning_given', 10), ('court', 'hearing_set', 20)) AS a(agency, kind, per)
       CROSS JOIN LATERAL (SELECT abs(hashtext(e.id::text || a.agency)) AS h) x
      WHERE e.threshold_key LIKE 'bench-accountability:%' AND x.h % 100 < CASE a.agency WHEN 'probation' THEN 60 ELSE 20 END`,
    [options.clerkId],
  );
  await client.query('VACUUM ANALYZE compliance_events, notices, event_responses');
  options.log(
    `  ${options.violations.toLocaleString('en-US')} violations, ${(notices.rowCount ?? 0).toLocaleString('en-US')} notices, ${(responses.rowCount ?? 0).toLocaleString('en-US')} responses in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { notices: notices.rowCount ?? 0, responses: responses.rowCount ?? 0 };
}

/** P6's baseline: the swift spreads by agency and the sure shares by court, by hand in one query. */
export const SUMMARY_BASELINE_SQL = `
  WITH v AS (
    SELECT e.id, e.created_at, r.court_agency_id FROM compliance_events e JOIN referrals r ON r.id = e.referral_id
     WHERE e.kind = ANY($3::compliance_event_kind[]) AND e.created_at >= $1::timestamptz AND e.created_at < $2::timestamptz
       AND NOT EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id)),
  legs AS (
    SELECT n.recipient_kind, EXTRACT(EPOCH FROM LEAST(n.sent_at, n.acknowledged_at) - v.created_at) / 3600 AS notice_h,
           EXTRACT(EPOCH FROM n.acknowledged_at - v.created_at) / 3600 AS ack_h,
           EXTRACT(EPOCH FROM (SELECT min(er.recorded_at) FROM event_responses er WHERE er.event_id = v.id
                                 AND er.agency = (CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END)::response_agency) - v.created_at) / 3600 AS resp_h
      FROM v JOIN notices n ON n.event_id = v.id AND n.purpose = 'event' AND n.recipient_kind IN ('probation_officer', 'court')),
  swift AS (
    SELECT recipient_kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY notice_h), percentile_cont(0.9) WITHIN GROUP (ORDER BY notice_h), max(notice_h),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_h), percentile_cont(0.9) WITHIN GROUP (ORDER BY ack_h), max(ack_h),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY resp_h), percentile_cont(0.9) WITHIN GROUP (ORDER BY resp_h), max(resp_h)
      FROM legs GROUP BY GROUPING SETS ((recipient_kind), ())),
  sure AS (
    SELECT court_agency_id, count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM event_responses er WHERE er.event_id = v.id AND er.agency = 'court')),
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM event_responses er WHERE er.event_id = v.id))
      FROM v GROUP BY GROUPING SETS ((court_agency_id), ()))
  SELECT (SELECT json_agg(swift) FROM swift) AS swift, (SELECT json_agg(sure) FROM sure) AS sure`;

/** P7's baseline: the rows of the export by hand, a pg cursor, the same CSV writer, no HTTP. */
const EXPORT_BASELINE_SQL = `
  SELECT e.id, r.case_number, c.name AS court, e.kind, e.created_at,
         pn.sent_at, pn.due_by, pn.acknowledged_at, pr.recorded_at AS po_response_at, pr.kind AS po_response,
         cn.sent_at AS c_sent_at, cn.due_by AS c_due_by, cn.acknowledged_at AS c_ack, cr.recorded_at AS c_response_at, cr.kind AS c_response
    FROM compliance_events e JOIN referrals r ON r.id = e.referral_id JOIN agencies c ON c.id = r.court_agency_id
    LEFT JOIN notices pn ON pn.event_id = e.id AND pn.purpose = 'event' AND pn.recipient_kind = 'probation_officer'
    LEFT JOIN notices cn ON cn.event_id = e.id AND cn.purpose = 'event' AND cn.recipient_kind = 'court'
    LEFT JOIN LATERAL (SELECT recorded_at, kind FROM event_responses er WHERE er.event_id = e.id AND er.agency = 'probation' ORDER BY recorded_at LIMIT 1) pr ON TRUE
    LEFT JOIN LATERAL (SELECT recorded_at, kind FROM event_responses er WHERE er.event_id = e.id AND er.agency = 'court' ORDER BY recorded_at LIMIT 1) cr ON TRUE
   WHERE e.kind = ANY($3::compliance_event_kind[]) AND e.created_at >= $1::timestamptz AND e.created_at < $2::timestamptz
     -- A crossing a correction withdrew is no violation, as in the app (P1's corrections leave some).
     AND NOT EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id)
   ORDER BY e.created_at, e.id`;

/** A full garbage collection on demand (the bench runs without --expose-gc): what is live, not what awaits collection. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * Reads an HTTP answer to the end, counting CSV lines and bytes; every second a full collection
 * and the live heap: the export (in this process) holds a batch or two, never the file.
 */
function download(
  url: string,
  token: string,
  gc: (() => void) | null,
): Promise<{ rows: number; bytes: number; heapMaxMb: number; rssMaxMb: number }> {
  return new Promise((resolve, reject) => {
    let heapMax = 0;
    let rssMax = 0;
    const sample = () => {
      gc?.();
      const memory = process.memoryUsage();
      heapMax = Math.max(heapMax, memory.heapUsed);
      rssMax = Math.max(rssMax, memory.rss);
    };
    const timer = setInterval(sample, gc ? 500 : 100);
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        if (res.statusCode !== 200) {
          clearInterval(timer);
          reject(new Error(`export answered ${String(res.statusCode)}`));
          res.resume();
          return;
        }
        let lines = 0;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        });
        res.on('end', () => {
          clearInterval(timer);
          sample();
          resolve({ rows: lines - 1, bytes, heapMaxMb: heapMax / 2 ** 20, rssMaxMb: rssMax / 2 ** 20 });
        });
        res.on('error', reject);
      })
      .on('error', (error) => {
        clearInterval(timer);
        reject(error);
      });
  });
}

/**
 * P6 and P7 (the accountability view): the summary of the last twelve months at statewide scale,
 * and the export of every violation row streamed over HTTP, each against a raw-SQL baseline.
 */
export async function benchAccountability(
  bench: BenchApp,
  client: Client,
  options: { admin: { user: SignedInUser; token: string }; clerkId: string; violations: number; runs: number; log: (line: string) => void },
): Promise<AccountabilityBench> {
  const { log } = options;
  log(`  seeding a year of violations`);
  const seeded = await seedViolations(client, { violations: options.violations, today: bench.today, clerkId: options.clerkId, log });
  const service = bench.app.get(AccountabilityService);
  const from = new Date(Date.parse(`${bench.today}T00:00:00Z`) - 400 * 86_400_000).toISOString().slice(0, 10);
  const query = { from, to: bench.today };
  const window = [`${from}T00:00:00-06:00`, new Date(Date.parse(`${bench.today}T00:00:00Z`) + 2 * 86_400_000).toISOString(), KINDS];

  // The baselines run as the app's statements do: without JIT compiling (see NO_JIT), or the comparison would flatter the app.
  await client.query('SET jit = off');
  const runs = async (work: () => Promise<unknown>) => {
    await work();
    const samples: number[] = [];
    for (let i = 0; i < options.runs; i++) samples.push((await timed(work)).ms);
    return stats(samples);
  };
  let violations = 0;
  const summary = await runs(async () => {
    violations = (await service.summary(options.admin.user, query, { audit: false })).violations;
  });
  log(`  summary: ${violations.toLocaleString('en-US')} violations, median ${summary.median.toFixed(0)} ms`);
  const summaryBaseline = await runs(() => client.query(SUMMARY_BASELINE_SQL, window));
  log(`  baseline: median ${summaryBaseline.median.toFixed(0)} ms`);

  // Timed once as it runs, then once more with a full collection every half second for the live heap (collections cost time).
  const url = `${bench.baseUrl}/api/v1/accountability/export/violations?from=${from}&to=${bench.today}`;
  const exported = await timed(() => download(url, options.admin.token, null));
  const gc = collector();
  gc();
  const before = process.memoryUsage();
  const measured = await download(url, options.admin.token, gc);
  const exportResult = {
    ms: exported.ms,
    rows: exported.result.rows,
    bytes: exported.result.bytes,
    heapGrowthMb: measured.heapMaxMb - before.heapUsed / 2 ** 20,
    rssGrowthMb: measured.rssMaxMb - before.rss / 2 ** 20,
  };
  log(
    `  export: ${exportResult.rows.toLocaleString('en-US')} rows, ${(exportResult.bytes / 2 ** 20).toFixed(1)} MB in ${exportResult.ms.toFixed(0)} ms; heap +${exportResult.heapGrowthMb.toFixed(0)} MB, RSS +${exportResult.rssGrowthMb.toFixed(0)} MB at most`,
  );

  const baselineStarted = performance.now();
  let baselineRows = 0;
  await client.query('BEGIN READ ONLY');
  await client.query(`DECLARE bench_rows NO SCROLL CURSOR FOR ${EXPORT_BASELINE_SQL}`, window);
  const columns = [
    'id',
    'case_number',
    'court',
    'kind',
    'created_at',
    'sent_at',
    'due_by',
    'acknowledged_at',
    'po_response_at',
    'po_response',
    'c_sent_at',
    'c_due_by',
    'c_ack',
    'c_response_at',
    'c_response',
  ].map((key) => ({ key, header: key }));
  const writer = csvStringifier<Record<string, unknown>>(columns);
  writer.on('data', () => undefined);
  for (;;) {
    const { rows } = await client.query(`FETCH 1000 FROM bench_rows`);
    if (rows.length === 0) break;
    for (const row of rows) writer.write(row);
    baselineRows += rows.length;
  }
  writer.end();
  await client.query('COMMIT');
  await client.query('RESET jit');
  const exportBaseline = { ms: performance.now() - baselineStarted, rows: baselineRows };
  log(`  baseline: ${baselineRows.toLocaleString('en-US')} rows in ${exportBaseline.ms.toFixed(0)} ms`);
  return {
    violations,
    notices: seeded.notices,
    responses: seeded.responses,
    summary,
    summaryBaseline,
    export: exportResult,
    exportBaseline,
  };
}
