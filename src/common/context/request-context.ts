import { AsyncLocalStorage } from 'node:async_hooks';
import { Role } from '../auth/role.enum';
import { SignedInUser } from '../auth/signed-in-user';

/** Who is asking and from where, for the audit log; set per request by middleware. */
export interface RequestContextState {
  requestId: string;
  ipAddress: string | null;
  user?: SignedInUser;
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
};
