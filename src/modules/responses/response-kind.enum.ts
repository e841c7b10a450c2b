/** Which agency answers a notice: the probation office or the court that received it. */
export enum ResponseAgency {
  Probation = 'probation',
  Court = 'court',
}

/** What the agency did about the event. */
export enum ResponseKind {
  /** Probation filed a violation with the court (date filed). */
  ViolationFiled = 'violation_filed',
  WarningGiven = 'warning_given',
  /** Probation imposed a sanction of its own (what, in words). */
  SanctionImposed = 'sanction_imposed',
  /** Probation decided to do nothing (the reason is required: "nothing" must be a decision). */
  NoAction = 'no_action',
  ReturnedToProgram = 'returned_to_program',
  /** The court set a compliance or violation hearing (its date). */
  HearingSet = 'hearing_set',
  /** The hearing was held (its outcome). */
  HearingHeld = 'hearing_held',
  WarrantIssued = 'warrant_issued',
}

export enum HearingOutcome {
  Warning = 'warning',
  ReinstatedToProgram = 'reinstated_to_program',
  Sanction = 'sanction',
  Jail = 'jail',
  ProbationRevoked = 'probation_revoked',
  OrderModified = 'order_modified',
  Dismissed = 'dismissed',
}

export const KINDS_BY_AGENCY: Record<ResponseAgency, readonly ResponseKind[]> = {
  [ResponseAgency.Probation]: [
    ResponseKind.ViolationFiled,
    ResponseKind.WarningGiven,
    ResponseKind.SanctionImposed,
    ResponseKind.NoAction,
    ResponseKind.ReturnedToProgram,
  ],
  [ResponseAgency.Court]: [ResponseKind.HearingSet, ResponseKind.HearingHeld, ResponseKind.WarrantIssued],
};

export function agencyOfKind(kind: ResponseKind): ResponseAgency {
  return KINDS_BY_AGENCY[ResponseAgency.Court].includes(kind) ? ResponseAgency.Court : ResponseAgency.Probation;
}
