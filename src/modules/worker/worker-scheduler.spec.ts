import { NoticeProcessor } from '../notices/notice.processor';
import { JobName } from '../queues/queue-names';
import { QueueWatchdog } from './queue-watchdog';
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

describe('queue watchdog', () => {
  let now = 0;
  const watchdog = () => new QueueWatchdog(15_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('calls a queue stalled once jobs have waited 15 s with none taken, then starts the clock again', () => {
    const dog = watchdog();
    expect(dog.isStalled({ waiting: 40, active: 0 })).toBe(false);
    now += 14_000;
    expect(dog.isStalled({ waiting: 40, active: 0 })).toBe(false);
    now += 1_000;
    expect(dog.isStalled({ waiting: 40, active: 0 })).toBe(true);
    now += 5_000;
    expect(dog.isStalled({ waiting: 40, active: 0 })).toBe(false);
  });

  it('never calls an idle queue (nothing waiting) or a busy one (jobs active) stalled', () => {
    const dog = watchdog();
    for (let step = 0; step < 10; step++) {
      now += 10_000;
      expect(dog.isStalled({ waiting: 0, active: 0 })).toBe(false);
      expect(dog.isStalled({ waiting: 12, active: 4 })).toBe(false);
    }
  });

  it('counts from the last job that started or finished', () => {
    const dog = watchdog();
    now += 10_000;
    expect(dog.isStalled({ waiting: 3, active: 0 })).toBe(false);
    dog.progressed();
    now += 10_000;
    expect(dog.isStalled({ waiting: 3, active: 0 })).toBe(false);
    now += 6_000;
    expect(dog.isStalled({ waiting: 3, active: 0 })).toBe(true);
  });

  it('does not call a queue stalled the moment work arrives after a long idle spell', () => {
    const dog = watchdog();
    now += 600_000;
    expect(dog.isStalled({ waiting: 0, active: 0 })).toBe(false);
    expect(dog.isStalled({ waiting: 5, active: 0 })).toBe(false);
  });
});
