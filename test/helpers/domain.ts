import { ProgramClock } from '../../src/config/program-clock';
import { addDays, nextWeekday } from '../../src/common/dates';
import { seedReferenceData, ReferenceData } from '../../src/database/seeds/reference-data';
import { Policy } from '../../src/modules/policies/policy.entity';
import { bearer, createStaff, createUser, signIn, Staff } from './fixtures';
import { startTestApp, TestApp, TestAppOptions } from './test-app';
import { Role } from '../../src/common/auth/role.enum';

/** Tests replay a fixed calendar: "today" is Wednesday 25 November 2026 unless a test says otherwise. */
export const TODAY = '2026-11-25';

export function pinToday(testApp: TestApp, date = TODAY): void {
  testApp.app.get(ProgramClock).pinToday(date);
}

export async function seedReference(
  testApp: TestApp,
): Promise<ReferenceData & { duluthPolicy: Policy; caPolicy: Policy; txPolicy: Policy; flPolicy: Policy }> {
  const data = await seedReferenceData(testApp.dataSource.manager);
  const byKey = (key: string) => data.policies.find((policy) => policy.key === key)!;
  return {
    ...data,
    duluthPolicy: byKey('duluth-24'),
    caPolicy: byKey('ca-pc-1203-097'),
    txPolicy: byKey('tx-bipp'),
    flPolicy: byKey('fl-741-325'),
  };
}

export type Reference = Awaited<ReturnType<typeof seedReference>>;

/** The usual start of a domain suite: the app, one user per role, reference data, a pinned today. */
export async function startProgramApp(options: TestAppOptions = {}): Promise<{ testApp: TestApp; staff: Staff; reference: Reference }> {
  const testApp = await startTestApp(options);
  const staff = await createStaff(testApp);
  const reference = await seedReference(testApp);
  pinToday(testApp);
  return { testApp, staff, reference };
}

let caseCounter = 0;

export interface ReferralOptions {
  policyId: string;
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string;
  email?: string;
  phone?: string;
  orderedOn?: string;
  caseNumber?: string;
  probationOfficerId?: string;
  courtAgencyId?: string;
  language?: string;
}

/** Creates a referral through the API as the admin; returns the response body. */
export async function createReferral(testApp: TestApp, staff: Staff, options: ReferralOptions) {
  caseCounter += 1;
  const response = await testApp.http
    .post('/api/v1/referrals')
    .set(bearer(staff.tokens.admin))
    .send({
      participant: {
        firstName: options.firstName ?? `Man${caseCounter}`,
        lastName: options.lastName ?? `Tester${String.fromCharCode(65 + (caseCounter % 26))}`,
        dateOfBirth: options.dateOfBirth ?? `19${70 + (caseCounter % 25)}-0${1 + (caseCounter % 9)}-1${caseCounter % 10}`,
        ...(options.email ? { email: options.email } : {}),
        ...(options.phone ? { phone: options.phone } : {}),
        ...(options.language ? { language: options.language } : {}),
      },
      caseNumber: options.caseNumber ?? `CR-26-${String(1000 + caseCounter)}-${Math.random().toString(36).slice(2, 6).toUpperCase()}`,
      courtAgencyId: options.courtAgencyId ?? staff.court.id,
      probationOfficerId: options.probationOfficerId ?? staff.users.probation_officer.id,
      policyId: options.policyId,
      orderedOn: options.orderedOn ?? addDays(TODAY, -10),
    });
  if (response.status !== 201) throw new Error(`createReferral failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    id: string;
    status: string;
    enrollBy: string;
    completeBy: string;
    participantMatched: boolean;
    caseNumber: string;
  };
}

export interface GroupOptions {
  curriculumId: string;
  facilitatorIds: string[];
  weekday?: number;
  startsOn?: string;
  capacity?: number;
  name?: string;
  language?: string;
}

export async function createGroup(testApp: TestApp, staff: Staff, options: GroupOptions) {
  const weekday = options.weekday ?? 2;
  const response = await testApp.http
    .post('/api/v1/groups')
    .set(bearer(staff.tokens.admin))
    .send({
      name: options.name ?? `Group ${Math.random().toString(36).slice(2, 7)}`,
      curriculumId: options.curriculumId,
      weekday,
      startTime: '18:30',
      durationMinutes: 90,
      capacity: options.capacity ?? 12,
      location: 'Room 2',
      language: options.language ?? 'en',
      facilitatorIds: options.facilitatorIds,
      startsOn: options.startsOn ?? nextWeekday(addDays(TODAY, -42), weekday),
    });
  if (response.status !== 201) throw new Error(`createGroup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; capacity: number };
}

export async function enroll(testApp: TestApp, staff: Staff, referralId: string, groupId: string, startDate: string) {
  const response = await testApp.http.post('/api/v1/enrollments').set(bearer(staff.tokens.admin)).send({ referralId, groupId, startDate });
  if (response.status !== 201) throw new Error(`enroll failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { enrollment: { id: string; groupId: string; startDate: string } };
}

export async function sessionsOf(testApp: TestApp, staff: Staff, groupId: string, from: string, to: string) {
  const response = await testApp.http
    .get(`/api/v1/groups/${groupId}/sessions?from=${from}&to=${to}`)
    .set(bearer(staff.tokens.admin))
    .expect(200);
  return response.body.items as Array<{
    id: string;
    date: string;
    status: string;
    kind: string;
    unit: { position: number; theme: string; title: string } | null;
  }>;
}

/** A second facilitator with his own sign-in, for "not my group" checks. */
export async function otherFacilitator(testApp: TestApp, staff: Staff) {
  const user = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id);
  return { user, token: await signIn(testApp, user.email) };
}
