import { Role } from '../../src/common/auth/role.enum';

/**
 * Who may call each route of the OpenAPI document, and what they get. The generated sweep
 * (access-sweep.e2e-spec.ts) checks every route of the document against this table and fails on a
 * route that is missing here, so a new route cannot ship without someone deciding who may call it.
 *
 * - `allowed`: the roles that pass the role gate, with the status they get on a record of their own
 *   scope (their caseload, their court, their group; everything for the admin). Every other role
 *   gets 403 (the route is not part of their role: nothing about a record is revealed).
 * - `outOfScope`: roles whose reach is narrower than the route's: on a record of another
 *   caseload, court or group they get 404, as for a record that does not exist.
 * - `public`: no sign-in needed; a bad token is ignored, never a 401.
 */
export interface RouteAccess {
  allowed: Partial<Record<Role, number>>;
  outOfScope?: Role[];
  public?: true;
}

const { Admin, Facilitator, ProbationOfficer, CourtClerk, Advocate, Coordinator } = Role;
/** Every role the tables answer for, in the order the sweeps report them. */
export const ROLES = [Admin, Facilitator, ProbationOfficer, CourtClerk, Advocate, Coordinator];
const everyone = (status: number): Partial<Record<Role, number>> => ({
  [Admin]: status,
  [Facilitator]: status,
  [ProbationOfficer]: status,
  [CourtClerk]: status,
  [Advocate]: status,
  [Coordinator]: status,
});
const READERS = (status: number) => ({ [Admin]: status, [ProbationOfficer]: status, [CourtClerk]: status });
/** Notices and responses: the CCR coordinator reads them across agencies, and changes nothing. */
const NOTICE_READERS = (status: number) => ({ ...READERS(status), [Coordinator]: status });

export const ACCESS_TABLE: Record<string, RouteAccess> = {
  'POST /api/v1/auth/login': { public: true, allowed: everyone(200) },
  'GET /api/v1/auth/me': { allowed: everyone(200) },
  'POST /api/v1/auth/logout': { allowed: everyone(204) },
  'POST /api/v1/auth/password': { allowed: everyone(200) },
  // Forgotten passwords and invitations: no sign-in; a made-up link is refused (422) like a spent one.
  'POST /api/v1/auth/password-reset': { public: true, allowed: everyone(202) },
  'POST /api/v1/auth/password-reset/confirm': { public: true, allowed: everyone(422) },
  'POST /api/v1/auth/invitation/accept': { public: true, allowed: everyone(422) },
  // Each user sets up his own second factor (the confirm call carries a wrong code).
  'POST /api/v1/auth/second-factor': { allowed: everyone(200) },
  'POST /api/v1/auth/second-factor/confirm': { allowed: everyone(422) },

  'GET /health': { public: true, allowed: everyone(200) },
  'GET /health/ready': { public: true, allowed: everyone(200) },
  'GET /health/delivery': { public: true, allowed: everyone(200) },

  'POST /api/v1/agencies': { allowed: { [Admin]: 201 } },
  'GET /api/v1/agencies': { allowed: { [Admin]: 200 } },
  'GET /api/v1/agencies/{id}': { allowed: { [Admin]: 200 } },
  'PATCH /api/v1/agencies/{id}': { allowed: { [Admin]: 200 } },

  'POST /api/v1/users': { allowed: { [Admin]: 201 } },
  'GET /api/v1/users': { allowed: { [Admin]: 200 } },
  'GET /api/v1/users/{id}': { allowed: { [Admin]: 200 } },
  'PATCH /api/v1/users/{id}': { allowed: { [Admin]: 200 } },
  'POST /api/v1/users/{id}/unlock': { allowed: { [Admin]: 204 } },
  'POST /api/v1/users/{id}/invitation': { allowed: { [Admin]: 200 } },
  'POST /api/v1/users/{id}/second-factor/reset': { allowed: { [Admin]: 204 } },

  'GET /api/v1/policies': { allowed: everyone(200) },
  'GET /api/v1/policies/{id}': { allowed: everyone(200) },
  'POST /api/v1/policies': { allowed: { [Admin]: 201 } },
  'PUT /api/v1/policies/{id}': { allowed: { [Admin]: 200 } },

  'GET /api/v1/curricula': { allowed: everyone(200) },
  'GET /api/v1/curricula/{id}': { allowed: everyone(200) },

  'POST /api/v1/referrals': { allowed: { [Admin]: 201 } },
  'GET /api/v1/referrals': { allowed: READERS(200) },
  'POST /api/v1/referrals/lookup': { allowed: READERS(200) },
  'GET /api/v1/referrals/{id}': { allowed: READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },
  'GET /api/v1/referrals/{id}/attendance': { allowed: { [Admin]: 200, [ProbationOfficer]: 200 }, outOfScope: [ProbationOfficer] },
  'GET /api/v1/referrals/{id}/progress-report': { allowed: { [Admin]: 200, [ProbationOfficer]: 200 }, outOfScope: [ProbationOfficer] },
  'POST /api/v1/referrals/{id}/complete': { allowed: { [Admin]: 200 } },
  'POST /api/v1/referrals/{id}/terminate': { allowed: { [Admin]: 200 } },
  'POST /api/v1/referrals/{id}/reinstate': { allowed: { [Admin]: 200 } },
  'POST /api/v1/referrals/{id}/close': { allowed: { [Admin]: 200 } },
  'POST /api/v1/referrals/{id}/fees': { allowed: { [Admin]: 200 } },
  // The fees ledger: the program records, his officer reads; the court reads no money (least privilege).
  'GET /api/v1/referrals/{id}/fees': { allowed: { [Admin]: 200, [ProbationOfficer]: 200 }, outOfScope: [ProbationOfficer] },
  'POST /api/v1/referrals/{id}/fees/payments': { allowed: { [Admin]: 201 } },
  'POST /api/v1/referrals/{id}/fees/adjustments': { allowed: { [Admin]: 201 } },
  'POST /api/v1/referrals/{id}/fees/waivers': { allowed: { [Admin]: 201 } },
  'PUT /api/v1/referrals/{id}/fees/income-bracket': { allowed: { [Admin]: 200 } },
  'GET /api/v1/referrals/{id}/fees/payments/{paymentId}/receipt.pdf': {
    allowed: { [Admin]: 200, [ProbationOfficer]: 200 },
    outOfScope: [ProbationOfficer],
  },

  'POST /api/v1/groups': { allowed: { [Admin]: 201 } },
  'GET /api/v1/groups': { allowed: { [Admin]: 200, [Facilitator]: 200 } },
  'GET /api/v1/groups/{id}': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },
  'GET /api/v1/groups/{id}/sessions': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },
  'POST /api/v1/groups/{id}/sessions': { allowed: { [Admin]: 201, [Facilitator]: 201 }, outOfScope: [Facilitator] },
  'POST /api/v1/groups/{id}/generate-sessions': { allowed: { [Admin]: 200 } },

  'GET /api/v1/holidays': { allowed: everyone(200) },
  'GET /api/v1/referrals/{id}/participant-messages': { allowed: { [Admin]: 200 } },
  'PUT /api/v1/referrals/{id}/participant-messages/preference': { allowed: { [Admin]: 200 } },
  'PUT /api/v1/holidays/{date}': { allowed: { [Admin]: 200 } },
  'DELETE /api/v1/holidays/{date}': { allowed: { [Admin]: 200 } },

  'GET /api/v1/sessions/{id}': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },
  'GET /api/v1/sessions/{id}/roster': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },
  'POST /api/v1/sessions/{id}/cancel': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },
  'PUT /api/v1/sessions/{id}/attendance': { allowed: { [Admin]: 200, [Facilitator]: 200 }, outOfScope: [Facilitator] },

  'POST /api/v1/enrollments': { allowed: { [Admin]: 201 } },

  'GET /api/v1/notices': { allowed: NOTICE_READERS(200) },
  'GET /api/v1/notices/summary': { allowed: { [Admin]: 200 } },
  // The recipients' inbox: what was sent to the officer himself or to the clerk's court.
  'GET /api/v1/notices/inbox': { allowed: { [ProbationOfficer]: 200, [CourtClerk]: 200 } },
  'POST /api/v1/notices/inbox/lookup': { allowed: { [ProbationOfficer]: 200, [CourtClerk]: 200 } },
  'POST /api/v1/notices/acknowledge': {
    allowed: { [ProbationOfficer]: 200, [CourtClerk]: 200 },
    outOfScope: [ProbationOfficer, CourtClerk],
  },
  'GET /api/v1/notices/{id}': { allowed: NOTICE_READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },
  'GET /api/v1/notices/{id}/letter.pdf': { allowed: NOTICE_READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },
  'GET /api/v1/notices/{id}/preview': { allowed: NOTICE_READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },
  'POST /api/v1/notices/{id}/acknowledge': {
    allowed: { [ProbationOfficer]: 200, [CourtClerk]: 200 },
    outOfScope: [ProbationOfficer, CourtClerk],
  },
  'POST /api/v1/notices/{id}/retry': { allowed: { [Admin]: 200 } },

  // Responses: each agency records its own kinds on the events it was sent; the program and both agencies read.
  'POST /api/v1/events/{id}/responses': {
    allowed: { [ProbationOfficer]: 201, [CourtClerk]: 201 },
    outOfScope: [ProbationOfficer, CourtClerk],
  },
  'GET /api/v1/referrals/{id}/responses': { allowed: NOTICE_READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },
  // Intake assessments: the program records them; probation, the court and the coordinator read level, date and reason.
  'POST /api/v1/referrals/{id}/assessments': { allowed: { [Admin]: 201 } },
  'GET /api/v1/referrals/{id}/assessments': { allowed: NOTICE_READERS(200), outOfScope: [ProbationOfficer, CourtClerk] },

  'GET /api/v1/compliance/caseload': { allowed: { [Admin]: 200, [ProbationOfficer]: 200 } },
  'POST /api/v1/compliance/sweep': { allowed: { [Admin]: 202 } },

  // The accountability figures: the program and the coordinator across agencies, each agency for its own orders (figures, not records: no 404 to give).
  'GET /api/v1/accountability/summary': { allowed: NOTICE_READERS(200) },
  'GET /api/v1/accountability/export/{table}': { allowed: NOTICE_READERS(200) },

  // Protected-party (victim/partner) data: advocates; an admin may enter it, and read or change it
  // only where the referral's policy allows (elsewhere 404). No other role ever reaches it.
  'GET /api/v1/referrals/{id}/protected-parties': { allowed: { [Advocate]: 200, [Admin]: 200 }, outOfScope: [Admin] },
  'POST /api/v1/referrals/{id}/protected-parties': { allowed: { [Advocate]: 201, [Admin]: 201 } },
  'PATCH /api/v1/protected-parties/{id}': { allowed: { [Advocate]: 200, [Admin]: 200 }, outOfScope: [Admin] },
  'GET /api/v1/advocate/referrals': { allowed: { [Advocate]: 200 } },
  'POST /api/v1/advocate/referrals/lookup': { allowed: { [Advocate]: 200 } },
  // Victim notification goes only through an advocate, not even an admin.
  'GET /api/v1/victim-notifications': { allowed: { [Advocate]: 200 } },
  'POST /api/v1/victim-notifications/{id}/send': { allowed: { [Advocate]: 200 } },
  'POST /api/v1/victim-notifications/{id}/record': { allowed: { [Advocate]: 200 } },
  'POST /api/v1/victim-notifications/{id}/skip': { allowed: { [Advocate]: 200 } },
};

/**
 * The server-rendered pages (not in the OpenAPI document): who may open each. `anonymous` pages
 * need no session; `signed-in` ones any role's. Everyone else gets the 403 page, and without a
 * session every other page sends the browser to /login. page-access-sweep.e2e-spec.ts fails on a
 * page route of the app that is missing here.
 */
export const PAGE_ACCESS_TABLE: Record<string, Role[] | 'anonymous' | 'signed-in'> = {
  'GET /': 'signed-in',
  'GET /coordinator': [Coordinator],
  'GET /login': 'anonymous',
  'POST /login': 'anonymous',
  'POST /logout': 'signed-in',
  'GET /welcome': [Advocate],
  // Accounts: the code after the password, forgotten passwords, the links' pages (no session), the second factor (one's own).
  'GET /login/code': 'anonymous',
  'POST /login/code': 'anonymous',
  'GET /password-reset': 'anonymous',
  'POST /password-reset': 'anonymous',
  'GET /password-reset/new': 'anonymous',
  'POST /password-reset/new': 'anonymous',
  'GET /invitation': 'anonymous',
  'POST /invitation': 'anonymous',
  'GET /account/second-factor': 'signed-in',
  'POST /account/second-factor': 'signed-in',

  'GET /sessions': [Facilitator, Admin],
  'GET /sessions/:id/roster': [Facilitator, Admin],
  'POST /sessions/:id/roster': [Facilitator, Admin],
  'GET /sessions/:id/sign-in-sheet': [Facilitator, Admin],

  'GET /caseload': [ProbationOfficer],
  'POST /caseload': [ProbationOfficer],
  'GET /caseload.csv': [ProbationOfficer],
  'GET /referrals/:id': [ProbationOfficer, Admin],
  'GET /referrals/:id/progress-report.pdf': [ProbationOfficer, Admin],
  'POST /referrals/:id/decision': [Admin],
  'POST /referrals/:id/fees': [Admin],
  'GET /referrals/:id/fees/payments/:paymentId/receipt.pdf': [ProbationOfficer, Admin],

  'POST /referrals/:id/assessment': [Admin],
  'GET /referrals': [Admin],
  'POST /referrals': [Admin],
  'GET /intake': [Admin],
  'POST /intake': [Admin],
  'GET /referrals/:id/enroll': [Admin],
  'POST /referrals/:id/enroll': [Admin],

  'GET /groups': [Admin],
  'GET /groups/new': [Admin],
  'POST /groups/new': [Admin],
  'POST /groups/:id/sessions': [Admin],
  'POST /groups/sessions/:id/cancel': [Admin],

  'GET /lookup': [CourtClerk],
  'POST /lookup': [CourtClerk],
  'GET /lookup/:id': [CourtClerk],

  'GET /inbox': [ProbationOfficer, CourtClerk],
  'POST /inbox': [ProbationOfficer, CourtClerk],
  'POST /inbox/acknowledge': [ProbationOfficer, CourtClerk],

  'GET /notices': [Admin],
  // Where the e-mail's link lands: any signed-in role may ask, the notice's scope answers (404 outside it).
  'GET /notices/:id': 'signed-in',
  'POST /notices/:id/retry': [Admin],
  'POST /notices/:id/acknowledge': [ProbationOfficer, CourtClerk],
  'POST /notices/:id/responses': [ProbationOfficer, CourtClerk],
  'GET /notices/:id/letter.pdf': [Admin, ProbationOfficer, CourtClerk],

  'GET /accountability': [Admin, Coordinator, ProbationOfficer, CourtClerk],
  'GET /accountability/export/:table': [Admin, Coordinator, ProbationOfficer, CourtClerk],

  'GET /advocate': [Advocate],
  'POST /advocate/lookup': [Advocate],
  'GET /advocate/referrals/:id': [Advocate],
  'POST /advocate/referrals/:id/parties': [Advocate],
  'GET /advocate/parties/:id/edit': [Advocate],
  'POST /advocate/parties/:id/edit': [Advocate],
  'POST /advocate/notifications/:id/send': [Advocate],
  'POST /advocate/notifications/:id/record': [Advocate],
  'POST /advocate/notifications/:id/skip': [Advocate],

  // The admin's settings: users, agencies, policies, a group and its members.
  'GET /admin/users': [Admin],
  'POST /admin/users': [Admin],
  'GET /admin/users/invite': [Admin],
  'POST /admin/users/invite': [Admin],
  'GET /admin/users/:id': [Admin],
  'POST /admin/users/:id/role': [Admin],
  'POST /admin/users/:id/active': [Admin],
  'POST /admin/users/:id/unlock': [Admin],
  'POST /admin/users/:id/invitation': [Admin],
  'POST /admin/users/:id/second-factor/reset': [Admin],
  'GET /admin/agencies': [Admin],
  'GET /admin/agencies/new': [Admin],
  'POST /admin/agencies/new': [Admin],
  'GET /admin/agencies/:id': [Admin],
  'POST /admin/agencies/:id': [Admin],
  'POST /admin/agencies/:id/test-mail': [Admin],
  'GET /admin/policies': [Admin],
  'GET /admin/policies/:id': [Admin],
  'GET /admin/policies/:id/new-version': [Admin],
  'POST /admin/policies/:id/new-version': [Admin],
  'GET /groups/:id': [Admin],
  'POST /groups/:id/edit': [Admin],
};
