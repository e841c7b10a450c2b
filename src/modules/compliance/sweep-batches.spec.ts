import { inBatches } from './sweep-batches';

/** Ids '001'…'n' in pages of `size`, read as the sweep reads referrals: the page after the last id seen. */
function pages(n: number, size: number) {
  const ids = Array.from({ length: n }, (_, i) => String(i + 1).padStart(3, '0'));
  const reads: string[] = [];
  const next = (after: string) => {
    reads.push(after);
    return Promise.resolve(ids.filter((id) => id > after).slice(0, size));
  };
  return { ids, reads, next };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

/** Work that records each page and how many pages were in hand at once. */
function recorder(fail?: (page: string[]) => boolean) {
  const seen: string[][] = [];
  const finished: string[][] = [];
  let inHand = 0;
  let most = 0;
  const work = async (page: string[]) => {
    inHand += 1;
    most = Math.max(most, inHand);
    seen.push(page);
    await tick();
    inHand -= 1;
    if (fail?.(page)) throw new Error(`page ${page[0]} failed`);
    finished.push(page);
  };
  return { seen, finished, work, most: () => most };
}

describe('inBatches', () => {
  it('hands every page over once, in key order, two in hand at once', async () => {
    const { ids, reads, next } = pages(23, 5);
    const batches = recorder();
    await inBatches(next, batches.work, 2);
    expect(batches.seen.flat()).toEqual(ids);
    expect(batches.seen.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(batches.most()).toBe(2);
    expect(reads).toEqual(['00000000-0000-0000-0000-000000000000', '005', '010', '015', '020', '023']);
  });

  it('one at a time when asked, and nothing to do when there are no ids', async () => {
    const one = recorder();
    await inBatches(pages(12, 5).next, one.work, 1);
    expect(one.most()).toBe(1);
    expect(one.seen.flat()).toHaveLength(12);
    const none = recorder();
    await inBatches(pages(0, 5).next, none.work, 2);
    expect(none.seen).toEqual([]);
  });

  it('after a failure takes no new page, lets the page in hand finish, then throws the failure', async () => {
    const { reads, next } = pages(40, 5);
    const batches = recorder((page) => page[0] === '006');
    await expect(inBatches(next, batches.work, 2)).rejects.toThrow('page 006 failed');
    // Pages 1 and 2 were in hand together; page 3 was taken when page 1 finished. Page 2's failure
    // stopped the walk: page 3 finished before the throw, and no fourth page was read.
    expect(batches.seen.map((page) => page[0])).toEqual(['001', '006', '011']);
    expect(batches.finished.map((page) => page[0])).toEqual(['001', '011']);
    expect(reads).toHaveLength(3);
  });

  it('when reading a page fails, the pages in hand finish before the failure is thrown', async () => {
    const batches = recorder();
    let calls = 0;
    const next = (after: string) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('database away')) : pages(20, 5).next(after);
    };
    await expect(inBatches(next, batches.work, 2)).rejects.toThrow('database away');
    expect(batches.finished.map((page) => page[0])).toEqual(['001']);
  });
});
