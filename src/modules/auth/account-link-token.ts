import { createHash, randomBytes } from 'node:crypto';
import { AccountLinkPurpose } from './account-link.entity';

/** How long each kind of link opens its page: an invitation three days, a reset half an hour. */
export const LINK_LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  invitation: 72 * 60 * 60 * 1000,
  password_reset: 30 * 60 * 1000,
};

/**
 * Where each link lands. The token travels in the URL's fragment (after #), which browsers never
 * send to a server: it cannot reach our request log, a reverse proxy's access log or a Referer
 * header. The page's script moves it into the form, which posts it in the body (never logged).
 */
export const LINK_PAGE: Record<AccountLinkPurpose, string> = {
  invitation: '/invitation',
  password_reset: '/password-reset/new',
};

/** 256 random bits, URL-safe. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps: the token is random, so a fast hash is enough (nothing to guess). */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** A token as we issue them (43 base64url characters); anything else is refused without a query. */
export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function linkUrl(publicUrl: string, purpose: AccountLinkPurpose, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${LINK_PAGE[purpose]}#${token}`;
}
