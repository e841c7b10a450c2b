import { EntityManager } from 'typeorm';
import { AuditedWrite } from '../audit/audited-write';

/**
 * Writes the notices of new events, one per required recipient, in the caller's transaction
 * (the transactional outbox). Recipients come from the policy version's noticeRecipients
 * (a `corrected` follow-up goes to whoever heard of the event it corrects); kinds not listed
 * go to the probation officer and the court. One statement whatever the number of events.
 */
/** `timeZone` is the program's: a due-by of N business days counts its weekdays. */
export async function writeEventNotices(manager: EntityManager, eventIds: string[], timeZone: string): Promise<string[]> {
  if (eventIds.length === 0) return [];
  // INSERT … RETURNING answers with the rows themselves.
  const rows = await manager.query<Array<{ id: string }>>(eventNoticesInsertSql('compliance_events', '$2', 'e.id = ANY($1::uuid[])'), [
    eventIds,
    timeZone,
  ]);
  return rows.map((row) => row.id);
}

/**
 * The same notices as a CTE of a larger statement, for the events another CTE of it has just
 * inserted (`events`: its name; columns id, referral_id, kind, corrects_event_id). Its rows
 * (the notice ids) come back from the statement under `name`.
 */
export function addEventNotices(write: AuditedWrite, name: string, events: string, timeZone: string): void {
  write.with(name, eventNoticesInsertSql(events, `${write.bind(timeZone)}::text`, 'TRUE'), { returned: true });
}

function eventNoticesInsertSql(events: string, timeZone: string, where: string): string {
  return `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, due_by, next_attempt_at)
     SELECT e.id, e.referral_id, 'event', rk.kind::notice_recipient_kind,
            CASE rk.kind WHEN 'probation_officer' THEN po.email ELSE court.notice_email END,
            CASE rk.kind WHEN 'probation_officer' THEN po.id END,
            CASE rk.kind WHEN 'court' THEN court.id ELSE po.agency_id END,
            add_business_days(now(), pol.violation_report_business_days, ${timeZone}::text),
            now()
       FROM ${events} e
       JOIN referrals r ON r.id = e.referral_id
       JOIN policies pol ON pol.id = r.policy_id
       JOIN users po ON po.id = r.probation_officer_id
       JOIN agencies court ON court.id = r.court_agency_id
       LEFT JOIN compliance_events corrected ON corrected.id = e.corrects_event_id
       CROSS JOIN LATERAL jsonb_array_elements_text(
         COALESCE(pol.notice_recipients -> COALESCE(corrected.kind, e.kind)::text, '["probation_officer","court"]'::jsonb)
       ) AS rk(kind)
      WHERE ${where}
        AND (CASE rk.kind WHEN 'probation_officer' THEN po.email ELSE court.notice_email END) IS NOT NULL
     ON CONFLICT DO NOTHING
     RETURNING id`;
}
