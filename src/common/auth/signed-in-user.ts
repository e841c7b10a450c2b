import { Role } from './role.enum';

export interface SignedInUser {
  id: string;
  role: Role;
  agencyId: string;
  email: string;
  name: string;
  /** The server-side sign-in session the request came with (absent for system work). */
  sessionId?: string;
}
