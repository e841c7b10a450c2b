import { Agency } from '../modules/agencies/agency.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { User } from '../modules/users/user.entity';

/** Every entity, listed once so the app, the CLI and the drift check see the same schema. */
export const ENTITIES = [Agency, User, AuditEntry];
