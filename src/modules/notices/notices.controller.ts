import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { Response } from 'express';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/context/request-context';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../users/role.enum';
import { NoticeStatus } from './notice-status.enum';
import { NoticeView } from './notice.view';
import { NoticeSummary, NoticesService } from './notices.service';

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

const READERS = [Role.Admin, Role.ProbationOfficer, Role.CourtClerk];

@ApiTags('notices')
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

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

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<NoticeView> {
    return this.notices.get(user, id);
  }

  @Get(':id/letter.pdf')
  @Roles(...READERS)
  async letter(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<StreamableFile> {
    const pdf = await this.notices.letter(user, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="notice-${id}.pdf"` });
  }

  /** The e-mail as the recipient sees it; nothing in it may run (strict CSP). */
  @Get(':id/preview')
  @Roles(...READERS)
  async preview(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser, @Res({ passthrough: true }) res: Response): Promise<string> {
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
