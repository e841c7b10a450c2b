import { ReferralAssessment } from '../modules/assessments/referral-assessment.entity';
import { ParticipantMessage } from '../modules/participant-messages/participant-message.entity';
import { ProgramHoliday } from '../modules/calendar/program-holiday.entity';
import { OutgoingMail } from '../modules/mail/outgoing-mail.entity';
import { FeeEntry, FeeReceiptCounter, ReferralIncomeBracket } from '../modules/fees/fee-entry.entity';
import { Agency } from '../modules/agencies/agency.entity';
import { AccountLink } from '../modules/auth/account-link.entity';
import { AuthSession } from '../modules/auth/auth-session.entity';
import { RecoveryCode, SecondFactor } from '../modules/auth/second-factor.entity';
import { AttendanceMark } from '../modules/attendance/attendance-mark.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { ComplianceEvent } from '../modules/compliance/compliance-event.entity';
import { Notice } from '../modules/notices/notice.entity';
import { CurriculumUnit } from '../modules/curricula/curriculum-unit.entity';
import { Curriculum } from '../modules/curricula/curriculum.entity';
import { Enrollment } from '../modules/enrollments/enrollment.entity';
import { Group } from '../modules/groups/group.entity';
import { Participant } from '../modules/participants/participant.entity';
import { Policy } from '../modules/policies/policy.entity';
import { ProtectedParty } from '../modules/protected-parties/protected-party.entity';
import { VictimNotification } from '../modules/protected-parties/victim-notification.entity';
import { Referral } from '../modules/referrals/referral.entity';
import { EventResponse } from '../modules/responses/event-response.entity';
import { Session } from '../modules/groups/session.entity';
import { User } from '../modules/users/user.entity';

/** Every entity, listed once so the app, the CLI and the drift check see the same schema. */
export const ENTITIES = [
  Agency,
  User,
  AuthSession,
  AuditEntry,
  Policy,
  Curriculum,
  CurriculumUnit,
  Participant,
  Referral,
  Group,
  Session,
  Enrollment,
  AttendanceMark,
  ComplianceEvent,
  Notice,
  ProtectedParty,
  VictimNotification,
  EventResponse,
  OutgoingMail,
  AccountLink,
  SecondFactor,
  RecoveryCode,
  ProgramHoliday,
  ParticipantMessage,
  FeeEntry,
  FeeReceiptCounter,
  ReferralIncomeBracket,

  ReferralAssessment,
];
