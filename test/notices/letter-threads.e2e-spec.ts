import { renderNoticeLetter } from '../../src/modules/notices/letter-pdf';
import { NoticeLetters } from '../../src/modules/notices/notice-letters.service';
import { NoticeRenderer } from '../../src/modules/notices/notice-renderer.service';
import { Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { removedToday } from './removed-today';

/**
 * With LETTER_THREADS=1 (the default outside tests) the worker draws its PDF letters on a thread of
 * its own: the same bytes as drawn on the main thread, and a thread that dies is replaced.
 */
describe('letters drawn on a thread of their own', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let letters: NoticeLetters;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { LETTER_THREADS: '1' } }));
    letters = testApp.app.get(NoticeLetters);
  });
  afterAll(async () => testApp.close());

  /** A man removed for behaviour on today's session: his event's two notices, once both are sent. */
  async function removeOne(): Promise<Array<{ id: string; letter: Buffer }>> {
    const { noticeIds } = await removedToday(testApp, staff, reference);
    return waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string; letter: Buffer }>>(
          `SELECT id, letter_pdf AS letter FROM notices WHERE id = ANY($1::uuid[]) AND status = 'sent'`,
          [noticeIds],
        );
        return rows.length === 2 ? rows : null;
      },
      { what: 'both notices sent', timeoutMs: 60_000 },
    );
  }

  it('draws the letters on the thread, byte for byte as the main thread draws them', async () => {
    const before = letters.threadFigures().drawn;
    const sent = await removeOne();
    // The enrolment's own notices were drawn there too.
    expect(letters.threadFigures().drawn).toBeGreaterThanOrEqual(before + 2);
    expect(letters.threadFigures().threads).toBe(1);
    const renderer = testApp.app.get(NoticeRenderer);
    for (const notice of sent) {
      const rendered = await renderer.render(notice.id);
      const here = await renderNoticeLetter(rendered!.content);
      expect(here.length).toBeGreaterThan(10_000);
      // Compared as a boolean: a letter is 40 KB.
      expect({ id: notice.id, same: Buffer.compare(notice.letter, here) === 0 }).toEqual({ id: notice.id, same: true });
    }
  });

  it('replaces a thread that died, and the next letters are drawn and sent', async () => {
    await removeOne();
    const pool = (letters as unknown as { pool: { threads: Array<{ terminate(): Promise<number> }> } }).pool;
    await pool.threads[0].terminate();
    const sent = await removeOne();
    expect(sent).toHaveLength(2);
    expect(letters.threadFigures().threads).toBe(1);
  });
});
