import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { HOLIDAY_STATES, HolidayState } from './us-holidays';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  ValidateBy,
  ValidationOptions,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

function IsTimeZone(options: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    },
    options,
  );
}

/** A 256-bit key, base64-encoded: `openssl rand -base64 32`. */
const FIELD_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** `trust proxy` values Express understands: false, 1-10 hops, or addresses, subnets and the named ranges. */
const TRUST_PROXY_ENTRY = String.raw`(?:loopback|linklocal|uniquelocal|[0-9a-fA-F]*[.:][0-9a-fA-F.:]*(?:/\d{1,3})?)`;
const TRUST_PROXY_PATTERN = new RegExp(String.raw`^(?:false|(?:10|[1-9])|${TRUST_PROXY_ENTRY}(?:\s*,\s*${TRUST_PROXY_ENTRY})*)$`);

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** The process environment as the app reads it; validated once at start-up. */
export class EnvironmentVariables {
  @Matches(/^postgres(ql)?:\/\/[^\s]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL: string;

  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  @Matches(/^smtps?:\/\/[^\s]+:\d+\/?(\?.*)?$/, {
    message: 'SMTP_URL must be an smtp:// URL with a port, e.g. smtp://127.0.0.1:1025',
  })
  SMTP_URL: string;

  @Matches(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, {
    message: 'MAIL_FROM must be an e-mail address, optionally as "Name <address>"',
  })
  MAIL_FROM: string;

  @IsInt({ message: 'PORT must be an integer' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  PORT: number;

  @IsString({ message: 'JWT_SECRET is required' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @IsIn(APP_ROLES, { message: 'APP_ROLE must be one of: all, api, worker' })
  APP_ROLE: AppRole;

  @IsIn(['development', 'production', 'test'], {
    message: 'NODE_ENV must be one of: development, production, test',
  })
  NODE_ENV: 'development' | 'production' | 'test';

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits or _.:-' })
  QUEUE_PREFIX: string;

  @IsInt({ message: 'JWT_TTL_SECONDS must be an integer' })
  @Min(60, { message: 'JWT_TTL_SECONDS must be between 60 and 86400' })
  @Max(86400, { message: 'JWT_TTL_SECONDS must be between 60 and 86400' })
  JWT_TTL_SECONDS: number;

  @IsInt({ message: 'LOGIN_RATE_LIMIT_PER_MINUTE must be an integer' })
  @Min(1, { message: 'LOGIN_RATE_LIMIT_PER_MINUTE must be at least 1' })
  LOGIN_RATE_LIMIT_PER_MINUTE: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsInt({ message: 'SESSION_CACHE_MS must be an integer' })
  @Min(0, { message: 'SESSION_CACHE_MS must be between 0 and 5000' })
  @Max(5000, { message: 'SESSION_CACHE_MS must be between 0 and 5000' })
  SESSION_CACHE_MS: number;

  @IsInt({ message: 'QUEUE_LOCK_MS must be an integer' })
  @Min(1000, { message: 'QUEUE_LOCK_MS must be between 1000 and 600000' })
  @Max(600000, { message: 'QUEUE_LOCK_MS must be between 1000 and 600000' })
  QUEUE_LOCK_MS: number;

  @IsInt({ message: 'NOTICE_RELAY_INTERVAL_MS must be an integer' })
  @Min(100, { message: 'NOTICE_RELAY_INTERVAL_MS must be at least 100' })
  NOTICE_RELAY_INTERVAL_MS: number;

  @IsInt({ message: 'NOTICE_RELAY_GRACE_MS must be an integer' })
  @Min(100, { message: 'NOTICE_RELAY_GRACE_MS must be at least 100' })
  NOTICE_RELAY_GRACE_MS: number;

  @IsInt({ message: 'NOTICE_RETRY_BASE_MS must be an integer' })
  @Min(10, { message: 'NOTICE_RETRY_BASE_MS must be at least 10' })
  NOTICE_RETRY_BASE_MS: number;

  /**
   * Threads of the worker process that draw the PDF letters beside its main thread, which keeps to
   * the database, the queue and the mail server. 0 draws them on the main thread.
   */
  @IsInt({ message: 'LETTER_THREADS must be an integer' })
  @Min(0, { message: 'LETTER_THREADS must be between 0 and 8' })
  @Max(8, { message: 'LETTER_THREADS must be between 0 and 8' })
  LETTER_THREADS: number;

  @IsInt({ message: 'NOTICE_MAX_ATTEMPTS must be an integer' })
  @Min(1, { message: 'NOTICE_MAX_ATTEMPTS must be between 1 and 50' })
  @Max(50, { message: 'NOTICE_MAX_ATTEMPTS must be between 1 and 50' })
  NOTICE_MAX_ATTEMPTS: number;

  @IsOptional()
  @IsString()
  FAULT_POINTS?: string;

  @IsTimeZone({ message: 'PROGRAM_TIMEZONE must be an IANA time zone, e.g. America/Chicago' })
  PROGRAM_TIMEZONE: string;

  /** The state whose court holidays join the federal ones in the program's calendar. */
  @IsOptional()
  @IsIn(HOLIDAY_STATES, { message: `PROGRAM_STATE must be one of: ${HOLIDAY_STATES.join(', ')} (or unset for federal holidays only)` })
  PROGRAM_STATE?: HolidayState;

  /** `us`: the federal (and PROGRAM_STATE's) holidays are seeded each year; `none`: the admin enters every closed day. */
  @IsIn(['us', 'none'], { message: 'PROGRAM_HOLIDAYS must be us or none' })
  PROGRAM_HOLIDAYS: 'us' | 'none';

  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_NOTICE_EMAIL must be an e-mail address' })
  ADMIN_NOTICE_EMAIL?: string;

  /** Wraps the per-record keys of protected-party (victim/partner) data; see SECURITY.md for rotation. */
  @Matches(FIELD_KEY, { message: 'FIELD_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)' })
  FIELD_ENCRYPTION_KEY: string;

  /** Earlier keys, comma-separated, still accepted for reading until `npm run keys:rotate` has re-wrapped every record. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*$/, {
    message: 'FIELD_ENCRYPTION_PREVIOUS_KEYS must be base64 keys like FIELD_ENCRYPTION_KEY, comma-separated',
  })
  FIELD_ENCRYPTION_PREVIOUS_KEYS?: string;

  /** Browser origins allowed to call the API cross-origin, comma-separated; none by default. */
  @IsOptional()
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\s*,\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/, {
    message:
      'CORS_ORIGINS must be a comma-separated list of origins like https://court.example.org (scheme, host, optional port; no path, no *)',
  })
  CORS_ORIGINS?: string;

  /**
   * Which proxy in front of the app may say who the client is (X-Forwarded-For/-Proto): `false`
   * (the default: nobody), a number of hops, or addresses/subnets/`loopback`, comma-separated.
   * It picks the address that rate limits, sign-in locks and the audit trail use.
   */
  @Matches(TRUST_PROXY_PATTERN, {
    message:
      'TRUST_PROXY must be false, a number of proxy hops (1-10), or comma-separated addresses, subnets or loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY: string;

  /** The queue dashboard may pause, retry, clean or add jobs only when this is true (read-only by default). */
  @IsIn(['true', 'false'], { message: 'QUEUE_DASHBOARD_WRITE must be true or false' })
  QUEUE_DASHBOARD_WRITE: string;

  /**
   * The roles that must sign in with a second factor (TOTP): comma-separated, or `none`. Defaults
   * to admin, probation_officer, court_clerk, advocate in production (CJIS 5.6.2.2, advanced
   * authentication), to none in development and tests. A user who enrolled uses it in any case.
   */
  @Matches(
    /^(none|(admin|facilitator|probation_officer|court_clerk|advocate|coordinator)(\s*,\s*(admin|facilitator|probation_officer|court_clerk|advocate|coordinator))*)$/,
    {
      message:
        'SECOND_FACTOR_ROLES must be none or roles separated by commas (admin, facilitator, probation_officer, court_clerk, advocate, coordinator)',
    },
  )
  SECOND_FACTOR_ROLES: string;

  /** The address the HTTP server listens on: 127.0.0.1 by default outside production (the demo's known passwords stay on this machine). */
  @Matches(/^[0-9A-Za-z.:_-]{1,253}$/, { message: 'HOST must be an address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0' })
  HOST: string;

  /** Whether /docs (Swagger UI) and /docs-json are served; a deployment may close them. */
  @IsIn(['true', 'false'], { message: 'API_DOCS must be true or false' })
  API_DOCS: string;
}

const NUMERIC_KEYS = [
  'PORT',
  'JWT_TTL_SECONDS',
  'LOGIN_RATE_LIMIT_PER_MINUTE',
  'QUEUE_LOCK_MS',
  'SESSION_CACHE_MS',
  'NOTICE_RELAY_INTERVAL_MS',
  'NOTICE_RELAY_GRACE_MS',
  'NOTICE_RETRY_BASE_MS',
  'NOTICE_MAX_ATTEMPTS',
  'LETTER_THREADS',
] as const;

/** Local defaults so the demo runs with no setup; production gets none for secrets. */
export function defaultsFor(nodeEnv: string | undefined): Record<string, string> {
  const defaults: Record<string, string> = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/throughline',
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    SMTP_URL: 'smtp://127.0.0.1:1025',
    MAIL_FROM: 'Throughline Notices <notices@throughline.local>',
    PORT: '3000',
    APP_ROLE: 'all',
    NODE_ENV: 'development',
    QUEUE_PREFIX: 'throughline',
    JWT_TTL_SECONDS: '900',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10',
    LOG_LEVEL: 'info',
    PROGRAM_TIMEZONE: 'America/Chicago',
    PROGRAM_HOLIDAYS: 'us',
    QUEUE_LOCK_MS: '60000',
    SESSION_CACHE_MS: '5000',
    NOTICE_RELAY_INTERVAL_MS: '5000',
    NOTICE_RELAY_GRACE_MS: '15000',
    NOTICE_RETRY_BASE_MS: '30000',
    NOTICE_MAX_ATTEMPTS: '8',
    // One thread beside the main one uses a second core; tests draw on the main thread unless they ask.
    LETTER_THREADS: nodeEnv === 'test' ? '0' : '1',
    TRUST_PROXY: 'false',
    QUEUE_DASHBOARD_WRITE: 'false',
    SECOND_FACTOR_ROLES: nodeEnv === 'production' ? 'admin,probation_officer,court_clerk,advocate' : 'none',
    HOST: nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1',
    API_DOCS: 'true',
  };
  if (nodeEnv !== 'production') {
    // Only for local demo and tests: a real deployment must set its own secret and field key.
    defaults.JWT_SECRET = 'throughline-local-demo-secret-do-not-use-in-production';
    defaults.FIELD_ENCRYPTION_KEY = createHash('sha256')
      .update('throughline-local-demo-field-key-do-not-use-in-production')
      .digest('base64');
  }
  return defaults;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const merged: Record<string, unknown> = { ...defaultsFor(env.NODE_ENV) };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const key of NUMERIC_KEYS) {
    const raw = merged[key];
    if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) merged[key] = Number(raw);
  }
  const parsed = plainToInstance(EnvironmentVariables, merged, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const problems = errors.map((error) => {
      const messages = Object.values(error.constraints ?? {});
      return messages[0] ?? `${error.property} is invalid`;
    });
    throw new ConfigError(problems);
  }
  return parsed;
}
