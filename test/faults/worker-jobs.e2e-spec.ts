import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { JobRegistry } from '../../src/modules/queues/job-registry';
import { JobName, QueueName } from '../../src/modules/queues/queue-names';
import { WorkerScheduler } from '../../src/modules/worker/worker-scheduler.service';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('the worker’s jobs', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('finds exactly one handler for every job kind from the handlers’ own decorators', () => {
    const handled = testApp.app.get(JobRegistry).handled();
    expect([...handled].sort()).toEqual(Object.values(JobName).sort());
  });

  it('schedules each nightly job once under a stable id, however often it is asked', async () => {
    const maintenance = testApp.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    const scheduler = testApp.app.get(WorkerScheduler);
    for (let i = 0; i < 3; i++) await scheduler.scheduleNightlyJobs();
    const repeatable = await maintenance.getRepeatableJobs();
    expect(repeatable.map((job) => `${job.name} ${job.cron} ${String(job.tz)}`).sort()).toEqual([
      'daily-compliance-sweep 15 5 * * * America/Chicago',
      'generate-sessions 0 3 * * * America/Chicago',
      'send-participant-messages 0 9 * * * America/Chicago',
    ]);
  });

  it('replaces a nightly job whose schedule changed instead of running both', async () => {
    const maintenance = testApp.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    await maintenance.add(
      JobName.DailyComplianceSweep,
      {},
      { jobId: JobName.DailyComplianceSweep, repeat: { cron: '0 1 * * *', tz: 'America/Chicago' } },
    );
    expect((await maintenance.getRepeatableJobs()).filter((job) => job.name === (JobName.DailyComplianceSweep as string))).toHaveLength(2);
    await testApp.app.get(WorkerScheduler).scheduleNightlyJobs();
    const sweeps = (await maintenance.getRepeatableJobs()).filter((job) => job.name === (JobName.DailyComplianceSweep as string));
    expect(sweeps.map((job) => job.cron)).toEqual(['15 5 * * *']);
  });
});
