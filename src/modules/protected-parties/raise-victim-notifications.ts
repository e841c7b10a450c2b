import { AuditedWrite } from '../audit/audited-write';
import { VictimNotificationEvent } from '../policies/policy.entity';

/** Which of his steps a status change is, for victim notification (a first enrollment makes him active). */
export function victimNotificationEvent(change: { from: string; to: string }): VictimNotificationEvent | null {
  if (change.to === 'completed' || change.to === 'terminated') return change.to;
  if (change.to === 'active' && (change.from === 'referred' || change.from === 'failed_to_enroll')) return 'enrolled';
  return null;
}

/** The changes that are a step some protected party may have to hear of. */
export function victimNotificationSteps(
  changes: Array<{ id: string; from: string; to: string }>,
): Array<{ id: string; event: VictimNotificationEvent }> {
  return changes
    .map((change) => ({ id: change.id, event: victimNotificationEvent(change) }))
    .filter((change): change is { id: string; event: VictimNotificationEvent } => change.event !== null);
}

/**
 * Raises, in the status change's own statement (a CTE of it), a pending notification for each
 * protected party the policy says must hear of this step (its `victimNotificationEvents`):
 * `unless_declined` unless she declined, `on_request` only if she asked. At a termination under
 * `on_request`, one never asked is raised too, marked "ask first": an advocate asks her whether
 * she wants to hear. Once per party and event, however often the status changes. Each carries the
 * time it is due by, from the policy's clock for that step (victim_notification_due_at: business
 * days of the program calendar in the time zone `zone` for his enrollment, hours for his
 * discharge), or none where the policy sets none. `ids`, `events` and `zone` are the parameters
 * holding the referral ids, the steps and the program's zone; it answers the new ids.
 */
export function victimNotificationInsertSql(ids: string, events: string, zone: string): string {
  return `INSERT INTO victim_notifications (referral_id, protected_party_id, event, ask_first, due_at)
     SELECT pp.referral_id, pp.id, x.event, p.victim_notification = 'on_request' AND pp.notification_wish = 'not_asked',
            victim_notification_due_at(now(), x.event, p.victim_notice_enrollment_business_days, p.victim_notice_discharge_hours, ${zone}::text)
       FROM unnest(${ids}::uuid[], ${events}::text[]) AS x(id, event)
       JOIN referrals r ON r.id = x.id
       JOIN policies p ON p.id = r.policy_id
       JOIN protected_parties pp ON pp.referral_id = r.id
      WHERE x.event = ANY(p.victim_notification_events)
        AND ((p.victim_notification = 'unless_declined' AND pp.notification_wish <> 'declined')
          OR (p.victim_notification = 'on_request' AND pp.notification_wish = 'wants')
          OR (p.victim_notification = 'on_request' AND pp.notification_wish = 'not_asked' AND x.event = 'terminated'))
     ON CONFLICT (protected_party_id, event) DO NOTHING
     RETURNING id`;
}

/**
 * Adds to a status change's own statement the victim notifications its steps raise, and their
 * audit entries; nothing when no change is such a step. `zone` is the program's time zone.
 */
export function addVictimNotifications(write: AuditedWrite, changes: Array<{ id: string; from: string; to: string }>, zone: string): void {
  const steps = victimNotificationSteps(changes);
  if (steps.length === 0) return;
  const { bind } = write;
  write.with(
    'victim_notifications_raised',
    victimNotificationInsertSql(bind(steps.map((step) => step.id)), bind(steps.map((step) => step.event)), bind(zone)),
  );
  write.audit(
    `SELECT 'victim_notification.raised', 'victim_notification', v.id, NULL::jsonb, row_number() OVER () FROM victim_notifications_raised v`,
  );
}
