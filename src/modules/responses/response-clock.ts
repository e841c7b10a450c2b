import { EntityManager } from 'typeorm';
import { VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';

export interface ResponseClockResult {
  reminders: number;
  escalations: number;
}

/**
 * The response clock, one pass: a violation sent to probation or the court with no response from
 * that agency after the policy's business days raises a reminder to the recipient; after twice
 * that, an escalation to the program administrator and to the CCR coordinator. Notices are
 * written to the outbox with ON CONFLICT DO NOTHING on the one-per-(event, recipient, purpose)
 * index, so a period raises each notice exactly once however often the sweep runs. A response
 * stops the clock for its agency (and ResponsesService settles what is still undelivered).
 * Withdrawn events, and orders closed or completed, expect no response.
 */
export async function runResponseClock(
  manager: EntityManager,
  programEmail: string | null,
  programTimeZone: string,
): Promise<ResponseClockResult> {
  const waiting = (zone: string) => `
    SELECT n.id AS notice_id, n.event_id, n.referral_id, n.recipient_kind, n.recipient_email, n.recipient_user_id, n.recipient_agency_id,
           CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END AS agency,
           add_business_days(COALESCE(n.sent_at, n.created_at), CASE n.recipient_kind WHEN 'court' THEN pol.court_response_business_days ELSE pol.probation_response_business_days END, ${zone}::text) AS remind_at,
           add_business_days(COALESCE(n.sent_at, n.created_at), 2 * CASE n.recipient_kind WHEN 'court' THEN pol.court_response_business_days ELSE pol.probation_response_business_days END, ${zone}::text) AS escalate_at
      FROM notices n
      JOIN compliance_events e ON e.id = n.event_id
      JOIN referrals r ON r.id = n.referral_id
      JOIN policies pol ON pol.id = r.policy_id
     WHERE n.purpose = 'event' AND n.recipient_kind IN ('probation_officer', 'court')
       AND n.status IN ('sent', 'acknowledged')
       AND e.kind = ANY($1::compliance_event_kind[])
       AND r.status NOT IN ('closed', 'completed')
       AND NOT EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id)
       AND NOT EXISTS (SELECT 1 FROM event_responses er WHERE er.event_id = e.id
                         AND er.agency = (CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END)::response_agency)`;
  const reminders = await manager.query<Array<{ id: string }>>(
    `WITH waiting AS (${waiting('$2')})
     INSERT INTO notices (event_id, referral_id, purpose, reminds_notice_id, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, due_by)
     SELECT w.event_id, w.referral_id, 'response_reminder', w.notice_id, w.recipient_kind, w.recipient_email, w.recipient_user_id, w.recipient_agency_id, now()
       FROM waiting w WHERE w.remind_at < now()
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [VIOLATION_KINDS, programTimeZone],
  );
  const escalations = await manager.query<Array<{ id: string }>>(
    `WITH waiting AS (${waiting('$3')}),
          program AS (SELECT COALESCE($2::text, (SELECT a.notice_email FROM agencies a WHERE a.kind = 'program' AND a.notice_email IS NOT NULL ORDER BY a.created_at LIMIT 1)) AS email),
          coordinator AS (SELECT u.email, u.id FROM users u WHERE u.role = 'coordinator' AND u.active ORDER BY u.created_at LIMIT 1),
          targets AS (
            SELECT w.*, 'program_admin'::notice_recipient_kind AS to_kind, program.email AS to_email, NULL::uuid AS to_user FROM waiting w, program WHERE program.email IS NOT NULL AND w.escalate_at < now()
            UNION ALL
            SELECT w.*, 'coordinator'::notice_recipient_kind, coordinator.email, coordinator.id FROM waiting w, coordinator WHERE w.escalate_at < now()
          )
     INSERT INTO notices (event_id, referral_id, purpose, reminds_notice_id, recipient_kind, recipient_email, recipient_user_id, due_by)
     SELECT t.event_id, t.referral_id, (t.agency || '_response_escalation')::notice_purpose, t.notice_id, t.to_kind, t.to_email, t.to_user, now()
       FROM targets t
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [VIOLATION_KINDS, programEmail, programTimeZone],
  );
  // Queued by the worker once the sweep's transaction commits (the notices' trigger signals it).
  return { reminders: reminders.length, escalations: escalations.length };
}
