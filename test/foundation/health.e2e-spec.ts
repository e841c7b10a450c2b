import { TcpProxy } from '../helpers/tcp-proxy';
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
        smtp: { status: 'up' },
        notices: { status: 'up', oldestUndeliveredSeconds: null, undelivered: 0, overdue: 0, dead: 0, unknown: 0 },
      });
      expect(response.body.error).toEqual({});
    });

    it('answers 503 with smtp down when the SMTP server stops, and 200 again once it is back', async () => {
      const port = testApp.smtp.port;
      await testApp.smtp.stop();
      try {
        const response = await testApp.http.get('/health/ready').expect(503);
        expect(response.body).toMatchObject({
          statusCode: 503,
          error: 'Service Unavailable',
          code: 'NOT_READY',
          message: 'Not ready: smtp down',
        });
        expect(response.body.details.smtp.status).toBe('down');
        expect(response.body.details.smtp.message).toMatch(/SMTP server/);
        expect(response.body.details.database).toEqual({ status: 'up' });
        expect(response.body.details.redis).toEqual({ status: 'up' });
      } finally {
        await testApp.smtp.start(port);
      }
      await testApp.http.get('/health/ready').expect(200);
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
      expect(response.body.details.smtp).toEqual({ status: 'up' });
    });

    it('still answers liveness while Redis is down', async () => {
      await testApp.http.get('/health').expect(200, { status: 'ok' });
    });
  });
});
