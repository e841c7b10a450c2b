/** Job options shared by every notice job: the database, not Bull, keeps retries and history. */
export const NOTICE_JOB_OPTIONS = { attempts: 1, removeOnComplete: true, removeOnFail: true } as const;

/**
 * A rendered notice goes out before the next one is drawn (1 is Bull's highest priority). In one
 * first-in-first-out queue the send jobs waited behind every render job of a batch: after a
 * sweep raised 1,000 notices on a loaded machine, the first was sent only once all 1,000 had been
 * drawn, about a minute later.
 */
export const RENDER_JOB_OPTIONS = { ...NOTICE_JOB_OPTIONS, priority: 2 } as const;
export const SEND_JOB_OPTIONS = { ...NOTICE_JOB_OPTIONS, priority: 1 } as const;

/**
 * A notice's jobs are named by it, so queuing one twice (the relay's wake-up and its timer, or
 * after Redis lost some) adds nothing while the first is still in Redis.
 */
export function renderJobId(noticeId: string): string {
  return `render:${noticeId}`;
}

export function sendJobId(noticeId: string, attempts: number): string {
  return `send:${noticeId}:${attempts}`;
}
