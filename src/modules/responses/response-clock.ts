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
  // The two clocks (add_business_days, ~0.6 ms a call) are worked out only for the notices that are
  // still waiting and still `unwritten` (nothing raised for them yet in that pass's kind). Left to
  // the planner, they were computed as a join filter before the responses and corrections were
  // looked at, and for every violation of the year again every night, only for ON CONFLICT to drop
  // what was raised before: at statewide scale (54,000 violations, 100,000 notices) one pass took
  // 47 s, past the statement timeout, and the sweep failed every night at its end. MATERIALIZED
  // keeps the cheap conditions first.
  const waiting = (zone: string, unwritten: string) => `
    still_waiting AS MATERIALIZED (
      SELECT n.id AS notice_id, n.event_id, n.referral_id, n.recipient_kind, n.recipient_email, n.recipient_user_id, n.recipient_agency_id,
             CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END AS agency,
             COALESCE(n.sent_at, n.created_at) AS clock_from,
             CASE n.recipient_kind WHEN 'court' THEN pol.court_response_business_days ELSE pol.probation_response_business_days END AS business_days
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
                           AND er.agency = (CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END)::response_agency)
         AND ${unwritten}),
    waiting AS (
      SELECT sw.*, add_business_days(sw.clock_from, sw.business_days, ${zone}::text) AS remind_at,
             add_business_days(sw.clock_from, 2 * sw.business_days, ${zone}::text) AS escalate_at
        FROM still_waiting sw)`;
  // Each notice's row on the one-per-(event, recipient, purpose) index, as the INSERTs below would write it.
  const written = (recipient: string, purpose: string) =>
    `EXISTS (SELECT 1 FROM notices x WHERE x.event_id = n.event_id AND x.recipient_kind = ${recipient} AND x.purpose = ${purpose})`;
  const escalation = `((CASE n.recipient_kind WHEN 'court' THEN 'court' ELSE 'probation' END) || '_response_escalation')::notice_purpose`;
  // The reminder goes to the notice's own recipient; the escalation to both the program and the
  // coordinator, so a notice is left out only once both are written (with no coordinator, never).
  const unreminded = `NOT ${written('n.recipient_kind', "'response_reminder'")}`;
  const unescalated = `NOT (${written("'program_admin'", escalation)} AND ${written("'coordinator'", escalation)})`;
  const reminders = await manager.query<Array<{ id: string }>>(
    `WITH ${waiting('$2', unreminded)}
     INSERT INTO notices (event_id, referral_id, purpose, reminds_notice_id, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, due_by)
     SELECT w.event_id, w.referral_id, 'response_reminder', w.notice_id, w.recipient_kind, w.recipient_email, w.recipient_user_id, w.recipient_agency_id, now()
       FROM waiting w WHERE w.remind_at < now()
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [VIOLATION_KINDS, programTimeZone],
  );
  const escalations = await manager.query<Array<{ id: string }>>(
    `WITH ${waiting('$3', unescalated)},
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
