import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { ComplianceSweepService } from '../../src/modules/compliance/compliance-sweep.service';
import { QueueName } from '../../src/modules/queues/queue-names';
import { insertActiveReferrals } from '../helpers/bulk';
import { CpuLoad } from '../helpers/cpu-load';
import { createGroup, pinToday, seedReference, TODAY } from '../helpers/domain';
import { createStaff, Staff } from '../helpers/fixtures';
import { PrivateRedis } from '../helpers/redis-server';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const DOMAIN = '@throughline.local>';

/**
 * The Redis-restart stall, on demand: 1,000 notices in flight, Redis stopped for 10 s and
 * started empty while a CPU-burning process loads the machine. The promise is not
 * "eventually": every deliverable notice is sent within 60 s of Redis returning, each once,
 * and the worker keeps taking new work afterwards.
 */
describe('delivery after a Redis restart on a loaded machine', () => {
  let redis: PrivateRedis;
  let testApp: TestApp;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let groupId: string;
  const load = new CpuLoad();
  const taken = { render: 0, send: 0 };

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    testApp = await startTestApp({ env: { REDIS_URL: redis.url } });
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    groupId = (await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] })).id;
    testApp.app.get<Queue>(getQueueToken(QueueName.Notices)).on('active', (job: Job) => {
      if (job.name === 'render-notice') taken.render++;
      else taken.send++;
    });
  });

  afterAll(async () => {
    await load.stop();
    await testApp?.close();
    await redis?.stop();
  });

  async function raiseProgressReports(count: number): Promise<string[]> {
    const referralIds = await insertActiveReferrals(testApp, staff, {
      count,
      policyId: reference.duluthPolicy.id,
      groupId,
      today: TODAY,
      orderedDaysAgo: 31,
      enrollWithinDays: 14,
      completeWithinMonths: 9,
    });
    await testApp.app.get(ComplianceSweepService).run(TODAY);
    const rows: Array<{ id: string }> = await testApp.dataSource.query(`SELECT id FROM notices WHERE referral_id = ANY($1::uuid[])`, [referralIds]);
    return rows.map((row) => row.id);
  }

  function delivered(noticeIds: string[]) {
    const wanted = new Set(noticeIds.map((id) => `<${id}${DOMAIN}`));
    const seen = new Map<string, number>();
    let lastAt = 0;
    for (const mail of testApp.smtp.received) {
      if (!mail.messageId || !wanted.has(mail.messageId)) continue;
      seen.set(mail.messageId, (seen.get(mail.messageId) ?? 0) + 1);
      lastAt = Math.max(lastAt, mail.receivedAt);
    }
    return { distinct: seen.size, duplicates: [...seen.values()].filter((n) => n > 1).length, lastAt };
  }

  it('sends all 1,000 notices once, the last within 60 s of Redis returning, and keeps taking new ones', async () => {
    const noticeIds = await raiseProgressReports(500);
    expect(noticeIds).toHaveLength(1000);
    await waitFor(() => delivered(noticeIds).distinct >= 100, { what: 'first 100 delivered', timeoutMs: 90_000 });
    load.start(1, 150_000);
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await redis.start();
    const backAt = Date.now();
    // Waited for without throwing, so the figures are printed when it fails too.
    await waitFor(() => delivered(noticeIds).distinct === 1000, { what: 'all 1,000 delivered', timeoutMs: 120_000, intervalMs: 250 }).catch(() => undefined);
    const counts = delivered(noticeIds);
    const recoverySeconds = (counts.lastAt - backAt) / 1000;
    const waiting = await testApp.app.get<Queue>(getQueueToken(QueueName.Notices)).getWaitingCount();
    process.stdout.write(
      `Redis restart under load: ${counts.distinct} of 1,000 delivered, the last ${recoverySeconds.toFixed(1)} s after Redis returned; ` +
        `${counts.duplicates} duplicates; jobs taken so far: ${taken.render} render + ${taken.send} send; ${waiting} jobs waiting\n`,
    );
    expect(counts.distinct).toBe(1000);
    // A later notice is taken at once: the worker did not stop consuming after the restart.
    const later = await raiseProgressReports(5);
    const laterStart = Date.now();
    await waitFor(() => delivered(later).distinct === later.length, { what: 'the next 10 notices', timeoutMs: 30_000, intervalMs: 100 });
    const laterSeconds = (Date.now() - laterStart) / 1000;
    await load.stop();
    process.stdout.write(
      `Redis restart under load: jobs taken ${taken.render} render + ${taken.send} send for ${noticeIds.length + later.length} notices ` +
        `(${((taken.render + taken.send) / (noticeIds.length + later.length)).toFixed(2)} per notice); the next 10 delivered in ${laterSeconds.toFixed(1)} s\n`,
    );
    expect(counts.duplicates).toBe(0);
    expect(recoverySeconds).toBeLessThan(60);
    expect(laterSeconds).toBeLessThan(15);
  }, 300_000);
});
