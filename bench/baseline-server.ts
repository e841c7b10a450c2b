/**
 * P4's baseline, run as its own process: bare node http + pg answering the court clerk's case
 * lookup with the same SELECT (columns and joins of the app's referral row, the court's scope,
 * the case number) and nothing else — no framework, auth, validation, count or audit.
 * Env: DATABASE_URL, PORT. GET /referrals?caseNumber=&courtAgencyId= → { items, total }.
 */
import http from 'node:http';
import { Pool } from 'pg';
import { REFERRAL_ROW_FROM, REFERRAL_ROW_SELECT } from '../src/modules/referrals/referral.view';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'throughline-bench-baseline' });
const LOOKUP_SQL = `SELECT ${REFERRAL_ROW_SELECT} FROM ${REFERRAL_ROW_FROM}
  WHERE r.court_agency_id = $1 AND r.case_number = $2 ORDER BY r.created_at DESC, r.id LIMIT 50`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  if (url.pathname !== '/referrals') {
    res.writeHead(404).end();
    return;
  }
  pool
    .query(LOOKUP_SQL, [url.searchParams.get('courtAgencyId'), (url.searchParams.get('caseNumber') ?? '').trim().toUpperCase()])
    .then(({ rows }) => {
      const body = JSON.stringify({ items: rows, total: rows.length });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    })
    .catch((error: unknown) => res.writeHead(500).end((error as Error).message));
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
