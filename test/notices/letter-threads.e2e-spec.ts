import { addDays } from '../../src/common/dates';
import { renderNoticeLetter } from '../../src/modules/notices/letter-pdf';
import { NoticeLetters } from '../../src/modules/notices/notice-letters.service';
import { NoticeRenderer } from '../../src/modules/notices/notice-renderer.service';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

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
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -14), TODAY);
    const session = sessions[sessions.length - 1];
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, session.date);
    await testApp.http
      .put(`/api/v1/sessions/${session.id}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed' }] })
      .expect(200);
    return waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string; letter: Buffer }>>(
          `SELECT n.id, n.letter_pdf AS letter FROM notices n JOIN compliance_events e ON e.id = n.event_id
            WHERE e.referral_id = $1 AND e.kind = 'removed_for_behaviour' AND n.status = 'sent'`,
          [referral.id],
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
