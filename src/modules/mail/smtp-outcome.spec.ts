import { classifySmtpFailure, describeSmtpFailure, retryDelayMs } from './smtp-outcome';

describe('SMTP outcomes', () => {
  it('treats a 5xx answer as permanent and a 4xx as temporary', () => {
    expect(classifySmtpFailure({ responseCode: 550, command: 'RCPT TO' })).toBe('dead');
    expect(classifySmtpFailure({ responseCode: 451, command: 'DATA' })).toBe('retry');
  });

  it('retries when the server could not be reached at all', () => {
    expect(classifySmtpFailure({ code: 'ECONNECTION', command: 'CONN' })).toBe('retry');
    expect(classifySmtpFailure(new Error('connect ECONNREFUSED'))).toBe('retry');
  });

  it('calls a connection lost during DATA without an answer unknown', () => {
    expect(classifySmtpFailure({ code: 'ETIMEDOUT', command: 'DATA' })).toBe('unknown');
  });

  it('keeps the server answer for staff', () => {
    expect(describeSmtpFailure({ responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 mailbox unknown' })).toBe(
      '550 (RCPT TO) 550 5.1.1 mailbox unknown',
    );
  });

  it('backs off exponentially with jitter, capped at an hour', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 1)).toBe(8000);
    expect(retryDelayMs(30, 1000, () => 1)).toBe(3_600_000);
  });
});
