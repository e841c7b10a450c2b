import { EntityManager } from 'typeorm';

/**
 * Raises, in the status change's own transaction, a pending notification for each protected party
 * the policy says must hear of a completion or termination: `unless_declined` unless she declined,
 * `on_request` only if she asked. Once per party and event, however often the status changes.
 * Returns the new notifications' ids for the audit entry.
 */
export async function raiseVictimNotifications(manager: EntityManager, changes: Array<{ id: string; to: string }>): Promise<string[]> {
  const relevant = changes.filter((change) => change.to === 'completed' || change.to === 'terminated');
  if (relevant.length === 0) return [];
  // TypeORM answers an INSERT … RETURNING with the rows themselves (UPDATE gives [rows, count]).
  const rows = (await manager.query(
    `INSERT INTO victim_notifications (referral_id, protected_party_id, event)
     SELECT pp.referral_id, pp.id, x.status
       FROM unnest($1::uuid[], $2::text[]) AS x(id, status)
       JOIN referrals r ON r.id = x.id
       JOIN policies p ON p.id = r.policy_id
       JOIN protected_parties pp ON pp.referral_id = r.id
      WHERE (p.victim_notification = 'unless_declined' AND pp.notification_wish <> 'declined')
         OR (p.victim_notification = 'on_request' AND pp.notification_wish = 'wants')
     ON CONFLICT (protected_party_id, event) DO NOTHING
     RETURNING id`,
    [relevant.map((change) => change.id), relevant.map((change) => change.to)],
  )) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}
