import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { writeEventNotices } from '../notices/notice-writer';

export type NoticeRecipient = 'probation_officer' | 'court';

/** Who the policy tells of an event kind: its noticeRecipients, or the officer and the court. */
export function recipientsOf(
  noticeRecipients: Record<string, NoticeRecipient[]> | null | undefined,
  kind: ComplianceEventKind,
): NoticeRecipient[] {
  return noticeRecipients?.[kind] ?? ['probation_officer', 'court'];
}

/** "the probation officer and the court", for the page that says who is told. */
export function describeRecipients(recipients: NoticeRecipient[]): string {
  const words = recipients.map((recipient) => (recipient === 'court' ? 'the court' : 'the probation officer'));
  return words.length === 0 ? 'nobody outside the program' : words.join(' and ');
}

/**
 * A program decision (reinstated, closed, enrolled, transferred) as an event with its notices, in
 * the decision's own transaction. The key says which decision it is (a man may be reinstated
 * twice), so the unique crossing index still makes a retried request write it once.
 */
export async function raiseProgramDecision(
  manager: EntityManager,
  audit: AuditService,
  timeZone: string,
  decision: { referralId: string; kind: ComplianceEventKind; key: string; occurredOn: string; facts: Record<string, unknown> },
): Promise<string | null> {
  const [event] = await manager.query<[{ id: string }?]>(
    `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (referral_id, kind, threshold_key) DO NOTHING
     RETURNING id`,
    [decision.referralId, decision.kind, decision.key, decision.occurredOn, JSON.stringify(decision.facts)],
  );
  if (!event) return null;
  await audit.record(
    {
      action: 'compliance.event',
      recordType: 'referral',
      recordId: decision.referralId,
      details: { eventId: event.id, kind: decision.kind },
    },
    manager,
  );
  // Queued by the worker once this commits (the notices' trigger signals it).
  await writeEventNotices(manager, [event.id], timeZone);
  return event.id;
}
