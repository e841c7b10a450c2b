import { SignedInUser } from '../../common/auth/signed-in-user';

/** Which sessions a revocation ends: one (logout), or every one of a user (password, deactivation, factor reset). */
export type SessionRevocation = { sessionId: string } | { userId: string };

interface Entry {
  user: SignedInUser;
  until: number;
}

/**
 * The sessions this process has checked against the database in the last few seconds, so a burst
 * of requests costs one session check, not one each. It is trusted only while `live` — while the
 * process hears every revocation (SessionRevocations) — and a revocation heard, or the channel
 * lost, also bumps the generation: a check that was already under way when it came (and may have
 * read the session before it ended) is not cached.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private live = false;

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get enabled(): boolean {
    return this.live && this.maxAgeMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A copy of the cached user, or null: not cached, expired, or the cache is not to be trusted now. */
  get(key: string): SignedInUser | null {
    if (!this.enabled) return null;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return { ...entry.user };
  }

  /** Taken before the database check; `put` with it caches nothing if anything was revoked meanwhile. */
  checkpoint(): number {
    return this.generation;
  }

  /** Caches a session just found valid, for the cache's age at most and never past `validForMs`. */
  put(key: string, user: SignedInUser, checkpoint: number, validForMs: number): void {
    // Whatever was cached under this key is older than the check just made.
    this.entries.delete(key);
    if (!this.enabled || checkpoint !== this.generation) return;
    const ttl = Math.min(this.maxAgeMs, validForMs);
    if (!(ttl > 0)) return;
    if (this.entries.size >= this.maxEntries) this.prune();
    if (this.entries.size >= this.maxEntries) return;
    this.entries.set(key, { user: { ...user }, until: this.now() + ttl });
  }

  revoke(which: SessionRevocation): void {
    this.generation += 1;
    for (const [key, entry] of this.entries) {
      if ('sessionId' in which ? entry.user.sessionId === which.sessionId : entry.user.id === which.userId) this.entries.delete(key);
    }
  }

  /** Subscribed again: whatever was cached before may have missed a revocation, so it goes. */
  open(): void {
    this.flush();
    this.live = true;
  }

  /** The channel is down: nothing is cached or served from the cache until it is back. */
  close(): void {
    this.live = false;
    this.flush();
  }

  private flush(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}
