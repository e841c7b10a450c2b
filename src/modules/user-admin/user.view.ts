import { User } from '../users/user.entity';

/** What the API shows of a user: never the hash or token version. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: User['role'];
  agencyId: string;
  active: boolean;
  createdAt: Date;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    agencyId: user.agencyId,
    active: user.active,
    createdAt: user.createdAt,
  };
}
