import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { Referral } from './referral.entity';

export type ReferralScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'column'; column: 'probation_officer_id' | 'court_agency_id'; value: string };

/**
 * Which referrals a user may see: admin all; a probation officer those assigned to him or her;
 * a court clerk those of the clerk's own court; nobody else. Outside scope is "not found".
 */
export function referralScopeOf(user: SignedInUser): ReferralScope {
  switch (user.role) {
    case Role.Admin:
      return { kind: 'all' };
    // Read-only across agencies; the routes a coordinator may call are few (notices, responses),
    // and the referral view he gets is the court's (no date of birth, contact or notes).
    case Role.Coordinator:
      return { kind: 'all' };
    case Role.ProbationOfficer:
      return { kind: 'column', column: 'probation_officer_id', value: user.id };
    case Role.CourtClerk:
      return { kind: 'column', column: 'court_agency_id', value: user.agencyId };
    default:
      return { kind: 'none' };
  }
}

/** The scope as a SQL condition on `alias`; `bind` turns a value into a positional parameter. */
export function referralScopeSql(user: SignedInUser, alias: string, bind: (value: unknown) => string): string {
  const scope = referralScopeOf(user);
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'none') return 'FALSE';
  return `${alias}.${scope.column} = ${bind(scope.value)}`;
}

@Injectable()
export class ReferralAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Loads the referral if it is in the user's scope; otherwise 404, never 403. */
  async require(user: SignedInUser, referralId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Referral> {
    const scope = referralScopeOf(user);
    if (scope.kind === 'none') throw new NotFoundError('referral');
    const query = manager.createQueryBuilder(Referral, 'referral').where('referral.id = :referralId', { referralId });
    if (scope.kind === 'column') query.andWhere(`referral.${scope.column} = :scopeValue`, { scopeValue: scope.value });
    if (lock) query.setLock('pessimistic_write');
    const referral = await query.getOne();
    if (!referral) throw new NotFoundError('referral');
    return referral;
  }
}
