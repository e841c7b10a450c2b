import { DataSource } from 'typeorm';
import { Agency, AgencyKind } from '../../src/modules/agencies/agency.entity';
import { PasswordHasher } from '../../src/modules/users/password-hasher';
import { Role } from '../../src/common/auth/role.enum';
import { User } from '../../src/modules/users/user.entity';
import { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | null = null;

function testPasswordHash(): Promise<string> {
  cachedHash ??= PasswordHasher.hash(TEST_PASSWORD);
  return cachedHash;
}

export async function createAgency(dataSource: DataSource, kind: AgencyKind, name?: string): Promise<Agency> {
  const repository = dataSource.getRepository(Agency);
  return repository.save(
    repository.create({
      name: name ?? `${kind} ${Math.random().toString(36).slice(2, 7)}`,
      kind,
      noticeEmail:
        kind === AgencyKind.Court || kind === AgencyKind.Probation ? `${kind}-${Math.random().toString(36).slice(2, 7)}@agency.test` : null,
    }),
  );
}

export async function createUser(dataSource: DataSource, role: Role, agencyId: string, name?: string): Promise<User> {
  const repository = dataSource.getRepository(User);
  const suffix = Math.random().toString(36).slice(2, 8);
  return repository.save(
    repository.create({
      email: `${role}.${suffix}@staff.test`,
      name: name ?? `${role} ${suffix}`,
      role,
      agencyId,
      passwordHash: await testPasswordHash(),
    }),
  );
}

export async function signIn(testApp: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await testApp.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  return response.body.accessToken as string;
}

export interface Staff {
  program: Agency;
  court: Agency;
  probation: Agency;
  advocacy: Agency;
  users: Record<Role, User>;
  tokens: Record<Role, string>;
}

/** One agency of each kind and one signed-in user per role. */
export async function createStaff(testApp: TestApp): Promise<Staff> {
  const { dataSource } = testApp;
  const program = await createAgency(dataSource, AgencyKind.Program);
  const court = await createAgency(dataSource, AgencyKind.Court);
  const probation = await createAgency(dataSource, AgencyKind.Probation);
  const advocacy = await createAgency(dataSource, AgencyKind.Advocacy);
  const agencyFor: Record<Role, Agency> = {
    [Role.Admin]: program,
    [Role.Facilitator]: program,
    [Role.ProbationOfficer]: probation,
    [Role.CourtClerk]: court,
    [Role.Advocate]: advocacy,
    [Role.Coordinator]: program,
  };
  const users = {} as Record<Role, User>;
  const tokens = {} as Record<Role, string>;
  for (const role of Object.values(Role)) {
    users[role] = await createUser(dataSource, role, agencyFor[role].id);
    tokens[role] = await signIn(testApp, users[role].email);
  }
  return { program, court, probation, advocacy, users, tokens };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
