/**
 * Diagnosis helper, not part of `npm run bench`: P3 alone, the same notices every run, on a database
 * kept by `npm run bench -- --keep --database …`. Before each run it puts P3's men back (their
 * no-attendance events and those events' notices removed, active again) and marks every other notice
 * still pending sent (a kept database carries the accountability rows' backlog, which the relay would
 * otherwise deliver during the run). Then it raises their crossings in the in-process app, as P3 does,
 * and a worker process delivers the notices to the bench's SMTP sink. It prints the rate and the CPU a
 * notice of the worker process (all its threads), of the database's backends, of this process (the
 * sink and the raise) and of the whole machine (/proc/stat).
 * PROFILE=1: the worker with --cpu-prof (its threads too) into PROFILE_DIR (default /tmp/prof-notices).
 * WORKER_MAIN=: another build's main.js (an A/B's other side). REFERRALS=: how many men (default 500).
 * BENCH_DATABASE=throughline_bench_k npx ts-node --transpile-only bench/profile-notices.ts [runs]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ComplianceService } from '../src/modules/compliance/compliance.service';
import { OutboxTransaction } from '../src/modules/mail/outbox-transaction';
import { startBenchApp } from './app';
import { benchDatabaseUrl, connect, deleteRedisKeys, REDIS_URL } from './database';
import { backendCpu, cpuMs } from './measure';
import { appEnvironment, BenchProcess, buildApp } from './processes';
import { BenchSmtpSink } from './smtp-sink';
import { Client } from 'pg';

/** Busy and total jiffies of the whole machine (every core), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  return { busy: total - idle, total };
}

async function resetNoticeMen(client: Client, ids: string[]): Promise<void> {
  await client.query('BEGIN');
  // Event responses are append-only (a trigger refuses deletes): this is the bench's own database.
  await client.query(`SET LOCAL session_replication_role = replica`);
  const events = `SELECT id FROM compliance_events WHERE referral_id = ANY($1::uuid[]) AND kind = 'no_attendance'`;
  await client.query(`DELETE FROM event_responses WHERE event_id IN (${events})`, [ids]);
  await client.query(`DELETE FROM notices WHERE event_id IN (${events})`, [ids]);
  await client.query(`DELETE FROM compliance_events WHERE id IN (${events})`, [ids]);
  await client.query(
    `UPDATE referrals SET status = 'active', status_reason = NULL WHERE id = ANY($1::uuid[]) AND status = 'non_compliant'`,
    [ids],
  );
  await client.query(`UPDATE notices SET status = 'sent', sent_at = now() WHERE status IN ('pending', 'failed', 'sending')`);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE notices, compliance_events, referrals');
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 1);
  const database = process.env.BENCH_DATABASE ?? 'throughline_bench';
  const count = Number(process.env.REFERRALS ?? 500);
  const queuePrefix = `${database.replace(/_/g, '-')}-profile-notices`;
  const jwtSecret = randomBytes(32).toString('hex');
  const main = process.env.WORKER_MAIN ?? (await buildApp(console.log));
  const bench = await startBenchApp(database, queuePrefix, jwtSecret);
  const client = await connect(database);
  const sink = new BenchSmtpSink();
  await sink.start();
  const ids = (
    await client.query<{ referral_id: string }>(`SELECT referral_id FROM bench_referrals WHERE category = 'notice' ORDER BY n LIMIT $1`, [
      count,
    ])
  ).rows.map((row) => row.referral_id);
  const warm = ids.slice(0, 5);
  const measured = ids.slice(5);
  const outbox = bench.app.get(OutboxTransaction);
  const compliance = bench.app.get(ComplianceService);
  const raise = (referralIds: string[]) =>
    outbox.run((manager) => compliance.evaluate(manager, referralIds, { calendar: true, today: bench.today }));
  const flags = process.env.PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR ?? '/tmp/prof-notices'}`] : [];
  try {
    for (let run = 0; run < runs; run++) {
      await resetNoticeMen(client, ids);
      await deleteRedisKeys(queuePrefix);
      const worker = new BenchProcess(
        'worker',
        [...flags, '-e', `require(${JSON.stringify(main)}); process.on('SIGUSR2', () => process.exit(0));`],
        {
          ...appEnvironment({ databaseUrl: benchDatabaseUrl(database), redisUrl: REDIS_URL, queuePrefix, jwtSecret, smtpUrl: sink.url }),
          APP_ROLE: 'worker',
        },
      );
      try {
        const warmed = await raise(warm);
        await waitFor(() => sink.accepted >= warmed.noticesCreated, worker);
        sink.accepted = 0;
        const workerBefore = cpuMs(worker.pid);
        const backendsBefore = await backendCpu(client, database);
        const selfBefore = process.cpuUsage();
        const machineBefore = machineJiffies();
        const started = performance.now();
        const written = await raise(measured);
        await waitFor(() => sink.accepted >= written.noticesCreated, worker);
        const seconds = (performance.now() - started) / 1000;
        const n = written.noticesCreated;
        const machine = machineJiffies();
        const self = process.cpuUsage(selfBefore);
        const backendsAfter = await backendCpu(client, database);
        let backendMs = 0;
        for (const [pid, ms] of backendsAfter) backendMs += ms - (backendsBefore.get(pid) ?? 0);
        const perNotice = (ms: number) => Number((ms / n).toFixed(2));
        console.log(
          JSON.stringify({
            run,
            notices: n,
            seconds: Number(seconds.toFixed(2)),
            rate: Math.round(n / seconds),
            workerMs: perNotice(cpuMs(worker.pid) - workerBefore),
            postgresMs: perNotice(backendMs),
            benchMs: perNotice((self.user + self.system) / 1000),
            // jiffies are 10 ms
            machineMs: perNotice((machine.busy - machineBefore.busy) * 10),
            load: Number(loadavg()[0].toFixed(2)),
          }),
        );
      } finally {
        process.kill(worker.pid, 'SIGUSR2');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await worker.stop();
      }
    }
  } finally {
    await sink.stop();
    await bench.close();
    await client.end();
    await deleteRedisKeys(queuePrefix);
  }
}

async function waitFor(done: () => boolean, worker: BenchProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!done()) {
    if (!worker.alive) throw new Error(worker.describeDeath());
    if (Date.now() > deadline) throw new Error('the notices did not all arrive within 300 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
