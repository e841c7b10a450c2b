import { Module } from '@nestjs/common';
import { AccountabilityController } from './accountability.controller';
import { AccountabilityExportService } from './accountability-export.service';
import { AccountabilityService } from './accountability.service';

/** The community's response in figures: built on events, notices, acknowledgements and responses; read only. */
@Module({
  controllers: [AccountabilityController],
  providers: [AccountabilityService, AccountabilityExportService],
  exports: [AccountabilityService, AccountabilityExportService],
})
export class AccountabilityModule {}
