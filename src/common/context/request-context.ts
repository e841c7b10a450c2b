import { AsyncLocalStorage } from 'node:async_hooks';
import { Role } from '../auth/role.enum';
import { SignedInUser } from '../auth/signed-in-user';

/** Who is asking and from where, for the audit log; set per request by middleware. */
export interface RequestContextState {
  requestId: string;
  ipAddress: string | null;
  user?: SignedInUser;
  /** Answers already read for this request (see `RequestContext.remember`). */
  remembered?: Map<string, Promise<unknown>>;
}

/**
 * The worker reading on nobody's behalf (e.g. the progress report sent on the policy's cadence).
 * Its reads are audited with no actor, which is how system work shows in the log.
 */
export const SYSTEM_READER: SignedInUser = {
  id: '00000000-0000-0000-0000-000000000000',
  role: Role.Admin,
  agencyId: '00000000-0000-0000-0000-000000000000',
  email: 'system@throughline.local',
  name: 'Throughline',
};

const storage = new AsyncLocalStorage<RequestContextState>();

export const RequestContext = {
  run<T>(state: RequestContextState, work: () => T): T {
    return storage.run(state, work);
  },
  current(): RequestContextState | undefined {
    return storage.getStore();
  },
  setUser(user: SignedInUser): void {
    const state = storage.getStore();
    if (state) state.user = user;
  },
  /**
   * The answer `read` gave earlier in this request under the same key, else `read`'s (shared by
   * calls made meanwhile). A page that asks one question of several services (may he read this
   * referral?) sends it once. Outside a request it is just `read`. Only for reads whose answer
   * cannot change within one request's lifetime in a way that matters to it, and never inside a
   * transaction that writes (whose reads must see its own changes). A failed read is forgotten.
   */
  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const state = storage.getStore();
    if (!state) return read();
    state.remembered ??= new Map();
    const known = state.remembered.get(key) as Promise<T> | undefined;
    if (known) return known;
    const answer = read();
    state.remembered.set(key, answer);
    answer.catch(() => state.remembered?.delete(key));
    return answer;
  },
};
