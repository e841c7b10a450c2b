import { randomUUID } from 'node:crypto';
import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { SignedInUser } from '../../src/common/auth/signed-in-user';
import { RequestContext } from '../../src/common/context/request-context';
import { Policy } from '../../src/modules/policies/policy.entity';
import { policyOf } from '../../src/modules/policies/policy-of';
import { ReferralsService } from '../../src/modules/referrals/referrals.service';
import { Staff } from '../helpers/fixtures';
import { createReferral, Reference, startProgramApp, TODAY } from '../helpers/domain';
import { StatementCounter } from '../helpers/statement-counter';
import { TestApp } from '../helpers/test-app';

/**
 * The referral's read carries his policy's row (the referral page's compliance block, fee schedule,
 * notice recipients and assessment form all ask for it): the version it answers must be the one
 * TypeORM's read of the policy answers, every column, and no read of the policy follows.
 */
describe('his policy, read with his record', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let admin: SignedInUser;
  const counter = new StatementCounter();

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const user = staff.users.admin;
    admin = { id: user.id, role: Role.Admin, agencyId: user.agencyId, email: user.email, name: user.name };
    counter.install();
  });
  afterAll(async () => {
    counter.uninstall();
    await testApp.close();
  });

  it('is the version as TypeORM reads it, for every preset, and the request reads no policy of its own', async () => {
    for (const policy of [reference.duluthPolicy, reference.caPolicy, reference.txPolicy, reference.flPolicy]) {
      const referral = await createReferral(testApp, staff, { policyId: policy.id, orderedOn: addDays(TODAY, -30) });
      const requestId = randomUUID();
      const remembered = await RequestContext.run({ requestId, ipAddress: null }, async () => {
        await testApp.app.get(ReferralsService).get(admin, referral.id);
        return policyOf(testApp.dataSource, policy.id);
      });
      expect(counter.of(requestId).filter((sql) => /FROM "policies"/.test(sql))).toEqual([]);
      const read = await testApp.dataSource.getRepository(Policy).findOneBy({ id: policy.id });
      expect(remembered).toBeInstanceOf(Policy);
      expect(remembered).toStrictEqual(read);
      expect(remembered?.createdAt.getTime()).toBe(read?.createdAt.getTime());
    }
  });
});
