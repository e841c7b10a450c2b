import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { JobName, QueueName } from '../../src/modules/queues/queue-names';
import { Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { removedToday } from './removed-today';

/**
 * A roster save does not queue its notices itself: the notices' trigger signals `notices_due` on
 * commit and the worker, listening, queues them at once. The relay's timer is set to a minute here,
 * so only the signal can bring a notice to the queue within a second or two; after the listening
 * connection is cut, the worker listens again and the first pass after it finds what was missed.
 */
describe('notices reach the queue on commit, signalled by their table', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  const takenAt = new Map<string, number>();

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { NOTICE_RELAY_INTERVAL_MS: '60000' } }));
    testApp.app.get<Queue>(getQueueToken(QueueName.Notices)).on('active', (job: Job<{ noticeId: string }>) => {
      if (job.name === (JobName.RenderNotice as string) && !takenAt.has(job.data.noticeId)) takenAt.set(job.data.noticeId, Date.now());
    });
    // The first pass, when the worker starts listening, has run.
    await waitFor(async () => (await listeners()) === 1, { what: 'the worker listening', timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await testApp.close();
  });

  const listeners = async () =>
    (
      await testApp.dataSource.query<Array<{ count: number }>>(
        `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'throughline-notices-due'`,
      )
    )[0].count;

  const removeOne = () => removedToday(testApp, staff, reference);

  async function secondsToQueue(noticeIds: string[], savedAt: number): Promise<number> {
    await waitFor(() => noticeIds.every((id) => takenAt.has(id)), { what: 'both notices taken from the queue', timeoutMs: 10_000 });
    return (Math.max(...noticeIds.map((id) => takenAt.get(id)!)) - savedAt) / 1000;
  }

  it('queues a save’s notices within about a second of its commit, with the relay’s timer a minute away', async () => {
    const { noticeIds, savedAt } = await removeOne();
    const seconds = await secondsToQueue(noticeIds, savedAt);
    process.stdout.write(`notices taken from the queue ${seconds.toFixed(2)} s after the save answered\n`);
    expect(seconds).toBeLessThan(2);
    const queued = await testApp.dataSource.query<Array<{ queued: boolean }>>(
      `SELECT queued_at IS NOT NULL AS queued FROM notices WHERE id = ANY($1::uuid[])`,
      [noticeIds],
    );
    expect(queued).toEqual([{ queued: true }, { queued: true }]);
  });

  it('listens again after its connection is cut, and still queues the next save’s notices', async () => {
    const cut = await testApp.dataSource.query<Array<{ cut: boolean }>>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'throughline-notices-due'`,
    );
    expect(cut).toEqual([{ cut: true }]);
    const { noticeIds, savedAt } = await removeOne();
    const seconds = await secondsToQueue(noticeIds, savedAt);
    process.stdout.write(`after the cut: notices taken ${seconds.toFixed(2)} s after the save answered\n`);
    expect(seconds).toBeLessThan(5);
    await waitFor(async () => (await listeners()) === 1, { what: 'the worker listening again', timeoutMs: 10_000 });
  });
});
