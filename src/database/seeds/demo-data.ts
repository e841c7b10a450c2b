import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays } from '../../common/dates';
import { RequestContext } from '../../common/context/request-context';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { Agency, AgencyKind } from '../../modules/agencies/agency.entity';
import { AttendanceService } from '../../modules/attendance/attendance.service';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { ComplianceSweepService } from '../../modules/compliance/compliance-sweep.service';
import { ComplianceService } from '../../modules/compliance/compliance.service';
import { EnrollmentsService } from '../../modules/enrollments/enrollments.service';
import { GroupsService } from '../../modules/groups/groups.service';
import { OutboxTransaction } from '../../modules/mail/outbox-transaction';
import { ReferralsService } from '../../modules/referrals/referrals.service';
import { ReferralLifecycleService } from '../../modules/referral-lifecycle/referral-lifecycle.service';
import { ProtectedPartiesService } from '../../modules/protected-parties/protected-parties.service';
import { CreateProtectedPartyDto } from '../../modules/protected-parties/protected-party.dto';
import { NotificationWish } from '../../modules/protected-parties/protected-party.entity';
import { RosterService } from '../../modules/sessions/roster.service';
import { SessionStatus } from '../../modules/groups/session.entity';
import { PasswordHasher } from '../../modules/users/password-hasher';
import { Role } from '../../common/auth/role.enum';
import { User } from '../../modules/users/user.entity';
import { DEMO_AGENCIES, DEMO_MEN, DEMO_PASSWORDS, DEMO_STAFF } from './demo-people';
import { ReferenceData } from './reference-data';
import { seedUndeliveredNotices } from './demo-undelivered';

/** A deterministic pseudo-random sequence, so every demo looks the same. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A program that looks lived-in: three groups meeting for ten weeks, twenty-two men referred
 * over that time, most enrolled, attendance marked through the real services (so the rules
 * raise real events and notices), one man never enrolled, and the nightly sweep run once.
 */
export async function seedDemoProgram(app: INestApplicationContext, reference: ReferenceData): Promise<'created' | 'exists'> {
  const dataSource = app.get(DataSource);
  if (await dataSource.getRepository(Agency).existsBy({ name: DEMO_AGENCIES.program.name })) return 'exists';

  const agencies = {} as Record<keyof typeof DEMO_AGENCIES, Agency>;
  for (const [key, agency] of Object.entries(DEMO_AGENCIES) as Array<
    [keyof typeof DEMO_AGENCIES, (typeof DEMO_AGENCIES)[keyof typeof DEMO_AGENCIES]]
  >) {
    agencies[key] = await dataSource
      .getRepository(Agency)
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the demo's kinds are written as AgencyKind's values
      .save({ name: agency.name, kind: agency.kind as AgencyKind, noticeEmail: agency.noticeEmail });
  }
  const users = {} as Record<(typeof DEMO_STAFF)[number]['key'], User>;
  for (const person of DEMO_STAFF) {
    const password = DEMO_PASSWORDS[person.role];
    users[person.key] = await dataSource.getRepository(User).save({
      email: person.email,
      name: person.name,
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the demo's roles are written as Role's values
      role: person.role as Role,
      agencyId: agencies[person.agency].id,
      passwordHash: await PasswordHasher.hash(password),
    });
  }
  const asUser = (user: User): SignedInUser => ({
    id: user.id,
    role: user.role,
    agencyId: user.agencyId,
    email: user.email,
    name: user.name,
  });
  const admin = asUser(users.admin);
  const run = <T>(user: SignedInUser, work: () => Promise<T>) =>
    RequestContext.run({ requestId: 'demo-seed', ipAddress: null, user }, work);

  const today = app.get(ProgramClock).today();
  const groups = app.get(GroupsService);
  const duluth = reference.duluth.id;
  const schedule = [
    {
      name: 'Tuesday evening group',
      weekday: 2,
      startTime: '18:30',
      facilitatorIds: [users.facilitator.id],
      language: 'en',
      location: 'Room 2, 202 W 2nd St, Duluth',
    },
    {
      name: 'Thursday evening group',
      weekday: 4,
      startTime: '18:00',
      facilitatorIds: [users.facilitator2.id],
      language: 'en',
      location: 'Room 2, 202 W 2nd St, Duluth',
    },
    {
      name: 'Grupo del sábado (español)',
      weekday: 6,
      startTime: '10:00',
      facilitatorIds: [users.facilitator.id, users.facilitator2.id],
      language: 'es',
      location: 'Community Room, 14 E Central Entrance',
    },
  ];
  const created = [];
  for (const group of schedule) {
    created.push(
      await run(admin, () =>
        groups.create({ ...group, curriculumId: duluth, durationMinutes: 90, capacity: 12, startsOn: addDays(today, -70) }),
      ),
    );
  }

  const referrals = app.get(ReferralsService);
  const enrollments = app.get(EnrollmentsService);
  const random = sequence(42);
  const duluthPolicy = presetPolicy(reference, 'duluth-24');
  const caPolicy = presetPolicy(reference, 'ca-pc-1203-097');
  const officers = [users.probation_officer, users.probation_officer2];
  const referralOf: Record<string, string> = {};
  for (const [index, [firstName, lastName, dateOfBirth]] of DEMO_MEN.entries()) {
    const orderedOn = addDays(today, -75 + index * 3);
    const referral = await run(admin, () =>
      referrals.create(
        {
          participant: { firstName, lastName, dateOfBirth, language: index % 7 === 4 ? 'es' : 'en' },
          caseNumber: `69DU-CR-26-${String(1400 + index * 7)}`,
          courtAgencyId: agencies.court.id,
          probationOfficerId: officers[index % 3 === 2 ? 1 : 0].id,
          policyId: index % 5 === 3 ? caPolicy.id : duluthPolicy.id,
          orderedOn,
        },
        admin,
      ),
    );
    referralOf[firstName] = referral.id;
    // One man was ordered two months ago and never came: the sweep flags him as failed to enroll.
    if (index === NEVER_ENROLLED) continue;
    const group = created[index % 7 === 4 ? 2 : index % 2];
    const sessions = (await run(admin, () => groups.sessions(admin, group.id, addDays(orderedOn, 3), addDays(orderedOn, 20)))).filter(
      (s) => s.date <= today && s.status !== SessionStatus.Cancelled,
    );
    const startDate = sessions[0]?.date ?? addDays(today, 1);
    if (startDate > today) continue;
    await run(admin, () => enrollments.enroll(admin, { referralId: referral.id, groupId: group.id, startDate }));
  }

  // Mark every past session the way facilitators would have, week by week.
  const attendance = app.get(AttendanceService);
  const troubled = new Set(['Marcus', 'Tyler', 'Jorge']);
  for (const group of created) {
    const facilitator = asUser(group.facilitators[0].id === users.facilitator.id ? users.facilitator : users.facilitator2);
    const sessions = (await run(admin, () => groups.sessions(admin, group.id, addDays(today, -70), today))).filter(
      (s) => s.date < today && s.status !== SessionStatus.Cancelled,
    );
    for (const session of sessions) {
      const roster = await app.get(RosterService).load(dataSource.manager, session.id, Role.Admin);
      if (roster.entries.length === 0) continue;
      const marks = roster.entries.map((entry) => ({
        enrollmentId: entry.enrollmentId,
        status: demoStatus(random(), troubled.has(entry.firstName)),
        note: undefined as string | undefined,
      }));
      if (session === sessions[sessions.length - 3] && marks.length > 1) {
        marks[1] = {
          ...marks[1],
          status: AttendanceStatus.Removed,
          note: 'Left after raising his voice at another member; talked with facilitator',
        };
      }
      await run(facilitator, () => attendance.mark(facilitator, session.id, marks));
    }
  }

  // The advocate's side: the partners of three of the troubled men, and one of those men
  // terminated by the program, so a victim notification waits on the advocate's page.
  const advocate = asUser(users.advocate);
  const parties = app.get(ProtectedPartiesService);
  for (const [man, party] of DEMO_PROTECTED_PARTIES) {
    await run(advocate, () => parties.create(advocate, referralOf[man], party));
  }
  await run(admin, () =>
    app.get(ReferralLifecycleService).terminate(admin, referralOf.Tyler, 'Threatened a group member after session; program terminated'),
  );

  // The nightly sweep, once, so calendar rules (failure to enroll, progress reports) show too.
  const sweep = new ComplianceSweepService(
    dataSource,
    app.get(ComplianceService),
    app.get(OutboxTransaction),
    app.get(ProgramClock),
    app.get(AppConfig),
  );
  await sweep.run(today);
  await seedUndeliveredNotices(app, { dead: referralOf.Marcus, unknown: referralOf.Anthony });
  return 'created';
}

const NEVER_ENROLLED = 5;

/** Invented people at invented addresses (example.org, 555 numbers). */
const DEMO_PROTECTED_PARTIES: Array<[string, CreateProtectedPartyDto]> = [
  [
    'Marcus',
    {
      name: 'Dana Bell',
      relationship: 'wife (separated)',
      phone: '218 555 0142',
      email: 'dana.bell@example.org',
      safetyNotes: 'Call her work phone only, weekdays 9–5. Do not leave messages.',
      preferredChannel: 'phone',
      notificationWish: NotificationWish.Wants,
    },
  ],
  [
    'Tyler',
    {
      name: 'Kayla Moore',
      relationship: 'former partner',
      email: 'kayla.moore@example.org',
      address: 'Safe at Home program, PO Box 17370, St. Paul MN 55117',
      safetyNotes: 'Has an order for protection. E-mail is safe; he does not know the address.',
      preferredChannel: 'email',
      notificationWish: NotificationWish.Wants,
    },
  ],
  [
    'Jorge',
    {
      name: 'Rosa Castillo',
      relationship: 'partner',
      phone: '218 555 0199',
      safetyNotes: 'Speaks Spanish; use an interpreter.',
      preferredChannel: 'phone',
      notificationWish: NotificationWish.NotAsked,
    },
  ],
];

function demoStatus(roll: number, troubled: boolean): AttendanceStatus {
  if (troubled) {
    if (roll < 0.45) return AttendanceStatus.Present;
    if (roll < 0.55) return AttendanceStatus.Late;
    if (roll < 0.65) return AttendanceStatus.AbsentExcused;
    return AttendanceStatus.AbsentUnexcused;
  }
  if (roll < 0.8) return AttendanceStatus.Present;
  if (roll < 0.88) return AttendanceStatus.Late;
  if (roll < 0.92) return AttendanceStatus.LeftEarly;
  if (roll < 0.97) return AttendanceStatus.AbsentExcused;
  return AttendanceStatus.AbsentUnexcused;
}

/** A policy the reference data always seeds (a missing one is a broken seed, not a demo to draw). */
function presetPolicy(reference: ReferenceData, key: string): ReferenceData['policies'][number] {
  const policy = reference.policies.find((candidate) => candidate.key === key);
  if (!policy) throw new Error(`the reference data has no policy ${key}`);
  return policy;
}
