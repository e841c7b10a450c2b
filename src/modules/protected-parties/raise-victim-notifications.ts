import { EntityManager } from 'typeorm';
import { VictimNotificationEvent } from '../policies/policy.entity';

/** Which of his steps a status change is, for victim notification (a first enrollment makes him active). */
export function victimNotificationEvent(change: { from: string; to: string }): VictimNotificationEvent | null {
  if (change.to === 'completed' || change.to === 'terminated') return change.to;
  if (change.to === 'active' && (change.from === 'referred' || change.from === 'failed_to_enroll')) return 'enrolled';
  return null;
}

/**
 * Raises, in the status change's own transaction, a pending notification for each protected party
 * the policy says must hear of this step (its `victimNotificationEvents`): `unless_declined` unless
 * she declined, `on_request` only if she asked. At a termination under `on_request`, one never
 * asked is raised too, marked "ask first": an advocate asks her whether she wants to hear. Once per
 * party and event, however often the status changes. Each carries the time it is due by, from the
 * policy's clock for that step (victim_notification_due_at: business days of the program calendar
 * in `timeZone` for his enrollment, hours for his discharge), or none where the policy sets none.
 * Returns the new notifications' ids.
 */
export async function raiseVictimNotifications(manager: EntityManager, changes: Array<{ id: string; from: string; to: string }>, timeZone: string): Promise<string[]> {
  const relevant = changes.map((change) => ({ id: change.id, event: victimNotificationEvent(change) })).filter((change) => change.event !== null);
  if (relevant.length === 0) return [];
  // TypeORM answers an INSERT … RETURNING with the rows themselves (UPDATE gives [rows, count]).
  const rows = (await manager.query(
    `INSERT INTO victim_notifications (referral_id, protected_party_id, event, ask_first, due_at)
     SELECT pp.referral_id, pp.id, x.event, p.victim_notification = 'on_request' AND pp.notification_wish = 'not_asked',
            victim_notification_due_at(now(), x.event, p.victim_notice_enrollment_business_days, p.victim_notice_discharge_hours, $3::text)
       FROM unnest($1::uuid[], $2::text[]) AS x(id, event)
       JOIN referrals r ON r.id = x.id
       JOIN policies p ON p.id = r.policy_id
       JOIN protected_parties pp ON pp.referral_id = r.id
      WHERE x.event = ANY(p.victim_notification_events)
        AND ((p.victim_notification = 'unless_declined' AND pp.notification_wish <> 'declined')
          OR (p.victim_notification = 'on_request' AND pp.notification_wish = 'wants')
          OR (p.victim_notification = 'on_request' AND pp.notification_wish = 'not_asked' AND x.event = 'terminated'))
     ON CONFLICT (protected_party_id, event) DO NOTHING
     RETURNING id`,
    [relevant.map((change) => change.id), relevant.map((change) => change.event), timeZone],
  )) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}
