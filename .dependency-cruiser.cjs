/**
 * The dependency rules (README "How it is built"): no cycles, common at the bottom, feature modules
 * importing only modules below them, pages through the services, one owner of the SMTP transport.
 *
 * No exception is kept: the code meets every rule, and `npm run lint:deps` (in .ci/run) fails on any
 * import against one.
 */

/**
 * The feature modules, lowest first: a module may import the ones before it, never one after.
 * referrals → compliance → notices → mail is the spine; pages and the worker sit on top. A progress
 * report reads the referral and its history, so reports sit above referrals; the referral life
 * cycle sits above every feature its decisions call out (rules, fees, her notifications, enrollments).
 */
const LAYERS = [
  'access',
  'audit',
  'queues',
  'calendar',
  'mail',
  'agencies',
  'users',
  'auth',
  'user-admin',
  'policies',
  'curricula',
  'participants',
  'notices',
  'responses',
  'protected-parties',
  'compliance',
  'participant-messages',
  'fees',
  'referrals',
  'reports',
  'enrollments',
  'referral-lifecycle',
  'groups',
  'sessions',
  'attendance',
  'assessments',
  'accountability',
  'health',
  'pages',
  'worker',
];

const moduleFolder = (names) => `^src/modules/(${names.join('|')})/`;

/** One rule per layer: what is above it. */
const layerRules = LAYERS.slice(0, -1).map((name, index) => ({
  name: `layer-${name}`,
  comment: `${name} may not import a module above it: ${LAYERS.slice(index + 1).join(', ')}`,
  severity: 'error',
  from: { path: moduleFolder([name]) },
  to: { path: moduleFolder(LAYERS.slice(index + 1)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A file may not reach itself through its imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-the-bottom',
      comment:
        "common holds what every layer shares (errors, auth decorators, Role, request context, dates, the program's codes and their names); it imports nothing of ours above it.",
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/(modules|config|database)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'config-below-modules',
      comment: 'config is read by every module, so it imports only common.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(modules|database)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'unknown-module',
      comment: 'Every folder under src/modules has its place in LAYERS.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: moduleFolder(LAYERS) },
      to: {},
    },
    ...layerRules,
    {
      name: 'pages-through-services',
      comment: 'Pages read and write through the feature services: no repository, no data source or entity manager, no pg.',
      severity: 'error',
      from: { path: '^src/modules/pages/' },
      to: { path: ['\\.repository\\.ts$', '^node_modules/(typeorm|@nestjs/typeorm|pg)/'] },
    },
    {
      name: 'one-smtp-owner',
      comment:
        'Only mail opens SMTP connections. The pool stays in mail, not notices, because mail sits below notices and every ' +
        'mail that is not a notice (sign-in links, messages to participants) goes through the same pool and outbox.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modules/mail/' },
      to: { path: '^node_modules/nodemailer/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/.*\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
