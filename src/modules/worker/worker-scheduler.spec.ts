import { NoticeProcessor } from '../notices/notice.processor';
import { JobName } from '../queues/queue-names';
import { assertEveryJobHandled } from './worker-scheduler.service';

describe('job handler registry', () => {
  it('has a handler for every job name', () => {
    expect(() => assertEveryJobHandled()).not.toThrow();
  });

  it('fails start-up naming the job that lost its handler', () => {
    const original = NoticeProcessor.handles;
    (NoticeProcessor as unknown as { handles: JobName[] }).handles = [JobName.RenderNotice];
    try {
      expect(() => assertEveryJobHandled()).toThrow('No handler registered for job(s): send-notice');
    } finally {
      (NoticeProcessor as unknown as { handles: JobName[] }).handles = original;
    }
  });
});
