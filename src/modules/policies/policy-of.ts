import { DataSource } from 'typeorm';
import { RequestContext } from '../../common/context/request-context';
import { Policy } from './policy.entity';

/**
 * A policy version by id, read once per request however many services of one page ask for it
 * (the referral page's compliance block, fee schedule and notice recipients all need his policy).
 * A version's rules never change once written; only which version is current does, and nothing
 * reads that across a page. Outside a transaction only: a change reads through its own manager.
 */
export function policyOf(dataSource: DataSource, id: string): Promise<Policy | null> {
  return RequestContext.remember(`policy ${id}`, () => dataSource.getRepository(Policy).findOneBy({ id }));
}
