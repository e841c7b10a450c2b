import { Client } from 'pg';
import { AuthService } from '../src/modules/auth/auth.service';
import { IDLE_TIMEOUT_SECONDS } from '../src/modules/auth/session-limits';
import { SESSION_COOKIE } from '../src/modules/pages/page-session.service';
import { User } from '../src/modules/users/user.entity';
import { BenchApp } from './app';
import { LoadResult, runLoad } from './load';

/** P7: the probation officer's two pages at statewide scale, over HTTP to the api process. */
export interface PagesBench {
  concurrency: number;
  /** Men on the officer's caseload (the generator gives one officer 80). */
  caseloadMen: number;
  caseload: LoadResult & { bytes: number };
  referral: LoadResult & { bytes: number };
}

/** A page session for the officer, as signing in starts one: a `page` session row and its cookie. */
async function pageCookie(bench: BenchApp, client: Client, officerId: string): Promise<string> {
  const { rows } = await client.query<{ id: string; token_version: number; role: User['role']; agency_id: string }>(
    `SELECT id, token_version, role, agency_id FROM users WHERE id = $1`,
    [officerId],
  );
  const user = { id: rows[0].id, tokenVersion: rows[0].token_version, role: rows[0].role, agencyId: rows[0].agency_id };
  const { token } = await bench.app.get(AuthService).startSession(user, 'page', IDLE_TIMEOUT_SECONDS, { typ: 'page' });
  return `${SESSION_COOKIE}=${token}`;
}

async function pageBytes(url: string, cookie: string): Promise<number> {
  const response = await fetch(url, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
  return Buffer.byteLength(body);
}

/**
 * P7: `GET /caseload` (the officer's 80 men, worst standing first, the first page) and
 * `GET /referrals/:id` (one man's page: standing, history, notices, report) walking his 80
 * referrals, each a closed loop at the given concurrency after a short warm-up. A fresh page
 * session for every run, so no run is old enough for the cookie to be renewed (once a minute).
 */
export async function benchPages(
  bench: BenchApp,
  client: Client,
  options: { apiUrl: string; officerId: string; concurrency: number; durationMs: number; log: (line: string) => void },
): Promise<PagesBench> {
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM referrals WHERE probation_officer_id = $1 ORDER BY md5(id::text)`, [
    options.officerId,
  ]);
  if (rows.length === 0) throw new Error('The caseload officer has no referrals');
  const ids = rows.map((row) => row.id);
  const warm = Math.min(2000, Math.max(300, options.durationMs / 10));
  const run = async (label: string, path: (index: number) => string) => {
    const cookie = await pageCookie(bench, client, options.officerId);
    const bytes = await pageBytes(`${options.apiUrl}${path(0)}`, cookie);
    const request = (index: number) => ({ method: 'GET' as const, path: path(index), headers: { cookie } });
    await runLoad({ baseUrl: options.apiUrl, concurrency: options.concurrency, durationMs: warm, next: request });
    const result = await runLoad({
      baseUrl: options.apiUrl,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      next: request,
    });
    options.log(
      `  ${label}: ${result.requests} pages (${(bytes / 1024).toFixed(0)} KiB), ${result.throughput.toFixed(0)}/s, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors${result.firstError ? ` (${result.firstError})` : ''}`,
    );
    return { ...result, bytes };
  };
  const caseload = await run('caseload page', () => '/caseload');
  const referral = await run('referral page', (index) => `/referrals/${ids[index % ids.length]}`);
  return { concurrency: options.concurrency, caseloadMen: ids.length, caseload, referral };
}
