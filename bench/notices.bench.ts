import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { ComplianceService } from '../src/modules/compliance/compliance.service';
import { OutboxTransaction } from '../src/modules/mail/outbox-transaction';
import { BenchApp } from './app';
import { appEnvironment, BenchProcess } from './processes';
import { BenchSmtpSink } from './smtp-sink';

/** The worker's send concurrency (NoticeJob: render 4, send 4); the baseline sends as many at once. */
export const SEND_CONCURRENCY = 4;
const WARM_UP_REFERRALS_MIN = 1;
const MEASURED_REFERRALS = 500;

export interface NoticeBench {
  notices: number;
  workerConcurrency: number;
  app: { seconds: number; rate: number; writeMs: number };
  /** Raw nodemailer over a pool of SEND_CONCURRENCY kept-open connections, as the app sends. */
  baseline: { messages: number; seconds: number; rate: number; bytes: number };
  /** Diagnosis: the same messages with one connection per message (the app before its pool). */
  perConnection: { seconds: number; rate: number };
  worker: { rssMb: number | null };
}

async function waitForMail(sink: BenchSmtpSink, count: number, timeoutMs: number, worker: BenchProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sink.accepted < count) {
    if (!worker.alive) throw new Error(worker.describeDeath());
    if (Date.now() > deadline)
      throw new Error(`Only ${sink.accepted} of ${count} notices reached the SMTP server within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * P3: notices from the compliance event to the SMTP server's 250. The in-process app raises the
 * no-attendance crossings of `notice` men in one outbox transaction (two notices each), queues
 * them after commit; a separate worker process (APP_ROLE=worker: Bull, render job, send job)
 * renders each e-mail and PDF letter and sends it to an in-process `smtp-server`. Baseline: raw
 * nodemailer sending the same rendered messages to the same server, SEND_CONCURRENCY at a time,
 * over a pool of as many kept-open connections, as the app's transport does.
 */
export async function benchNotices(
  bench: BenchApp,
  client: Client,
  options: {
    main: string;
    databaseUrl: string;
    redisUrl: string;
    queuePrefix: string;
    jwtSecret: string;
    noticeReferralIds: string[];
    log: (line: string) => void;
  },
): Promise<NoticeBench> {
  const { log } = options;
  const ids = options.noticeReferralIds;
  const warmCount = Math.max(WARM_UP_REFERRALS_MIN, ids.length - MEASURED_REFERRALS);
  const warm = ids.slice(0, warmCount);
  const measured = ids.slice(warmCount);
  if (measured.length === 0) throw new Error('No referrals left for the notice benchmark');

  const sink = new BenchSmtpSink();
  await sink.start();
  const worker = new BenchProcess('worker', [options.main], {
    ...appEnvironment({
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      queuePrefix: options.queuePrefix,
      jwtSecret: options.jwtSecret,
      smtpUrl: sink.url,
    }),
    APP_ROLE: 'worker',
  });
  const outbox = bench.app.get(OutboxTransaction);
  const compliance = bench.app.get(ComplianceService);
  const raise = (referralIds: string[]) =>
    outbox.run((manager) => compliance.evaluate(manager, referralIds, { calendar: true, today: bench.today }));
  try {
    log(`  warming the worker up with ${warm.length} referral(s)`);
    const warmed = await raise(warm);
    await waitForMail(sink, warmed.noticesCreated, 120_000, worker);

    const before = sink.accepted;
    const started = performance.now();
    const written = await raise(measured);
    const writeMs = performance.now() - started;
    await waitForMail(sink, before + written.noticesCreated, 600_000, worker);
    const seconds = (performance.now() - started) / 1000;
    const workerRss = worker.memory()?.rssMb ?? null;
    log(
      `  app: ${written.noticesCreated} notices of ${written.eventsCreated} events accepted in ${seconds.toFixed(2)} s (${(written.noticesCreated / seconds).toFixed(0)}/s)`,
    );

    // The SMTP server answers before the worker records `sent`: wait for the last records.
    const recordedBy = Date.now() + 30_000;
    while (Date.now() < recordedBy) {
      const sent = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM notices WHERE referral_id = ANY($1::uuid[]) AND status = 'sent'`,
        [measured],
      );
      if (Number(sent.rows[0].n) >= written.noticesCreated) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { rows } = await client.query<{
      id: string;
      recipient_email: string;
      subject: string;
      body_text: string;
      body_html: string;
      letter_pdf: Buffer;
    }>(
      `SELECT id, recipient_email, subject, body_text, body_html, letter_pdf FROM notices WHERE referral_id = ANY($1::uuid[]) AND status = 'sent'`,
      [measured],
    );
    const sendAll = async (pool: boolean): Promise<number> => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: sink.port,
        secure: false,
        pool,
        maxConnections: SEND_CONCURRENCY,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 10_000,
      } as Parameters<typeof nodemailer.createTransport>[0]);
      const sendStarted = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: SEND_CONCURRENCY }, async () => {
          while (next < rows.length) {
            const notice = rows[next++];
            await transport.sendMail({
              from: 'Throughline Bench <notices@bench.test>',
              to: notice.recipient_email,
              subject: notice.subject,
              text: notice.body_text,
              html: notice.body_html,
              messageId: `<baseline-${notice.id}@bench.test>`,
              attachments: [{ filename: 'notice.pdf', content: notice.letter_pdf, contentType: 'application/pdf' }],
            });
          }
        }),
      );
      transport.close();
      return (performance.now() - sendStarted) / 1000;
    };
    const bytesBefore = sink.bytes;
    const baselineSeconds = await sendAll(true);
    const bytes = sink.bytes - bytesBefore;
    const perConnectionSeconds = await sendAll(false);
    log(
      `  baseline: ${rows.length} messages accepted in ${baselineSeconds.toFixed(2)} s (${(rows.length / baselineSeconds).toFixed(0)}/s)`,
    );
    return {
      notices: written.noticesCreated,
      workerConcurrency: SEND_CONCURRENCY,
      app: { seconds, rate: written.noticesCreated / seconds, writeMs },
      baseline: { messages: rows.length, seconds: baselineSeconds, rate: rows.length / baselineSeconds, bytes },
      perConnection: { seconds: perConnectionSeconds, rate: rows.length / perConnectionSeconds },
      worker: { rssMb: workerRss },
    };
  } finally {
    await worker.stop();
    await sink.stop();
  }
}
