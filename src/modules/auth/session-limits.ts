/** Signed out after this long without a request (API and pages alike). */
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
/** However active, sign in again after a working day. */
export const MAX_SESSION_SECONDS = 12 * 60 * 60;
/** A session's last-seen time is written at most this often, so activity costs no write per call. */
export const TOUCH_AFTER_SECONDS = 60;
