import { ComplianceEventKind as Kind } from '../../common/program/compliance-event-kind.enum';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { StatusEvent, statusSince } from './status-since';

const event = (kind: Kind, occurredOn: string, createdAt: string, withdrawn = false): StatusEvent => ({
  kind,
  occurredOn,
  createdAt: new Date(createdAt),
  withdrawn,
});

describe('status since: the day of the crossing, not of the processing', () => {
  it('dates non-compliance from the absence of 5 Nov even when the mark was typed in on 1 Dec', () => {
    const events = [
      event(Kind.AbsenceLimitExceeded, '2026-11-05', '2026-12-01T18:00:00Z'),
      event(Kind.ConsecutiveAbsences, '2026-11-12', '2026-12-01T18:00:00Z'),
    ];
    expect(statusSince(ReferralStatus.NonCompliant, events)).toBe('2026-11-05');
  });

  it('leaves out a withdrawn crossing and those a reinstatement covers', () => {
    const events = [
      event(Kind.AbsenceLimitExceeded, '2026-10-01', '2026-10-01T18:00:00Z'),
      event(Kind.Reinstated, '2026-10-10', '2026-10-10T15:00:00Z'),
      event(Kind.ConsecutiveAbsences, '2026-10-20', '2026-10-20T18:00:00Z', true),
      event(Kind.RemovedForBehaviour, '2026-11-03', '2026-11-03T18:00:00Z'),
    ];
    expect(statusSince(ReferralStatus.NonCompliant, events)).toBe('2026-11-03');
  });

  it('dates a decision from its own event and knows nothing for an active man', () => {
    expect(statusSince(ReferralStatus.Terminated, [event(Kind.Terminated, '2026-11-30', '2026-11-30T15:00:00Z')])).toBe('2026-11-30');
    expect(statusSince(ReferralStatus.Active, [event(Kind.Enrolled, '2026-11-30', '2026-11-30T15:00:00Z')])).toBeNull();
  });
});
