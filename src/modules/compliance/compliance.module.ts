import { Module } from '@nestjs/common';
import { CaseloadService } from './caseload.service';
import { ComplianceController } from './compliance.controller';

@Module({ controllers: [ComplianceController], providers: [CaseloadService], exports: [CaseloadService] })
export class ComplianceModule {}
