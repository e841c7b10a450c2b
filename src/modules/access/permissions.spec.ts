import fc from 'fast-check';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ALL_ROLES, Role } from '../../common/auth/role.enum';
import { AccessFacts, AccessTable, allows, guardedAlias, Permission, PERMISSIONS, scopeSql } from './permissions';

/** Few people and agencies, so a generated user is often the officer, clerk or facilitator of the record. */
const PEOPLE = ['u1', 'u2', 'u3'];
const AGENCIES = ['a1', 'a2'];

const user = fc
  .record({ id: fc.constantFrom(...PEOPLE), role: fc.constantFrom(...ALL_ROLES), agencyId: fc.constantFrom(...AGENCIES) })
  .map((each): SignedInUser => ({ ...each, email: `${each.id}@example.org`, name: each.id }));

/** One record as the rules see it: the referral, group, session, notice, officer and policy around it. */
const facts = fc
  .record({
    officer: fc.constantFrom(...PEOPLE),
    officerAgency: fc.constantFrom(...AGENCIES),
    court: fc.constantFrom(...AGENCIES),
    group: fc.constantFrom('g1', 'g2'),
    runBy: fc.option(fc.constantFrom(...PEOPLE), { nil: null }),
    recipientKind: fc.constantFrom('probation_officer', 'court'),
    recipientUser: fc.option(fc.constantFrom(...PEOPLE), { nil: null }),
    recipientAgency: fc.option(fc.constantFrom(...AGENCIES), { nil: null }),
    adminMayRead: fc.boolean(),
    facilitators: fc.record({ g1: fc.subarray(PEOPLE), g2: fc.subarray(PEOPLE) }),
  })
  .map((record) => ({
    record,
    facts: {
      rows: {
        referral: { probation_officer_id: record.officer, court_agency_id: record.court },
        group: { id: record.group },
        session: { group_id: record.group, run_by_id: record.runBy },
        notice: {
          recipient_kind: record.recipientKind,
          recipient_user_id: record.recipientUser,
          recipient_agency_id: record.recipientAgency,
        },
        probationOfficer: { agency_id: record.officerAgency },
        policy: { protected_party_admin_access: record.adminMayRead },
      },
      facilitators: record.facilitators,
    } satisfies AccessFacts,
  }));

type CaseRecord = {
  officer: string;
  officerAgency: string;
  court: string;
  group: 'g1' | 'g2';
  runBy: string | null;
  recipientKind: string;
  recipientUser: string | null;
  recipientAgency: string | null;
  adminMayRead: boolean;
  facilitators: { g1: string[]; g2: string[] };
};

/** Who may see what, said again from the program's rules, independently of the table. */
function mayTouch(who: SignedInUser, permission: Permission, record: CaseRecord): boolean {
  const { role } = who;
  const hisCase = record.officer === who.id;
  const herCourt = record.court === who.agencyId;
  const facilitates = record.facilitators[record.group].includes(who.id);
  const toHim = record.recipientKind === 'probation_officer' && record.recipientUser === who.id;
  const toHerCourt = record.recipientKind === 'court' && record.recipientAgency === who.agencyId;
  switch (permission) {
    case 'referral.read':
    case 'referral.write':
      return (
        role === Role.Admin ||
        role === Role.Coordinator ||
        (role === Role.ProbationOfficer && hisCase) ||
        (role === Role.CourtClerk && herCourt)
      );
    case 'group.read':
    case 'group.manage':
      return role === Role.Admin || (role === Role.Facilitator && facilitates);
    case 'session.read':
    case 'session.mark':
      // A facilitator also reaches a session of another group that he covered.
      return role === Role.Admin || (role === Role.Facilitator && (facilitates || record.runBy === who.id));
    case 'notice.read':
      return (
        role === Role.Admin ||
        role === Role.Coordinator ||
        (role === Role.ProbationOfficer && hisCase) ||
        (role === Role.CourtClerk && toHerCourt)
      );
    case 'notice.inbox':
      return (role === Role.ProbationOfficer && toHim) || (role === Role.CourtClerk && toHerCourt);
    case 'response.record':
      return (role === Role.ProbationOfficer && hisCase) || (role === Role.CourtClerk && herCourt);
    case 'accountability.read':
      // The officer sees his whole department's orders, not only his own.
      return (
        role === Role.Admin ||
        role === Role.Coordinator ||
        (role === Role.ProbationOfficer && record.officerAgency === who.agencyId) ||
        (role === Role.CourtClerk && herCourt)
      );
    case 'protected-party.read':
    case 'protected-party.write':
      return role === Role.Advocate || (role === Role.Admin && record.adminMayRead);
    case 'protected-party.enter':
      return role === Role.Advocate || role === Role.Admin;
  }
}

const permissions = Object.keys(PERMISSIONS) as Permission[];

describe('the permission table', () => {
  it('lets each role reach exactly the records the program says it may', () => {
    fc.assert(
      fc.property(user, fc.constantFrom(...permissions), facts, (who, permission, { record, facts }) => {
        expect(allows(who, permission, facts)).toBe(mayTouch(who, permission, record));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the facilitator, the advocate and the coordinator no referral outside their part, and nobody an inbox but recipients', () => {
    fc.assert(
      fc.property(user, facts, (who, { facts }) => {
        if (who.role === Role.Facilitator || who.role === Role.Advocate) expect(allows(who, 'referral.read', facts)).toBe(false);
        if (who.role !== Role.ProbationOfficer && who.role !== Role.CourtClerk) expect(allows(who, 'notice.inbox', facts)).toBe(false);
        if (who.role !== Role.Advocate && who.role !== Role.Admin) expect(allows(who, 'protected-party.enter', facts)).toBe(false);
        // Creating a party relies on it: whoever may read a referral's party data may also enter it.
        if (allows(who, 'protected-party.read', facts)) expect(allows(who, 'protected-party.enter', facts)).toBe(true);
      }),
    );
  });

  it('writes SQL for every permission and role on its own aliases, one parameter per placeholder', () => {
    fc.assert(
      fc.property(user, fc.constantFrom(...permissions), (who, permission) => {
        const values: unknown[] = [];
        const sql = scopeSql(who, permission, PERMISSIONS[permission].aliases, (value) => {
          values.push(value);
          return `$${values.length}`;
        });
        expect(sql.match(/\$\d+/g)?.length ?? 0).toBe(values.length);
        expect(values.every((value) => value === who.id || value === who.agencyId)).toBe(true);
        expect(PERMISSIONS[permission].from).toMatch(new RegExp(`\\b${guardedAlias(permission)}\\b`));
      }),
    );
  });
});

describe('the scope as SQL', () => {
  const as = (role: Role): SignedInUser => ({ id: 'me', role, agencyId: 'mine', email: 'me@example.org', name: 'Me' });
  const sql = (role: Role, permission: Permission, alias: string | Partial<Record<AccessTable, string>>) => {
    const values: unknown[] = [];
    const text = scopeSql(as(role), permission, alias, (value) => {
      values.push(value);
      return `$${values.length}`;
    });
    return { text, values };
  };

  it('is TRUE for whoever reaches every record and FALSE for a role the permission does not name', () => {
    expect(sql(Role.Admin, 'referral.read', 'r').text).toBe('TRUE');
    expect(sql(Role.Coordinator, 'notice.read', { notice: 'n', referral: 'r' }).text).toBe('TRUE');
    expect(sql(Role.Facilitator, 'referral.read', 'r')).toEqual({ text: 'FALSE', values: [] });
    expect(sql(Role.Admin, 'notice.inbox', 'n')).toEqual({ text: 'FALSE', values: [] });
  });

  it("puts the officer's own cases and the clerk's court on the referral's alias", () => {
    expect(sql(Role.ProbationOfficer, 'referral.read', 'r')).toEqual({ text: 'r.probation_officer_id = $1', values: ['me'] });
    expect(sql(Role.CourtClerk, 'referral.read', 'referral')).toEqual({ text: 'referral.court_agency_id = $1', values: ['mine'] });
    expect(sql(Role.ProbationOfficer, 'accountability.read', { referral: 'r', probationOfficer: 'po' })).toEqual({
      text: 'po.agency_id = $1',
      values: ['mine'],
    });
  });

  it("writes the inbox's recipient kind literally, so the partial inbox indexes match", () => {
    expect(sql(Role.ProbationOfficer, 'notice.inbox', 'n')).toEqual({
      text: "(n.recipient_kind = 'probation_officer' AND n.recipient_user_id = $1)",
      values: ['me'],
    });
    expect(sql(Role.CourtClerk, 'notice.read', { notice: 'n', referral: 'r' }).text).toBe(
      "(n.recipient_kind = 'court' AND n.recipient_agency_id = $1)",
    );
  });

  it("reaches a facilitator's groups through group_facilitators, and a session he covered by who ran it", () => {
    expect(sql(Role.Facilitator, 'group.read', 'g').text).toBe(
      'EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = g.id AND gf.user_id = $1)',
    );
    expect(sql(Role.Facilitator, 'session.mark', 's')).toEqual({
      text: '(EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = s.group_id AND gf.user_id = $1) OR s.run_by_id = $2)',
      values: ['me', 'me'],
    });
  });

  it('reads the policy for an admin asking for protected-party data, and refuses a rule an alias is missing for', () => {
    expect(sql(Role.Admin, 'protected-party.read', { referral: 'r', policy: 'p' }).text).toBe('p.protected_party_admin_access');
    expect(sql(Role.Admin, 'protected-party.enter', 'r').text).toBe('TRUE');
    expect(() => sql(Role.Admin, 'protected-party.read', 'r')).toThrow(/alias for policy/);
  });
});
