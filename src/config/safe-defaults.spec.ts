import { AppConfig } from './app-config';

const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('safe defaults for going live', () => {
  it('listens on 127.0.0.1 outside production unless HOST says otherwise (the demo serves known passwords)', () => {
    expect(AppConfig.fromEnvironment({}).host).toBe('127.0.0.1');
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(AppConfig.fromEnvironment({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(AppConfig.fromEnvironment(production).host).toBe('0.0.0.0');
    expect(() => AppConfig.fromEnvironment({ HOST: 'two words' })).toThrow(/HOST must be/);
  });

  it('requires the second factor for admin, probation officer, court clerk and advocate in production, for nobody elsewhere unless set', () => {
    expect(AppConfig.fromEnvironment(production).secondFactorRoles).toEqual(['admin', 'probation_officer', 'court_clerk', 'advocate']);
    expect(AppConfig.fromEnvironment({}).secondFactorRoles).toEqual([]);
    expect(AppConfig.fromEnvironment({ ...production, SECOND_FACTOR_ROLES: 'none' }).secondFactorRoles).toEqual([]);
    expect(AppConfig.fromEnvironment({ SECOND_FACTOR_ROLES: 'admin, facilitator' }).secondFactorRoles).toEqual(['admin', 'facilitator']);
    expect(() => AppConfig.fromEnvironment({ SECOND_FACTOR_ROLES: 'admin,janitor' })).toThrow(/SECOND_FACTOR_ROLES must be/);
  });

  it('serves /docs unless API_DOCS=false', () => {
    expect(AppConfig.fromEnvironment({}).apiDocs).toBe(true);
    expect(AppConfig.fromEnvironment({ API_DOCS: 'false' }).apiDocs).toBe(false);
    expect(() => AppConfig.fromEnvironment({ API_DOCS: 'no' })).toThrow(/API_DOCS must be/);
  });
});
