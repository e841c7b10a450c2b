import { NotificationWish } from './protected-party.entity';
import { DueState } from './victim-notification-due';
import { VictimNotificationChannel, VictimNotificationEvent, VictimNotificationStatus } from './victim-notification.entity';

/** The sealed part of a protected party, as the advocate typed it. */
export interface ProtectedPartyDetails {
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  safetyNotes: string | null;
  preferredChannel: VictimNotificationChannel;
}

export interface ProtectedPartyView extends ProtectedPartyDetails {
  id: string;
  referralId: string;
  notificationWish: NotificationWish;
  noProgramContact: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What an admin without read access gets back after entering one: proof it was saved, nothing more. */
export interface ProtectedPartyReceipt {
  id: string;
  referralId: string;
  createdAt: Date;
  detailsVisible: false;
}

/** A referral as the advocate needs it: whose case, where it stands. No attendance, no notices. */
export interface AdvocateReferralView {
  id: string;
  caseNumber: string;
  participantName: string;
  status: string;
  statusChangedAt: Date;
  completeBy: string;
  protectedParties: number;
  pendingNotifications: number;
}

export interface VictimNotificationView {
  id: string;
  referralId: string;
  caseNumber: string;
  participantName: string;
  protectedPartyId: string;
  protectedPartyName: string;
  preferredChannel: VictimNotificationChannel;
  hasEmail: boolean;
  event: VictimNotificationEvent;
  status: VictimNotificationStatus;
  channel: VictimNotificationChannel | null;
  attempts: number;
  lastError: string | null;
  /**
   * While the status is "sending": the e-mail is still on its way (the outbox will try again), or
   * it was handed over and not confirmed (check with her; it is never resent blindly).
   */
  delivery: 'on_its_way' | 'not_confirmed' | null;
  /** She was never asked whether she wants to hear (an on-request policy): ask her first. */
  askFirst: boolean;
  /** When she is to have been told by (the policy's clock for this step); null where no rule sets one. */
  dueAt: Date | null;
  /** Where it stands against that time, in words ("Overdue by 5 hours (was due …)"). */
  due: DueState;
  note: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}
