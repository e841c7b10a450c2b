import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { NoticeRenderer } from '../../modules/notices/notice-renderer.service';
import { NoticeLetters } from '../../modules/notices/notice-letters.service';

/** The address the court gave up; its mail server refuses it, as a real one would. */
export const DEMO_BOUNCED_COURT_ADDRESS = 'clerk-old@stlouiscountycourts.demo.throughline.test';

/**
 * One dead notice and one unknown one, so the admin's *Notices* page has something to resolve
 * and *Send again* can be seen. The demo's inbox (MailDev) accepts every address and cannot
 * bounce, so the two are written as the delivery path leaves them, with its own words:
 *  - dead: the first notice to the court went to the court's old address, and the server
 *    answered 550 (the court's current address is the one *Send again* uses);
 *  - unknown: a worker stopped between the server's acceptance and the database's record (the
 *    officer's notice of Anthony's removal for behaviour).
 * Both are rendered first, so their letters open like any other notice's.
 */
export async function seedUndeliveredNotices(app: INestApplicationContext, referrals: { dead: string; unknown: string }): Promise<void> {
  const dataSource = app.get(DataSource);
  // The seed runs without workers, where the renderer lives: the same classes, built by hand.
  const letters = new NoticeLetters(app.get(AppConfig));
  const renderer = new NoticeRenderer(dataSource, app.get(AppConfig), app.get(ProgramClock), letters);
  try {
    await markUndelivered(dataSource, renderer, referrals);
  } finally {
    await letters.onModuleDestroy();
  }
}

async function markUndelivered(
  dataSource: DataSource,
  renderer: NoticeRenderer,
  referrals: { dead: string; unknown: string },
): Promise<void> {
  const firstNotice = async (referralId: string, recipientKind: 'court' | 'probation_officer') =>
    (
      await dataSource.query<Array<{ id: string }>>(
        `SELECT n.id FROM notices n JOIN compliance_events e ON e.id = n.event_id
        WHERE n.referral_id = $1 AND n.recipient_kind = $2 AND n.status = 'pending' AND e.kind NOT IN ('enrolled', 'transferred')
        ORDER BY n.created_at LIMIT 1`,
        [referralId, recipientKind],
      )
    )[0]?.id;
  const dead = await firstNotice(referrals.dead, 'court');
  const unknown = await firstNotice(referrals.unknown, 'probation_officer');
  for (const [noticeId, status, lastResponse] of [
    [dead, 'dead', `550 5.1.1 <${DEMO_BOUNCED_COURT_ADDRESS}>: Recipient address rejected: User unknown in virtual mailbox table`],
    [
      unknown,
      'unknown',
      'The worker stopped while sending; the mail server may have accepted it. Check with the recipient before resending.',
    ],
  ] as const) {
    if (!noticeId) continue;
    const rendered = await renderer.render(noticeId);
    if (!rendered) continue;
    await dataSource.query(
      `UPDATE notices SET subject = $2, body_text = $3, body_html = $4, letter_pdf = $5, rendered_at = now(),
              status = $6::notice_status, last_response = $7, attempts = 1, sending_started_at = now() - interval '20 minutes',
              recipient_email = CASE WHEN $6 = 'dead' THEN $8 ELSE recipient_email END
        WHERE id = $1 AND status = 'pending'`,
      [noticeId, rendered.content.subject, rendered.text, rendered.html, rendered.pdf, status, lastResponse, DEMO_BOUNCED_COURT_ADDRESS],
    );
  }
}
