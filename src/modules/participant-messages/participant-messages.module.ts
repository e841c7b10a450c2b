import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { ParticipantMessagesController } from './participant-messages.controller';
import { ParticipantMessagesRepository } from './participant-messages.repository';
import { ParticipantMessagesService } from './participant-messages.service';

/** Messages to the men themselves, through the mail outbox. */
@Module({
  imports: [MailModule],
  controllers: [ParticipantMessagesController],
  providers: [ParticipantMessagesService, ParticipantMessagesRepository],
  exports: [ParticipantMessagesService],
})
export class ParticipantMessagesModule {}
