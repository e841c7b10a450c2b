export enum ReferralStatus {
  Referred = 'referred',
  FailedToEnroll = 'failed_to_enroll',
  Active = 'active',
  NonCompliant = 'non_compliant',
  Completed = 'completed',
  Terminated = 'terminated',
  Closed = 'closed',
}

/** States in which the order is still running: he can enroll, attend and be marked. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = [
  ReferralStatus.Referred,
  ReferralStatus.FailedToEnroll,
  ReferralStatus.Active,
  ReferralStatus.NonCompliant,
];

export function isOpen(status: ReferralStatus): boolean {
  return OPEN_REFERRAL_STATUSES.includes(status);
}
