import { AsyncLocalStorage } from 'node:async_hooks';
import { Role } from '../../modules/users/role.enum';

export interface SignedInUser {
  id: string;
  role: Role;
  agencyId: string;
  email: string;
  name: string;
}

/** Who is asking and from where, for the audit log; set per request by middleware. */
export interface RequestContextState {
  requestId: string;
  ipAddress: string | null;
  user?: SignedInUser;
}

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
