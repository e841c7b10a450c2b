import { SignedInUser } from '../../common/auth/signed-in-user';

/**
 * Draws the progress report a progress-report notice carries. The report reads the referral, its
 * attendance and its events, all above notices, so notices names only what it needs and the
 * reports module provides it under this token (notices stays below reports).
 */
export interface ProgressReportAttachment {
  render(user: SignedInUser, referralId: string): Promise<Buffer>;
}

export const PROGRESS_REPORT_ATTACHMENT = Symbol('ProgressReportAttachment');
