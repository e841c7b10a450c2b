import { NoticeJob } from '../../src/modules/notices/notice.job';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Its own file: the app that fails to start must be the only one in the process. */
describe('a worker whose job kind has lost its handler', () => {
  it('refuses to start a worker when a job kind has lost its handler, naming it', async () => {
    let started: TestApp | undefined;
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a job class with no handler at all
    const failure = await startTestApp({ override: (builder) => builder.overrideProvider(NoticeJob).useClass(class WithoutHandlers {}) })
      .then((app) => {
        started = app;
        return null;
      })
      .catch((error: unknown) => error as Error);
    await started?.close();
    expect(failure?.message).toBe('No handler registered for job(s): render-notice, send-notice');
  });
});
