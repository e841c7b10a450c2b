import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

/** As many pooled connections as the send job runs at once. */
export const SMTP_POOL_CONNECTIONS = 4;

/**
 * Pooled SMTP connections: a notice reuses a connection the last one opened instead of paying a
 * handshake each. Every notice is still claimed on its own before it goes, so what a broken
 * connection can cost is one attempt: lost before DATA it is retried, lost after DATA it becomes
 * `unknown`. A connection the server closed while idle leaves the pool, and the next notice opens
 * a new one. Connections are recycled after a hundred messages so none lives forever.
 */
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
    pool: true,
    maxConnections: SMTP_POOL_CONNECTIONS,
    maxMessages: 100,
  });
}
