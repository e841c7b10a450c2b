import { Role } from '../common/auth/role.enum';
import { HolidayState } from './us-holidays';
import { AppRole, EnvironmentVariables, validateEnvironment } from './environment';

/** The typed settings every module receives; built once from the environment. */
export class AppConfig {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly smtpUrl: string;
  readonly mailFrom: string;
  readonly port: number;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly appRole: AppRole;
  readonly nodeEnv: EnvironmentVariables['NODE_ENV'];
  readonly queuePrefix: string;
  readonly loginRateLimitPerMinute: number;
  readonly logLevel: string;
  readonly publicUrl: string;
  readonly adminNoticeEmail?: string;
  readonly programTimeZone: string;
  /** Whose state holidays the program closes on (federal ones always). */
  readonly programState: HolidayState | null;
  readonly programHolidays: 'us' | 'none';
  readonly queueLockMs: number;
  /** How long an api process may trust a session it has checked (0: check every request); see SessionRevocations. */
  readonly sessionCacheMs: number;
  readonly noticeRelayIntervalMs: number;
  readonly noticeRelayGraceMs: number;
  readonly noticeRetryBaseMs: number;
  readonly noticeMaxAttempts: number;
  readonly letterThreads: number;
  /** Exact origins that get CORS headers (CORS_ORIGINS); empty means no CORS at all. */
  readonly corsOrigins: readonly string[];
  /** Express's `trust proxy`: false (nobody), a hop count, or addresses/subnets (TRUST_PROXY). */
  readonly trustProxy: boolean | number | string[];
  /** Whether the queue dashboard may change queues (QUEUE_DASHBOARD_WRITE); read-only otherwise. */
  readonly queueDashboardWrite: boolean;
  /** The current field-encryption key first, then earlier ones still accepted for reading. */
  readonly fieldEncryptionKeys: Buffer[];
  /** The roles that must sign in with a second factor (SECOND_FACTOR_ROLES). */
  readonly secondFactorRoles: readonly Role[];
  /** Where the HTTP server listens (HOST). */
  readonly host: string;
  /** Whether /docs is served (API_DOCS). */
  readonly apiDocs: boolean;
  /** Test-only pauses at named points of the delivery path (ignored outside NODE_ENV=test). */
  readonly faultPoints: Record<string, number>;

  constructor(env: EnvironmentVariables) {
    this.databaseUrl = env.DATABASE_URL;
    this.redisUrl = env.REDIS_URL;
    this.smtpUrl = env.SMTP_URL;
    this.mailFrom = env.MAIL_FROM;
    this.port = env.PORT;
    this.jwtSecret = env.JWT_SECRET;
    this.jwtTtlSeconds = env.JWT_TTL_SECONDS;
    this.appRole = env.APP_ROLE;
    this.nodeEnv = env.NODE_ENV;
    this.queuePrefix = env.QUEUE_PREFIX;
    this.loginRateLimitPerMinute = env.LOGIN_RATE_LIMIT_PER_MINUTE;
    this.logLevel = env.LOG_LEVEL;
    this.publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    this.adminNoticeEmail = env.ADMIN_NOTICE_EMAIL;
    this.programTimeZone = env.PROGRAM_TIMEZONE;
    this.programState = env.PROGRAM_STATE ?? null;
    this.programHolidays = env.PROGRAM_HOLIDAYS;
    this.queueLockMs = env.QUEUE_LOCK_MS;
    this.sessionCacheMs = env.SESSION_CACHE_MS;
    this.noticeRelayIntervalMs = env.NOTICE_RELAY_INTERVAL_MS;
    this.noticeRelayGraceMs = env.NOTICE_RELAY_GRACE_MS;
    this.noticeRetryBaseMs = env.NOTICE_RETRY_BASE_MS;
    this.noticeMaxAttempts = env.NOTICE_MAX_ATTEMPTS;
    this.letterThreads = env.LETTER_THREADS;
    this.corsOrigins = (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().toLowerCase())
      .filter(Boolean);
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.queueDashboardWrite = env.QUEUE_DASHBOARD_WRITE === 'true';
    this.fieldEncryptionKeys = [env.FIELD_ENCRYPTION_KEY, ...(env.FIELD_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',')]
      .map((key) => key.trim())
      .filter(Boolean)
      .map((key) => Buffer.from(key, 'base64'));
    this.secondFactorRoles =
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- each name is checked against Role by validateEnvironment
      env.SECOND_FACTOR_ROLES.trim() === 'none' ? [] : (env.SECOND_FACTOR_ROLES.split(',').map((role) => role.trim()) as Role[]);
    this.host = env.HOST;
    this.apiDocs = env.API_DOCS === 'true';
    this.faultPoints = env.NODE_ENV === 'test' ? parseFaultPoints(env.FAULT_POINTS) : {};
  }

  get servesHttp(): boolean {
    return this.appRole === 'all' || this.appRole === 'api';
  }

  get runsWorkers(): boolean {
    return this.appRole === 'all' || this.appRole === 'worker';
  }

  /** SMTP timeouts stay well inside the queue lock, so a slow server never looks like a dead worker. */
  get smtpTimeoutMs(): number {
    return Math.min(20_000, Math.floor(this.queueLockMs / 3));
  }

  /** Jobs waiting this long with none taken means no worker is taking them (reported on /health). */
  get deliveryStallMs(): number {
    return this.queueLockMs * 2;
  }

  /** A notice still "sending" after this long had its worker die mid-send. */
  get sendingTimeoutMs(): number {
    return this.smtpTimeoutMs * 3 + this.queueLockMs;
  }

  /** The domain used in Message-IDs, taken from MAIL_FROM. */
  get mailDomain(): string {
    const match = /@([^>\s]+)>?\s*$/.exec(this.mailFrom);
    return match ? match[1] : 'throughline.local';
  }

  static fromEnvironment(env: Record<string, string | undefined> = process.env): AppConfig {
    return new AppConfig(validateEnvironment(env));
  }
}

function parseTrustProxy(value: string): boolean | number | string[] {
  const trimmed = value.trim();
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function parseFaultPoints(value: string | undefined): Record<string, number> {
  const points: Record<string, number> = {};
  for (const part of (value ?? '').split(',')) {
    const [name, ms] = part.split('=');
    if (name.trim() && ms && /^\d+$/.test(ms.trim())) points[name.trim()] = Number(ms.trim());
  }
  return points;
}
