import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { NotFoundError } from '../../common/errors/domain-error';
import { Role } from '../../common/auth/role.enum';

export type ProtectedPartyPurpose = 'read' | 'write';

/**
 * Who may touch a referral's protected-party data: advocates always; an admin may enter it, and
 * may read or change it only where the referral's policy says so. Everyone else, and an admin
 * without that permission, gets "not found" — the data's existence is not revealed.
 */
@Injectable()
export class ProtectedPartyAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async requireReferral(user: SignedInUser, referralId: string, purpose: ProtectedPartyPurpose | 'enter', manager: EntityManager = this.dataSource.manager): Promise<{ id: string; caseNumber: string; adminAccess: boolean }> {
    const rows = (await manager.query(
      `SELECT r.id, r.case_number, p.protected_party_admin_access AS admin_access
         FROM referrals r JOIN policies p ON p.id = r.policy_id WHERE r.id = $1`,
      [referralId],
    )) as Array<{ id: string; case_number: string; admin_access: boolean }>;
    const referral = rows[0];
    if (!referral || !this.allowed(user, purpose, referral.admin_access)) throw new NotFoundError('referral');
    return { id: referral.id, caseNumber: referral.case_number, adminAccess: referral.admin_access };
  }

  allowed(user: SignedInUser, purpose: ProtectedPartyPurpose | 'enter', adminAccess: boolean): boolean {
    if (user.role === Role.Advocate) return true;
    if (user.role === Role.Admin) return purpose === 'enter' || adminAccess;
    return false;
  }
}
