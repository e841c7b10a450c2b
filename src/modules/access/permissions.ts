import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';

/**
 * What a signed-in user asks to do, in the program's words. Each permission names the records it
 * guards and, per role, which of them that role reaches; a role not listed reaches none. The
 * route guards still refuse a role outright (403); these rules decide which records a role the
 * guard let through may touch, and anything outside them is "not found", never "forbidden", so
 * nobody learns that a record exists.
 */
export type Permission =
  | 'referral.read'
  | 'referral.write'
  | 'group.read'
  | 'group.manage'
  | 'session.read'
  | 'session.mark'
  | 'notice.read'
  | 'notice.inbox'
  | 'response.record'
  | 'accountability.read'
  | 'protected-party.read'
  | 'protected-party.write'
  | 'protected-party.enter';

/** The tables a rule may look at; a query names its alias for each one the rule needs. */
export type AccessTable = 'referral' | 'group' | 'session' | 'notice' | 'probationOfficer' | 'policy';

export type AccessAliases = Partial<Record<AccessTable, string>>;

/** A rule about one record, written once and read two ways: as SQL, and against a record's facts. */
export type AccessRule =
  | { kind: 'all' }
  /** A column equal to the user's own id or agency. */
  | { kind: 'mine'; table: AccessTable; column: string; user: 'id' | 'agencyId' }
  /** A column equal to a word of the program's (written literally, so partial indexes match). */
  | { kind: 'is'; table: AccessTable; column: string; value: string }
  /** A true column. */
  | { kind: 'flag'; table: AccessTable; column: string }
  /** The user facilitates the group whose id is in this column. */
  | { kind: 'facilitates'; table: AccessTable; column: string }
  | { kind: 'allOf'; rules: AccessRule[] }
  | { kind: 'anyOf'; rules: AccessRule[] };

export interface PermissionRules {
  /** The records asked for by id: the table, its alias in `from` and what a miss is called (its 404). */
  guards: AccessTable;
  notFound: string;
  /** The statement's FROM for a check by ids: the guarded table and whatever the rules look at. */
  from: string;
  aliases: AccessAliases;
  byRole: Partial<Record<Role, AccessRule>>;
}

const ALL: AccessRule = { kind: 'all' };
const OWN_REFERRAL: AccessRule = { kind: 'mine', table: 'referral', column: 'probation_officer_id', user: 'id' };
const COURT_REFERRAL: AccessRule = { kind: 'mine', table: 'referral', column: 'court_agency_id', user: 'agencyId' };
const FACILITATED_GROUP: AccessRule = { kind: 'facilitates', table: 'group', column: 'id' };
// His own groups' sessions, and a session of another group he was recorded as covering.
const FACILITATED_SESSION: AccessRule = {
  kind: 'anyOf',
  rules: [
    { kind: 'facilitates', table: 'session', column: 'group_id' },
    { kind: 'mine', table: 'session', column: 'run_by_id', user: 'id' },
  ],
};
const TO_THE_OFFICER: AccessRule = {
  kind: 'allOf',
  rules: [
    { kind: 'is', table: 'notice', column: 'recipient_kind', value: 'probation_officer' },
    { kind: 'mine', table: 'notice', column: 'recipient_user_id', user: 'id' },
  ],
};
const TO_THE_COURT: AccessRule = {
  kind: 'allOf',
  rules: [
    { kind: 'is', table: 'notice', column: 'recipient_kind', value: 'court' },
    { kind: 'mine', table: 'notice', column: 'recipient_agency_id', user: 'agencyId' },
  ],
};

/**
 * Referrals: admin all; the CCR coordinator all, read only (his routes are few, and the referral
 * view he gets is the court's); a probation officer those assigned to him or her; a court clerk
 * those of the clerk's own court. Writing is the same reach: the guards say which roles write.
 */
const REFERRALS: PermissionRules = {
  guards: 'referral',
  notFound: 'referral',
  from: 'referrals r',
  aliases: { referral: 'r' },
  byRole: { [Role.Admin]: ALL, [Role.Coordinator]: ALL, [Role.ProbationOfficer]: OWN_REFERRAL, [Role.CourtClerk]: COURT_REFERRAL },
};

/** Groups: admins every group; a facilitator only the groups he or she facilitates. */
const GROUPS: PermissionRules = {
  guards: 'group',
  notFound: 'group',
  from: 'groups g',
  aliases: { group: 'g' },
  byRole: { [Role.Admin]: ALL, [Role.Facilitator]: FACILITATED_GROUP },
};

const SESSIONS: PermissionRules = {
  guards: 'session',
  notFound: 'session',
  from: 'sessions s',
  aliases: { session: 's' },
  byRole: { [Role.Admin]: ALL, [Role.Facilitator]: FACILITATED_SESSION },
};

/**
 * Protected-party data: advocates always; an admin may enter it, and may read or change it only
 * where the referral's policy says so. Everyone else, and an admin without that permission, gets
 * "not found": the data's existence is not revealed.
 */
function protectedParty(admin: AccessRule): PermissionRules {
  return {
    guards: 'referral',
    notFound: 'referral',
    from: 'referrals r JOIN policies p ON p.id = r.policy_id',
    aliases: { referral: 'r', policy: 'p' },
    byRole: { [Role.Advocate]: ALL, [Role.Admin]: admin },
  };
}
const POLICY_LETS_ADMIN: AccessRule = { kind: 'flag', table: 'policy', column: 'protected_party_admin_access' };

export const PERMISSIONS: Record<Permission, PermissionRules> = {
  'referral.read': REFERRALS,
  'referral.write': REFERRALS,
  'group.read': GROUPS,
  'group.manage': GROUPS,
  'session.read': SESSIONS,
  'session.mark': SESSIONS,
  /**
   * Notices: admin all; the coordinator every notice across agencies (read only); a probation
   * officer those about his referrals; a court clerk those sent to his court.
   */
  'notice.read': {
    guards: 'notice',
    notFound: 'notice',
    from: 'notices n JOIN referrals r ON r.id = n.referral_id',
    aliases: { notice: 'n', referral: 'r' },
    byRole: { [Role.Admin]: ALL, [Role.Coordinator]: ALL, [Role.ProbationOfficer]: OWN_REFERRAL, [Role.CourtClerk]: TO_THE_COURT },
  },
  /** The notices addressed to this user: the officer's own, or the clerk's court's. Only recipients have an inbox. */
  'notice.inbox': {
    guards: 'notice',
    notFound: 'notice',
    from: 'notices n',
    aliases: { notice: 'n' },
    byRole: { [Role.ProbationOfficer]: TO_THE_OFFICER, [Role.CourtClerk]: TO_THE_COURT },
  },
  /** An agency answers for its own cases: the officer his referrals, the clerk her court's. */
  'response.record': {
    guards: 'referral',
    notFound: 'referral',
    from: 'referrals r',
    aliases: { referral: 'r' },
    byRole: { [Role.ProbationOfficer]: OWN_REFERRAL, [Role.CourtClerk]: COURT_REFERRAL },
  },
  /**
   * Whose orders the accountability figures cover: the admin and the coordinator every order; a
   * probation officer the orders of his department (every officer of his agency), a court clerk
   * those of her court.
   */
  'accountability.read': {
    guards: 'referral',
    notFound: 'referral',
    from: 'referrals r JOIN users po ON po.id = r.probation_officer_id',
    aliases: { referral: 'r', probationOfficer: 'po' },
    byRole: {
      [Role.Admin]: ALL,
      [Role.Coordinator]: ALL,
      [Role.ProbationOfficer]: { kind: 'mine', table: 'probationOfficer', column: 'agency_id', user: 'agencyId' },
      [Role.CourtClerk]: COURT_REFERRAL,
    },
  },
  'protected-party.read': protectedParty(POLICY_LETS_ADMIN),
  'protected-party.write': protectedParty(POLICY_LETS_ADMIN),
  'protected-party.enter': protectedParty(ALL),
};

/** The alias of the guarded table in the permission's own FROM. */
export function guardedAlias(permission: Permission): string {
  const rules = PERMISSIONS[permission];
  const alias = rules.aliases[rules.guards];
  if (!alias) throw new Error(`${permission} names no alias for ${rules.guards}`);
  return alias;
}

export function ruleFor(user: Pick<SignedInUser, 'role'>, permission: Permission): AccessRule | null {
  return PERMISSIONS[permission].byRole[user.role] ?? null;
}

/**
 * The permission as a SQL condition for a list's WHERE (or a read's own): `alias` is the guarded
 * table's alias, or an alias for each table the rule looks at; `bind` turns a value into a
 * positional parameter (SqlParams.bind), so the parameters join the caller's.
 */
export function scopeSql(
  user: SignedInUser,
  permission: Permission,
  alias: string | AccessAliases,
  bind: (value: unknown) => string,
): string {
  const aliases: AccessAliases = typeof alias === 'string' ? { [PERMISSIONS[permission].guards]: alias } : alias;
  const rule = ruleFor(user, permission);
  return rule ? ruleSql(rule, user, aliases, bind) : 'FALSE';
}

function ruleSql(rule: AccessRule, user: SignedInUser, aliases: AccessAliases, bind: (value: unknown) => string): string {
  const on = (table: AccessTable): string => {
    const name = aliases[table];
    if (!name) throw new Error(`access rule needs an alias for ${table}`);
    return name;
  };
  switch (rule.kind) {
    case 'all':
      return 'TRUE';
    case 'mine':
      return `${on(rule.table)}.${rule.column} = ${bind(user[rule.user])}`;
    case 'is':
      return `${on(rule.table)}.${rule.column} = '${rule.value.replace(/'/g, "''")}'`;
    case 'flag':
      return `${on(rule.table)}.${rule.column}`;
    case 'facilitates':
      return `EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = ${on(rule.table)}.${rule.column} AND gf.user_id = ${bind(user.id)})`;
    case 'allOf':
      return `(${rule.rules.map((each) => ruleSql(each, user, aliases, bind)).join(' AND ')})`;
    case 'anyOf':
      return `(${rule.rules.map((each) => ruleSql(each, user, aliases, bind)).join(' OR ')})`;
  }
}

/** What a record is, as the rules read it: its tables' columns, and who facilitates which group. */
export interface AccessFacts {
  rows: Partial<Record<AccessTable, Record<string, unknown>>>;
  facilitators: Record<string, string[]>;
}

/** The same rules read against one record's facts, without a database (what the unit test checks). */
export function allows(user: SignedInUser, permission: Permission, facts: AccessFacts): boolean {
  const rule = ruleFor(user, permission);
  return rule ? ruleHolds(rule, user, facts) : false;
}

function ruleHolds(rule: AccessRule, user: SignedInUser, facts: AccessFacts): boolean {
  const value = (table: AccessTable, column: string): unknown => facts.rows[table]?.[column];
  switch (rule.kind) {
    case 'all':
      return true;
    case 'mine':
      return value(rule.table, rule.column) === user[rule.user];
    case 'is':
      return value(rule.table, rule.column) === rule.value;
    case 'flag':
      return value(rule.table, rule.column) === true;
    case 'facilitates':
      return (facts.facilitators[String(value(rule.table, rule.column))] ?? []).includes(user.id);
    case 'allOf':
      return rule.rules.every((each) => ruleHolds(each, user, facts));
    case 'anyOf':
      return rule.rules.some((each) => ruleHolds(each, user, facts));
  }
}
