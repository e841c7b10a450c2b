import { SignedInUser } from '../../common/auth/signed-in-user';
import { NoticeRecipientKind, NoticeStatus } from '../notices/notice-status.enum';
import { NoticeView } from '../notices/notice.view';
import { Role } from '../../common/auth/role.enum';

/** How many of a referral's notices a page lists (newest first). */
export const NOTICES_SHOWN = 50;

const ACKNOWLEDGEABLE: NoticeStatus[] = [NoticeStatus.Sent, NoticeStatus.Unknown, NoticeStatus.Pending, NoticeStatus.Failed];

/** Whether to offer the acknowledge button: the service decides, this only hides a button that would fail. */
export function acknowledgeable(user: SignedInUser, notice: NoticeView): boolean {
  const mine =
    (user.role === Role.ProbationOfficer && notice.recipientKind === NoticeRecipientKind.ProbationOfficer) ||
    (user.role === Role.CourtClerk && notice.recipientKind === NoticeRecipientKind.Court);
  return mine && ACKNOWLEDGEABLE.includes(notice.status);
}
