/** A role as the e-mails say it. */
export const ROLE_WORDS: Record<string, string> = {
  admin: 'a program administrator',
  facilitator: 'a group facilitator',
  probation_officer: 'a probation officer',
  court_clerk: 'a court clerk',
  advocate: 'an advocate',
  coordinator: 'the CCR coordinator',
};
