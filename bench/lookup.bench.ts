import { Client } from 'pg';
import { LoadResult, runLoad } from './load';

export interface LookupBench {
  concurrency: number;
  caseNumbers: number;
  app: LoadResult;
  baseline: LoadResult;
}

/**
 * P4: a court clerk's `GET /api/v1/referrals?caseNumber=` over HTTP to the api process, against
 * bare node http + pg (bench/baseline-server.ts) answering the same SELECT, at the same
 * concurrency for the same time, over the court's case numbers in the same order. A short
 * warm-up of each comes first.
 */
export async function benchLookup(
  client: Client,
  options: {
    apiUrl: string;
    baselineUrl: string;
    token: string;
    courtAgencyId: string;
    concurrency: number;
    durationMs: number;
    log: (line: string) => void;
  },
): Promise<LookupBench> {
  const { rows } = await client.query<{ case_number: string }>(
    `SELECT case_number FROM referrals WHERE court_agency_id = $1 ORDER BY md5(case_number)`,
    [options.courtAgencyId],
  );
  const cases = rows.map((row) => row.case_number);
  if (cases.length === 0) throw new Error('The clerk’s court has no referrals');
  const appRequest = (index: number) => ({
    method: 'GET' as const,
    path: `/api/v1/referrals?caseNumber=${encodeURIComponent(cases[index % cases.length])}`,
    headers: { authorization: `Bearer ${options.token}` },
  });
  const baselineRequest = (index: number) => ({
    method: 'GET' as const,
    path: `/referrals?caseNumber=${encodeURIComponent(cases[index % cases.length])}&courtAgencyId=${options.courtAgencyId}`,
  });
  const warm = Math.min(2000, Math.max(200, options.durationMs / 10));
  await runLoad({ baseUrl: options.apiUrl, concurrency: options.concurrency, durationMs: warm, next: appRequest });
  await runLoad({ baseUrl: options.baselineUrl, concurrency: options.concurrency, durationMs: warm, next: baselineRequest });

  const app = await runLoad({
    baseUrl: options.apiUrl,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    next: appRequest,
  });
  options.log(
    `  api: ${app.requests} lookups, ${app.throughput.toFixed(0)}/s, p99 ${app.p99.toFixed(1)} ms, ${app.errors} errors${app.firstError ? ` (${app.firstError})` : ''}`,
  );
  const baseline = await runLoad({
    baseUrl: options.baselineUrl,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    next: baselineRequest,
  });
  options.log(
    `  baseline: ${baseline.requests} lookups, ${baseline.throughput.toFixed(0)}/s, p99 ${baseline.p99.toFixed(1)} ms, ${baseline.errors} errors${baseline.firstError ? ` (${baseline.firstError})` : ''}`,
  );
  return { concurrency: options.concurrency, caseNumbers: cases.length, app, baseline };
}
