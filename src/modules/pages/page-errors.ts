import { SignInReason } from './page-session.service';

/** No valid page session: the filter sends the browser to /login (with ?next= for a GET). */
export class PageSignInRequired extends Error {
  constructor(readonly reason: SignInReason) {
    super('Sign in first');
  }
}

/** A form post without our CSRF token (or with a stale one): refused with a 403 page. */
export class PageCsrfRejected extends Error {
  constructor() {
    super('The form did not carry a valid security token');
  }
}

/** Signed in, but the page is not for this role. */
export class PageRoleRefused extends Error {
  constructor() {
    super('This page is not part of your role');
  }
}

/** His role requires a second factor he has not set up: the filter sends him to set it up. */
export class PageSecondFactorSetupRequired extends Error {
  constructor() {
    super('Set up the second factor first');
  }
}
