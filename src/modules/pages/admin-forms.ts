import { OmitType } from '@nestjs/swagger';
import { CreateUserDto } from '../user-admin/create-user.dto';

/** The invitation form: the API's own fields and checks for a new user, without a password (he sets his own). */
export class InviteUserForm extends OmitType(CreateUserDto, ['password'] as const) {}
