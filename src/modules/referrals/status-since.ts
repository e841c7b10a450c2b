import { ComplianceEventKind as Kind, VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { ReferralStatus } from '../../common/program/referral-status.enum';

export interface StatusEvent {
  kind: Kind;
  /** The day it happened (the session he missed), not when the system processed the mark. */
  occurredOn: string;
  createdAt: Date;
  withdrawn: boolean;
}

/** The event whose day a status dates from; statuses the program set by hand date from their decision. */
const DECIDED_BY: Partial<Record<ReferralStatus, Kind>> = {
  [ReferralStatus.FailedToEnroll]: Kind.FailedToEnroll,
  [ReferralStatus.Completed]: Kind.Completed,
  [ReferralStatus.Terminated]: Kind.Terminated,
  [ReferralStatus.Closed]: Kind.Closed,
};

/**
 * "Status since": the day of the crossing that made the status, not the day a late mark was typed
 * in. Non-compliant dates from the first violation still standing that no reinstatement covers
 * (a reinstatement covers every crossing raised before it); null when no event says (then the
 * page falls back to when the status changed).
 */
export function statusSince(status: ReferralStatus, events: StatusEvent[]): string | null {
  const standing = events.filter((event) => !event.withdrawn);
  if (status === ReferralStatus.NonCompliant) {
    const reinstatedAt = standing
      .filter((event) => event.kind === Kind.Reinstated)
      .reduce<Date | null>((last, event) => (!last || event.createdAt > last ? event.createdAt : last), null);
    const uncovered = standing.filter((event) => VIOLATION_KINDS.includes(event.kind) && (!reinstatedAt || event.createdAt > reinstatedAt));
    return earliest(uncovered);
  }
  const kind = DECIDED_BY[status];
  if (kind) return latest(standing.filter((event) => event.kind === kind));
  return null;
}

function earliest(events: StatusEvent[]): string | null {
  return events.reduce<string | null>((first, event) => (!first || event.occurredOn < first ? event.occurredOn : first), null);
}

function latest(events: StatusEvent[]): string | null {
  return events.reduce<string | null>((last, event) => (!last || event.occurredOn > last ? event.occurredOn : last), null);
}
