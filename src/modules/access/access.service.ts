import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { RequestContext } from '../../common/context/request-context';
import { NotFoundError } from '../../common/errors/domain-error';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AccessAliases, guardedAlias, PERMISSIONS, Permission, ruleFor, scopeSql } from './permissions';

export interface AccessOptions {
  /** The caller's transaction, when the check belongs to one. */
  manager?: EntityManager;
  /** Lock the records checked (FOR UPDATE), for a change that follows. */
  lock?: boolean;
}

/**
 * The one place that says which records a signed-in user may touch (permissions.ts). A record
 * outside the user's reach is "not found", never "forbidden".
 */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The ids the user may touch, checked in one statement however many are asked; if any of them
   * is out of reach, the whole request is the record's 404.
   */
  async requireAccess(user: SignedInUser, permission: Permission, ids: string[], options: AccessOptions = {}): Promise<string[]> {
    const asked = new Set(ids);
    const allowed = await this.allowedIds(user, permission, ids, options);
    if (allowed.length !== asked.size) throw new NotFoundError(PERMISSIONS[permission].notFound);
    return allowed;
  }

  /** Of these ids, those the user may touch (one statement; none asked, none sent). */
  async allowedIds(user: SignedInUser, permission: Permission, ids: string[], options: AccessOptions = {}): Promise<string[]> {
    const asked = [...new Set(ids)];
    if (asked.length === 0 || !ruleFor(user, permission)) return [];
    // Outside a transaction the same question in one request (a page built from several services,
    // each checking the referral) is asked of the database once; a check that locks, or belongs
    // to a change, is always asked.
    if (options.manager || options.lock) return this.askAllowedIds(user, permission, asked, options);
    const key = `access ${user.id} ${user.role} ${user.agencyId} ${permission} ${[...asked].sort().join(',')}`;
    return [...(await RequestContext.remember(key, () => this.askAllowedIds(user, permission, asked, options)))];
  }

  private async askAllowedIds(user: SignedInUser, permission: Permission, asked: string[], options: AccessOptions): Promise<string[]> {
    const rows = await this.checkedRows<{ id: string }>(user, permission, [], (id, bind) => `${id} = ANY(${bind(asked)}::uuid[])`, options);
    return rows.map((row) => row.id);
  }

  /**
   * The one statement every check by id sends: the guarded records whose id meets `which`, within
   * the user's scope, with `columns` beside the id, in id order (locks taken in one order), locked
   * when asked.
   */
  private checkedRows<R extends { id: string }>(
    user: SignedInUser,
    permission: Permission,
    columns: string[],
    which: (id: string, bind: (value: unknown) => string) => string,
    options: AccessOptions,
  ): Promise<R[]> {
    const rules = PERMISSIONS[permission];
    const params = new SqlParams();
    const alias = guardedAlias(permission);
    const sql = `SELECT ${[`${alias}.id`, ...columns.map((column) => `${alias}.${column}`)].join(', ')} FROM ${rules.from}
        WHERE ${which(`${alias}.id`, params.bind)} AND ${scopeSql(user, permission, rules.aliases, params.bind)}
        ORDER BY ${alias}.id${options.lock ? ` FOR UPDATE OF ${alias}` : ''}`;
    // A check outside a change is the pages' first statement, by primary key whatever the ids:
    // prepared, so each connection plans it once (a change's check goes through its transaction).
    if (!options.manager && !options.lock) return queryPrepared<R>(this.dataSource, sql, params.values);
    return (options.manager ?? this.dataSource.manager).query<R[]>(sql, params.values);
  }

  /**
   * One record the user may touch, read with its entity in the statement that checks it (no round
   * trip more than the read itself); otherwise the record's 404.
   */
  async requireRecord<T extends ObjectLiteral>(
    user: SignedInUser,
    permission: Permission,
    entity: EntityTarget<T>,
    id: string,
    options: AccessOptions = {},
  ): Promise<T> {
    const rules = PERMISSIONS[permission];
    if (!ruleFor(user, permission)) throw new NotFoundError(rules.notFound);
    const alias = guardedAlias(permission);
    const named: Record<string, unknown> = {};
    const bind = (value: unknown): string => {
      const name = `access${Object.keys(named).length}`;
      named[name] = value;
      return `:${name}`;
    };
    const query = (options.manager ?? this.dataSource.manager)
      .createQueryBuilder(entity, alias)
      .where(`${alias}.id = :accessId`, { accessId: id })
      .andWhere(this.scopeSql(user, permission, alias, bind), named);
    if (options.lock) query.setLock('pessimistic_write', undefined, [alias]);
    const record = await query.getOne();
    if (!record) throw new NotFoundError(rules.notFound);
    return record;
  }

  /**
   * Columns of one record the user may touch (`columns` maps each field to its column), read in the
   * statement that checks it; otherwise the record's 404. For a feature below the record's module,
   * which reads what it needs of the row without its entity (the fees ledger, of its referral).
   */
  async requireColumns<T extends { id: string }>(
    user: SignedInUser,
    permission: Permission,
    id: string,
    columns: { [K in Exclude<keyof T, 'id'>]: string },
    options: AccessOptions = {},
  ): Promise<T> {
    const rules = PERMISSIONS[permission];
    if (!ruleFor(user, permission)) throw new NotFoundError(rules.notFound);
    const selected = Object.entries<string>(columns).map(([field, column]) => `${column} AS "${field}"`);
    const rows = await this.checkedRows<T>(user, permission, selected, (recordId, bind) => `${recordId} = ${bind(id)}`, options);
    const record = rows.at(0);
    if (!record) throw new NotFoundError(rules.notFound);
    return record;
  }

  /** The permission as a condition for a list's (or a read's own) WHERE; see permissions.ts. */
  scopeSql(user: SignedInUser, permission: Permission, alias: string | AccessAliases, bind: (value: unknown) => string): string {
    return scopeSql(user, permission, alias, bind);
  }
}
