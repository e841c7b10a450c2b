import { DataSource } from 'typeorm';
import { RequestContext } from '../../common/context/request-context';
import { parseInstant } from '../../common/database/instant';
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

/**
 * A policy row as json, for a read that carries its record's policy beside its own columns (the
 * referral's read: no statement of its own for the policy, in turn after it). Its instants as the
 * server writes them in a row, so they are parsed as the driver parses a column.
 */
export function policyJsonSql(alias: string): string {
  return `to_jsonb(${alias}) || jsonb_build_object('created_at', ${alias}.created_at::text)`;
}

/**
 * The version read by policyJsonSql, as TypeORM's read of it answers it (every column, by its
 * property), remembered for this request as policyOf's answer for its id.
 */
export function rememberPolicyJson(dataSource: DataSource, json: Record<string, unknown>): Policy {
  const metadata = dataSource.getMetadata(Policy);
  const policy = metadata.create() as Policy;
  for (const column of metadata.columns) {
    const value = json[column.databaseName];
    column.setEntityValue(policy, column.type === 'timestamptz' && typeof value === 'string' ? parseInstant(value) : value);
  }
  void RequestContext.remember(`policy ${policy.id}`, () => Promise.resolve(policy));
  return policy;
}
