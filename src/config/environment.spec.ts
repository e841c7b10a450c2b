import { AppConfig } from './app-config';
import { ConfigError, validateEnvironment } from './environment';

describe('environment validation', () => {
  it('fills local defaults for the demo when nothing is set', () => {
    const config = AppConfig.fromEnvironment({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/throughline');
    expect(config.appRole).toBe('all');
    expect(config.port).toBe(3000);
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('names the bad variable in one line', () => {
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://x/y' })).toThrow(
      'Invalid configuration: DATABASE_URL must be a postgres:// URL naming a database',
    );
  });

  it('refuses an unknown APP_ROLE and a port out of range together', () => {
    try {
      validateEnvironment({ APP_ROLE: 'both', PORT: '70000' });
      fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual(
        expect.arrayContaining(['APP_ROLE must be one of: all, api, worker', 'PORT must be between 1 and 65535']),
      );
    }
  });

  it('has no default JWT_SECRET in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('requires a field-encryption key of 32 bytes in production, and accepts earlier keys for reading', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(() => validateEnvironment(production)).toThrow(/FIELD_ENCRYPTION_KEY must be 32 random bytes/);
    expect(() => validateEnvironment({ ...production, FIELD_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /FIELD_ENCRYPTION_KEY/,
    );
    const key = Buffer.alloc(32, 1).toString('base64');
    const old = Buffer.alloc(32, 2).toString('base64');
    const config = AppConfig.fromEnvironment({ ...production, FIELD_ENCRYPTION_KEY: key, FIELD_ENCRYPTION_PREVIOUS_KEYS: old });
    expect(config.fieldEncryptionKeys.map((buffer) => buffer.toString('base64'))).toEqual([key, old]);
    expect(() => validateEnvironment({ ...production, FIELD_ENCRYPTION_KEY: key, FIELD_ENCRYPTION_PREVIOUS_KEYS: 'not-a-key' })).toThrow(
      /FIELD_ENCRYPTION_PREVIOUS_KEYS/,
    );
  });

  it('refuses a short JWT_SECRET', () => {
    expect(() => validateEnvironment({ JWT_SECRET: 'short' })).toThrow('JWT_SECRET must be at least 32 characters');
  });

  it('accepts a full production environment', () => {
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      MAIL_FROM: 'Program <notices@program.example>',
    });
    expect(config.mailDomain).toBe('program.example');
  });
  it('has no CORS origins unless CORS_ORIGINS names some, and reads a comma-separated list', () => {
    expect(AppConfig.fromEnvironment({}).corsOrigins).toEqual([]);
    expect(AppConfig.fromEnvironment({ CORS_ORIGINS: 'https://court.example.org, http://localhost:5173' }).corsOrigins).toEqual([
      'https://court.example.org',
      'http://localhost:5173',
    ]);
  });

  it.each(['*', 'court.example.org', 'https://court.example.org/path', 'https://a.org,,https://b.org'])(
    'refuses CORS_ORIGINS=%s',
    (value) => {
      expect(() => validateEnvironment({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS must be a comma-separated list of origins/);
    },
  );

  it('trusts no proxy by default; TRUST_PROXY takes hops, addresses, subnets or named ranges', () => {
    expect(AppConfig.fromEnvironment({}).trustProxy).toBe(false);
    expect(AppConfig.fromEnvironment({}).queueDashboardWrite).toBe(false);
    expect(AppConfig.fromEnvironment({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(AppConfig.fromEnvironment({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ]);
    for (const bad of ['true', '*', 'all', '11', 'evil.example', '0']) {
      expect(() => validateEnvironment({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be/);
    }
    expect(() => validateEnvironment({ QUEUE_DASHBOARD_WRITE: 'yes' })).toThrow('QUEUE_DASHBOARD_WRITE must be true or false');
  });
});
