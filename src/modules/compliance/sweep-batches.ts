/** Before every uuid: where a walk over referrals by id starts. */
const BEFORE_EVERY_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Walks every id in key order, a page at a time (`next(after)` gives the page after an id, empty
 * at the end), handing each page to `work` with at most `concurrency` pages in hand at once: the
 * next page is read while the earlier ones are worked on. Pages are disjoint, so their work never
 * overlaps. A failure stops the walk: no new page is taken, the pages in hand finish (each its own
 * transaction, committed or rolled back on its own) and then the first failure is thrown, so a
 * sweep that fails halfway leaves whole batches behind it, never half of one.
 */
export async function inBatches(
  next: (after: string) => Promise<string[]>,
  work: (ids: string[]) => Promise<void>,
  concurrency: number,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const failures: unknown[] = [];
  let after = BEFORE_EVERY_ID;
  try {
    while (failures.length === 0) {
      const ids = await next(after);
      if (ids.length === 0) break;
      after = ids[ids.length - 1];
      const task: Promise<void> = work(ids)
        .catch((error: unknown) => void failures.push(error))
        .finally(() => running.delete(task));
      running.add(task);
      if (running.size >= concurrency) await Promise.race(running);
    }
  } finally {
    await Promise.all(running);
  }
  if (failures.length > 0) throw failures[0];
}
