import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { ParticipantMessagesService } from './participant-messages.service';

export class MessagePreferenceDto {
  @ApiProperty({ description: 'He asked the program to send him no reminders or letters' })
  @IsBoolean({ message: 'optOut must be true or false' })
  optOut: boolean;
}

/** The program office's view of what the man has been sent, and his choice to get none. */
@ApiTags('participant messages')
@Controller('api/v1/referrals/:id/participant-messages')
@Roles(Role.Admin)
export class ParticipantMessagesController {
  constructor(private readonly messages: ParticipantMessagesService) {}

  @Get()
  list(@Param('id', ParseUUIDPipe) referralId: string) {
    return this.messages.list(referralId);
  }

  @Put('preference')
  setPreference(@Param('id', ParseUUIDPipe) referralId: string, @Body() body: MessagePreferenceDto, @CurrentUser() user: SignedInUser) {
    return this.messages.setOptOut(user, referralId, body.optOut);
  }
}
