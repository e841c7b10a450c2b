import { Secret, TOTP } from 'otpauth';
import { ReceivedMail } from '../helpers/smtp-sink';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The mail's plain-text body as a mail program shows it (quoted-printable undone). */
export function mailText(mail: ReceivedMail): string {
  return mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The latest mail to this address whose text holds a link to `page`, once the SMTP server has it. */
export async function mailWithLink(testApp: TestApp, to: string, page: string, after = 0): Promise<{ mail: ReceivedMail; link: URL }> {
  const pattern = new RegExp(`(https?://[^\\s"<>]+${page.replace(/\//g, '\\/')}#[A-Za-z0-9_-]+)`);
  const mail = await waitFor(
    () => testApp.smtp.received.filter((received) => received.to.includes(to) && pattern.test(mailText(received))).slice(after)[0] ?? null,
    { what: `a mail to ${to} with a link to ${page}`, timeoutMs: 30_000 },
  );
  return { mail, link: new URL(pattern.exec(mailText(mail))![1]) };
}

/** How many mails this address has received. */
export function mailsTo(testApp: TestApp, to: string): number {
  return testApp.smtp.received.filter((received) => received.to.includes(to)).length;
}

/** The code an authenticator app would show for this secret, `steps` periods from now. */
export function totpCode(secretBase32: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + steps * 30_000,
  });
}

/** Waits until the next 30-second step begins when fewer than `margin` ms are left, so a code stays valid while used. */
export async function freshStep(marginMs = 3_000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
