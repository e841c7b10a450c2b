import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { NoticeStatus } from './notice-status.enum';
import { inlinePdf } from './pdf-file-names';
import { NoticeView } from './notice.view';
import { NoticeSummary, NoticesService } from './notices.service';
import { AcknowledgeNoticesDto, InboxLookupDto, InboxQuery } from './notice-inbox.dto';
import { InboxPage, NoticeInboxService } from './notice-inbox.service';

class ListNoticesQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: NoticeStatus })
  @IsOptional()
  @IsEnum(NoticeStatus, { message: `status must be one of: ${Object.values(NoticeStatus).join(', ')}` })
  status?: NoticeStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId?: string;
}

const READERS = [Role.Admin, Role.ProbationOfficer, Role.CourtClerk, Role.Coordinator];
const RECIPIENTS = [Role.ProbationOfficer, Role.CourtClerk];

@ApiTags('notices')
@Controller('api/v1/notices')
export class NoticesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly inboxes: NoticeInboxService,
  ) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListNoticesQuery, @CurrentUser() user: SignedInUser): Promise<Page<NoticeView>> {
    return this.notices.list(user, query);
  }

  /** Counts by status, the oldest undelivered notice's age, overdue, dead and unknown. */
  @Get('summary')
  @Roles(Role.Admin)
  summary(): Promise<NoticeSummary> {
    return this.notices.summary();
  }

  /** The recipient's unacknowledged notices, newest first (the probation officer's own, the clerk's court's). */
  @Get('inbox')
  @Roles(...RECIPIENTS)
  inbox(@Query() query: InboxQuery, @CurrentUser() user: SignedInUser): Promise<InboxPage> {
    return this.inboxes.inbox(user, query);
  }

  @Post('inbox/lookup')
  @Roles(...RECIPIENTS)
  @HttpCode(200)
  @ApiOperation({ summary: 'GET /api/v1/notices/inbox narrowed to one case number, which travels in the body, never in the address' })
  inboxLookup(@Body() body: InboxLookupDto, @CurrentUser() user: SignedInUser): Promise<InboxPage> {
    return this.inboxes.inbox(user, body);
  }

  /** Acknowledges many of the caller's notices at once: all of them or none (404 if any is not his). */
  @Post('acknowledge')
  @Roles(...RECIPIENTS)
  @HttpCode(200)
  acknowledgeMany(@Body() body: AcknowledgeNoticesDto, @CurrentUser() user: SignedInUser): Promise<{ acknowledged: string[] }> {
    return this.inboxes.acknowledgeMany(user, body.ids);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<NoticeView> {
    return this.notices.get(user, id);
  }

  @Get(':id/letter.pdf')
  @Roles(...READERS)
  async letter(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<StreamableFile> {
    const { pdf, fileName } = await this.notices.letter(user, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: inlinePdf(fileName) });
  }

  /** The e-mail as the recipient sees it; nothing in it may run (strict CSP). */
  @Get(':id/preview')
  @Roles(...READERS)
  async preview(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: SignedInUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const html = await this.notices.preview(user, id);
    res.type('text/html').setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return html;
  }

  @Post(':id/acknowledge')
  @Roles(Role.ProbationOfficer, Role.CourtClerk)
  @HttpCode(200)
  acknowledge(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<NoticeView> {
    return this.notices.acknowledge(user, id);
  }

  @Post(':id/retry')
  @Roles(Role.Admin)
  @HttpCode(200)
  retry(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<NoticeView> {
    return this.notices.retry(user, id);
  }
}
