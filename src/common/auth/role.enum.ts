export enum Role {
  Admin = 'admin',
  Facilitator = 'facilitator',
  ProbationOfficer = 'probation_officer',
  CourtClerk = 'court_clerk',
  Advocate = 'advocate',
  /** The CCR coordinator: reads events, notices, acknowledgements and responses across agencies; changes nothing. */
  Coordinator = 'coordinator',
}

export const ALL_ROLES = Object.values(Role);
