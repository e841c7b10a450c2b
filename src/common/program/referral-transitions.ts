import { ReferralStatus as S } from './referral-status.enum';

/** The referral life cycle of the spec; anything else is refused with 422. */
export const ALLOWED_TRANSITIONS: Record<S, readonly S[]> = {
  [S.Referred]: [S.Active, S.FailedToEnroll, S.Closed],
  [S.FailedToEnroll]: [S.Active, S.Closed],
  [S.Active]: [S.NonCompliant, S.Completed, S.Terminated, S.Closed],
  [S.NonCompliant]: [S.Active, S.Terminated, S.Closed],
  [S.Completed]: [],
  [S.Terminated]: [],
  [S.Closed]: [],
};

export function canTransition(from: S, to: S): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}
