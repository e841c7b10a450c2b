import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maybeOne, rows } from '../../common/database/sql';
import { Role } from '../../common/auth/role.enum';
import { AuthSessionEnd, AuthSessionKind } from './auth-session.entity';

/** The signed-in user and the state of his session, as a token is checked. */
export interface SessionRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  agency_id: string;
  token_version: number;
  active: boolean;
  ended_at: Date | null;
  kind: AuthSessionKind;
  idle: boolean;
  too_old: boolean;
  touch: boolean;
  valid_for_ms: number;
}

/** The server-side sessions' statements (the limits are the caller's, in seconds). */
@Injectable()
export class AuthSessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the session is his, open, not idle past `idleSeconds` and not older than `maxSeconds`. */
  async isLive(sessionId: string, userId: string, idleSeconds: number, maxSeconds: number): Promise<boolean> {
    const live = await rows<{ '?column?': number }>(
      this.dataSource,
      `SELECT 1 FROM auth_sessions
        WHERE id = $1 AND user_id = $2 AND ended_at IS NULL
          AND last_seen_at > now() - make_interval(secs => $3) AND started_at > now() - make_interval(secs => $4)`,
      [sessionId, userId, idleSeconds, maxSeconds],
    );
    return live.length > 0;
  }

  sessionOf(
    userId: string,
    sessionId: string,
    idleSeconds: number,
    maxSeconds: number,
    touchAfterSeconds: number,
  ): Promise<SessionRow | null> {
    return maybeOne<SessionRow>(
      this.dataSource,
      `SELECT u.id, u.email, u.name, u.role, u.agency_id, u.token_version, u.active, s.ended_at, s.kind,
              s.last_seen_at <= now() - make_interval(secs => $3) AS idle,
              s.started_at <= now() - make_interval(secs => $4) AS too_old,
              s.last_seen_at <= now() - make_interval(secs => $5) AS touch,
              -- How long it stays good without a request: the cache never outlives it.
              (extract(epoch FROM LEAST(CASE WHEN s.last_seen_at <= now() - make_interval(secs => $5) THEN now() ELSE s.last_seen_at END + make_interval(secs => $3),
                                        s.started_at + make_interval(secs => $4)) - now()) * 1000)::float8 AS valid_for_ms
         FROM users u JOIN auth_sessions s ON s.user_id = u.id AND s.id = $2
        WHERE u.id = $1`,
      [userId, sessionId, idleSeconds, maxSeconds, touchAfterSeconds],
    );
  }

  async touch(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1`, [sessionId]);
  }

  /** Ends one session (`id`) or every open one of a user (`user_id`); already ended ones keep their reason. */
  async end(manager: EntityManager, column: 'id' | 'user_id', value: string, reason: AuthSessionEnd): Promise<void> {
    await manager.query(`UPDATE auth_sessions SET ended_at = now(), end_reason = $2 WHERE ${column} = $1 AND ended_at IS NULL`, [
      value,
      reason,
    ]);
  }
}
