export enum Role {
  Admin = 'admin',
  Facilitator = 'facilitator',
  ProbationOfficer = 'probation_officer',
  CourtClerk = 'court_clerk',
  Advocate = 'advocate',
}

export const ALL_ROLES = Object.values(Role);
