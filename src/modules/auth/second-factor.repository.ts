import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { changes, maybeOne, one, rows, SqlRunner } from '../../common/database/sql';

export interface FactorStatusRow {
  confirmed_at: Date;
  left: number;
}

/** The second factor's hand-written statements, in the caller's transaction or on the data source. */
@Injectable()
export class SecondFactorRepository {
  async isEnrolled(runner: SqlRunner, userId: string): Promise<boolean> {
    const found = await rows<{ '?column?': number }>(
      runner,
      `SELECT 1 FROM second_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`,
      [userId],
    );
    return found.length > 0;
  }

  /** His confirmed factor and how many recovery codes are left; null without one. */
  confirmed(runner: SqlRunner, userId: string): Promise<FactorStatusRow | null> {
    return maybeOne<FactorStatusRow>(
      runner,
      `SELECT f.confirmed_at, (SELECT count(*)::int FROM recovery_codes c WHERE c.user_id = f.user_id AND c.used_at IS NULL) AS left
         FROM second_factors f WHERE f.user_id = $1 AND f.confirmed_at IS NOT NULL`,
      [userId],
    );
  }

  /** Spends the recovery code with this hash if it is still unused; whether one was. */
  async spendRecoveryCode(manager: EntityManager, userId: string, codeHash: string): Promise<boolean> {
    const spent = await changes<{ id: string }>(
      manager,
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [userId, codeHash],
    );
    return spent.rows.length > 0;
  }

  /** The factor and its recovery codes are gone; whether there was a factor. */
  async remove(manager: EntityManager, userId: string): Promise<boolean> {
    const { count } = await changes(manager, `DELETE FROM second_factors WHERE user_id = $1 RETURNING user_id`, [userId]);
    await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    return count > 0;
  }

  async codesLeft(manager: EntityManager, userId: string): Promise<number> {
    const row = await one<{ left: number }>(
      manager,
      `SELECT count(*)::int AS left FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return row.left;
  }
}
