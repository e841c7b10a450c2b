import { escapeExpression } from 'handlebars';
import { AccountLinkPurpose } from './account-link.entity';
import { ROLE_WORDS } from './role-words';

export interface AccountMailContent {
  subject: string;
  text: string;
  html: string;
}

/** The invitation and the reset e-mail: plain words, the link, when it stops working, and who to ask. */
export function accountMail(
  purpose: AccountLinkPurpose,
  input: { name: string; role: string; link: string; expiresAt: Date; timeZone: string },
): AccountMailContent {
  const until = new Intl.DateTimeFormat('en-US', { timeZone: input.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(
    input.expiresAt,
  );
  const lines =
    purpose === 'invitation'
      ? {
          subject: 'Your Throughline account: choose a password',
          intro: `You have been given a Throughline account as ${ROLE_WORDS[input.role] ?? input.role}. Open this link to choose your password:`,
          after: `The link works once, until ${until}. If it has run out, ask your program administrator to send a new invitation.`,
        }
      : {
          subject: 'Throughline: choose a new password',
          intro: 'Someone (we hope you) asked to reset the password of your Throughline account. Open this link to choose a new one:',
          after: `The link works once, for 30 minutes (until ${until}). Choosing a new password signs you out everywhere. If you did not ask, ignore this e-mail: your password stays as it is.`,
        };
  const text = [`Hello ${input.name},`, '', lines.intro, '', input.link, '', lines.after, ''].join('\n');
  const html = [
    `<p>Hello ${escapeExpression(input.name)},</p>`,
    `<p>${escapeExpression(lines.intro)}</p>`,
    `<p><a href="${escapeExpression(input.link)}">${escapeExpression(input.link)}</a></p>`,
    `<p>${escapeExpression(lines.after)}</p>`,
  ].join('\n');
  return { subject: lines.subject, text, html };
}
