import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { inlinePdf } from '../notices/pdf-file-names';
import { Role } from '../../common/auth/role.enum';
import { FeeEntryView } from './fee-ledger.repository';
import { IncomeBracketDto, RecordAdjustmentDto, RecordPaymentDto, RecordWaiverDto } from './fee-entry.dto';
import { FeeLedgerView, FeesService } from './fees.service';
import { FeeReceiptService } from './fee-receipt.service';

/**
 * The fees ledger. The program records; his probation officer reads (his caseload). The court
 * learns the outcome from completion or termination and reads no money; facilitators,
 * advocates and the coordinator have no part in it.
 */
@ApiTags('fees')
@Controller('api/v1/referrals/:id/fees')
export class FeesController {
  constructor(
    private readonly fees: FeesService,
    private readonly receipts: FeeReceiptService,
  ) {}

  @Get()
  @Roles(Role.Admin, Role.ProbationOfficer)
  @ApiOperation({ summary: 'The ledger and the balance' })
  ledger(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<FeeLedgerView> {
    return this.fees.ledger(user, id);
  }

  @Post('payments')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Record a payment; it gets the next receipt number' })
  payment(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RecordPaymentDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<FeeEntryView> {
    return this.fees.recordPayment(user, id, body);
  }

  @Post('adjustments')
  @Roles(Role.Admin)
  adjustment(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RecordAdjustmentDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<FeeEntryView> {
    return this.fees.recordAdjustment(user, id, body);
  }

  @Post('waivers')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Waive an amount, or the whole remaining balance when no amount is given' })
  waiver(@Param('id', ParseUUIDPipe) id: string, @Body() body: RecordWaiverDto, @CurrentUser() user: SignedInUser): Promise<FeeEntryView> {
    return this.fees.recordWaiver(user, id, body);
  }

  @Put('income-bracket')
  @Roles(Role.Admin)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record his income bracket: it sets the per-session fee of later charges' })
  incomeBracket(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: IncomeBracketDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<FeeLedgerView> {
    return this.fees.setIncomeBracket(user, id, body);
  }

  @Get('payments/:paymentId/receipt.pdf')
  @Roles(Role.Admin, Role.ProbationOfficer)
  @ApiProduces('application/pdf')
  async receipt(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('paymentId', ParseUUIDPipe) paymentId: string,
    @CurrentUser() user: SignedInUser,
  ): Promise<StreamableFile> {
    const { pdf, fileName } = await this.receipts.render(user, id, paymentId);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: inlinePdf(fileName) });
  }
}
