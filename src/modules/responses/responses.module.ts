import { Module } from '@nestjs/common';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

/** What the court and probation did about each event: the other half of the notice. */
@Module({ controllers: [ResponsesController], providers: [ResponsesService], exports: [ResponsesService] })
export class ResponsesModule {}
