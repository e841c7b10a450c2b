/** Unit specs beside the code (src/**\/*.spec.ts) and e2e suites in test/ against real services. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    // Type-checked as it compiles (tsconfig.json's isolatedModules would make ts-jest only transpile),
    // so a spec with a type error fails instead of running.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: true }],
  },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  // Each e2e file owns a database; 2 workers on 2 cores keeps PostgreSQL and argon2 from starving.
  verbose: true,
};
