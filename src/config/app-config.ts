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
  }

  get servesHttp(): boolean {
    return this.appRole === 'all' || this.appRole === 'api';
  }

  get runsWorkers(): boolean {
    return this.appRole === 'all' || this.appRole === 'worker';
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
