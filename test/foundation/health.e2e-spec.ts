import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { JobName, QueueName } from '../../src/modules/queues/queue-names';
import { TcpProxy } from '../helpers/tcp-proxy';
import { waitFor } from '../helpers/wait-for';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Resolves with the promise's value, or fails the test when it takes longer than ms. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('health endpoints', () => {
  describe('with every dependency up', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await startTestApp();
    });
    afterAll(() => testApp.close());

    it('answers liveness with 200 {status: ok} without a token', async () => {
      const response = await testApp.http.get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('reports database, Redis and SMTP up on /health/ready without a token, with notice delivery figures', async () => {
      const response = await testApp.http.get('/health/ready').expect(200);
      expect(response.body.status).toBe('ok');
      expect(response.body.info).toEqual({
        database: { status: 'up' },
        redis: { status: 'up' },
        smtp: { status: 'up', reachable: true },
        notices: { status: 'up', oldestUndeliveredSeconds: null, undelivered: 0, overdue: 0, dead: 0, unknown: 0 },
        delivery: { status: 'up', waiting: 0, active: 0, delayed: 0, oldestWaitingSeconds: null, stalled: false },
      });
      expect(response.body.error).toEqual({});
    });

    it('stays ready (200) while the SMTP server is down, reporting it unreachable: the outbox rides out a mail outage', async () => {
      const port = testApp.smtp.port;
      await testApp.smtp.stop();
      try {
        const response = await testApp.http.get('/health/ready').expect(200);
        expect(response.body.info.smtp).toMatchObject({ status: 'up', reachable: false });
        expect(response.body.info.smtp.message).toMatch(/SMTP server/);
        expect(response.body.info.database).toEqual({ status: 'up' });
      } finally {
        await testApp.smtp.start(port);
      }
      const again = await testApp.http.get('/health/ready').expect(200);
      expect(again.body.info.smtp).toEqual({ status: 'up', reachable: true });
    });
  });

  describe('when no worker takes the waiting jobs', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      // A 1 s queue lock: a job waiting 2 s with none taken counts as stalled.
      testApp = await startTestApp({ env: { QUEUE_LOCK_MS: '1000' } });
    });
    afterAll(() => testApp.close());

    it('reports the stall on /health/ready without failing it, and answers 503 on /health/delivery until jobs are taken again', async () => {
      const notices = testApp.app.get<Queue>(getQueueToken(QueueName.Notices));
      await testApp.http.get('/health/delivery').expect(200);
      // This process stops taking jobs (as a wedged worker would); the job itself is harmless.
      await notices.pause(true, true);
      await notices.add(
        JobName.RenderNotice,
        { noticeId: '00000000-0000-4000-8000-000000000000' },
        { jobId: 'render:stall-probe', removeOnComplete: true },
      );
      const stalled = await waitFor(
        async () => {
          const response = await testApp.http.get('/health/delivery');
          return response.status === 503 ? response : null;
        },
        { what: '/health/delivery 503', timeoutMs: 10_000, intervalMs: 200 },
      );
      expect(stalled.body).toMatchObject({ code: 'NOT_READY', message: 'Not ready: delivery down' });
      expect(stalled.body.details.delivery).toMatchObject({ status: 'down', waiting: 1, active: 0, stalled: true });
      expect(stalled.body.details.delivery.oldestWaitingSeconds).toBeGreaterThanOrEqual(2);
      const ready = await testApp.http.get('/health/ready').expect(200);
      expect(ready.body.info.delivery).toMatchObject({ status: 'up', waiting: 1, stalled: true });
      await notices.resume(true);
      await waitFor(async () => (await testApp.http.get('/health/delivery')).status === 200, {
        what: 'delivery healthy again',
        timeoutMs: 10_000,
      });
    });
  });

  describe('when Redis goes away', () => {
    let proxy: TcpProxy;
    let testApp: TestApp;

    beforeAll(async () => {
      proxy = new TcpProxy('127.0.0.1', 6379);
      const port = await proxy.start();
      testApp = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}/0` } });
    });
    afterAll(async () => {
      await proxy.cut();
      // Shutting down must not wait for a Redis that is not there (a SIGTERM during an outage).
      await within(10_000, 'app.close() with Redis down', testApp.close());
      // ioredis arms a 2 s timer to destroy a socket the outage already closed; let it fire so the worker exits cleanly.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
    });

    it('reports redis down with 503 while the database stays up', async () => {
      const before = await testApp.http.get('/health/ready').expect(200);
      expect(before.body.info.redis).toEqual({ status: 'up' });

      await proxy.cut();

      const started = Date.now();
      const response = await testApp.http.get('/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'NOT_READY', message: 'Not ready: redis down' });
      expect(response.body.details.redis.status).toBe('down');
      expect(response.body.details.redis.message).toMatch(/Redis/);
      expect(response.body.details.database).toEqual({ status: 'up' });
      expect(response.body.details.smtp).toEqual({ status: 'up', reachable: true });
    });

    it('still answers liveness while Redis is down', async () => {
      await testApp.http.get('/health').expect(200, { status: 'ok' });
    });
  });
});
