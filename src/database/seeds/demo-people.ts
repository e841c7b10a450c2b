/** Fictional people for the demo; any likeness to real persons is accidental. */
export const DEMO_PASSWORDS = {
  admin: 'demo-admin-pass',
  facilitator: 'demo-facilitator-pass',
  probation_officer: 'demo-probation-pass',
  court_clerk: 'demo-court-pass',
  advocate: 'demo-advocate-pass',
  coordinator: 'demo-coordinator-pass',
} as const;

export const DEMO_STAFF = [
  { key: 'admin', email: 'admin@demo.throughline.test', name: 'Alex Moreno (program coordinator)', role: 'admin', agency: 'program' },
  { key: 'facilitator', email: 'facilitator@demo.throughline.test', name: 'Dana Whitebird', role: 'facilitator', agency: 'program' },
  { key: 'facilitator2', email: 'ray.facilitator@demo.throughline.test', name: 'Ray Okafor', role: 'facilitator', agency: 'program' },
  { key: 'probation_officer', email: 'po@demo.throughline.test', name: 'Maria Garcia', role: 'probation_officer', agency: 'probation' },
  { key: 'probation_officer2', email: 'po2@demo.throughline.test', name: 'Tom Lindqvist', role: 'probation_officer', agency: 'probation' },
  { key: 'court_clerk', email: 'clerk@demo.throughline.test', name: 'Janet Kowalski', role: 'court_clerk', agency: 'court' },
  { key: 'advocate', email: 'advocate@demo.throughline.test', name: 'Lena Fairbanks', role: 'advocate', agency: 'advocacy' },
  {
    key: 'coordinator',
    email: 'ccr@demo.throughline.test',
    name: 'Ruth Lindahl (CCR coordinator)',
    role: 'coordinator',
    agency: 'program',
  },
] as const;

export const DEMO_AGENCIES = {
  program: { name: 'Arrowhead Men’s Nonviolence Program', kind: 'program', noticeEmail: 'coordinator@demo.throughline.test' },
  court: { name: 'St. Louis County District Court (Duluth)', kind: 'court', noticeEmail: 'court-notices@demo.throughline.test' },
  probation: {
    name: 'Arrowhead Regional Corrections — Probation',
    kind: 'probation',
    noticeEmail: 'probation-notices@demo.throughline.test',
  },
  advocacy: { name: 'Safe Haven Advocacy Center', kind: 'advocacy', noticeEmail: null },
} as const;

export const DEMO_MEN: Array<[string, string, string]> = [
  ['James', 'Whitfield', '1984-03-17'],
  ['Marcus', 'Bell', '1990-07-02'],
  ['Daniel', 'Kowalczyk', '1979-11-23'],
  ['Robert', 'Thunder', '1987-01-09'],
  ['Luis', 'Hernández', '1992-05-30'],
  ['Kevin', 'O’Brien', '1983-08-14'],
  ['Anthony', 'Greene', '1995-02-27'],
  ['Michael', 'Larsen', '1976-12-05'],
  ['Jerome', 'Washington', '1988-04-19'],
  ['Tyler', 'Anderson', '1998-09-11'],
  ['Samuel', 'Begay', '1985-06-03'],
  ['Christopher', 'Nguyen', '1991-10-21'],
  ['Brandon', 'Miller', '1993-03-08'],
  ['Jorge', 'Castillo', '1981-07-16'],
  ['Eric', 'Johansson', '1986-01-29'],
  ['Darnell', 'Price', '1990-12-12'],
  ['Patrick', 'Sullivan', '1978-05-25'],
  ['Victor', 'Ramírez', '1989-08-07'],
  ['Aaron', 'Fischer', '1994-11-02'],
  ['Travis', 'Eagleheart', '1987-03-31'],
  ['Miguel', 'Ortega', '1982-09-18'],
  ['Shawn', 'Peterson', '1996-06-24'],
];
