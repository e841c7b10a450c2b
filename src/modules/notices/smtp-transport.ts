import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

/** One SMTP connection per message: simple, and a broken connection never poisons the next. */
export function createSmtpTransport(config: AppConfig): Transporter {
  const url = new URL(config.smtpUrl);
  const timeout = config.smtpTimeoutMs;
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    pool: false,
  });
}
