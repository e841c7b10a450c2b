/** What an SMTP failure means for the notice. */
export type SmtpOutcome = 'retry' | 'dead' | 'unknown';

interface SmtpError {
  responseCode?: number;
  command?: string;
  code?: string;
  response?: string;
  message?: string;
}

/**
 * 5xx is permanent: dead, with the server's answer kept. 4xx and failures to connect are
 * temporary: retry. A connection lost after the message was handed over (DATA) without an
 * answer may have been accepted: unknown, for staff to check — never resent blindly.
 */
export function classifySmtpFailure(error: unknown): SmtpOutcome {
  const failure = (error ?? {}) as SmtpError;
  if (typeof failure.responseCode === 'number') {
    if (failure.responseCode >= 500) return 'dead';
    if (failure.responseCode >= 400) return 'retry';
  }
  if (failure.command === 'DATA' || failure.command === 'DATA_END' || failure.command === 'MESSAGE') return 'unknown';
  return 'retry';
}

export function describeSmtpFailure(error: unknown): string {
  const failure = (error ?? {}) as SmtpError;
  const text = failure.response ?? failure.message ?? String(error);
  return [failure.responseCode, failure.command ? `(${failure.command})` : null, text].filter(Boolean).join(' ').slice(0, 1000);
}

/** Exponential backoff with full jitter: between half and all of base·2^(n−1), capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a failed attempt leaves the mail as: tried again, given up, or not known. */
export function statusAfterFailure(error: unknown, attempts: number, maxAttempts: number): 'failed' | 'dead' | 'unknown' {
  const outcome = classifySmtpFailure(error);
  if (outcome === 'unknown') return 'unknown';
  return outcome === 'dead' || attempts >= maxAttempts ? 'dead' : 'failed';
}
