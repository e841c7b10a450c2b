import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ProgramClock } from '../../config/program-clock';
import { templatesDir } from '../../common/templates-dir';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AppConfig } from '../../config/app-config';
import { buildNoticeContent, NOTICE_CONTENT_QUERY, NoticeContent, NoticeContentRow } from './notice-content';
import { NoticeLetters } from './notice-letters.service';

export interface RenderedNotice {
  content: NoticeContent;
  html: string;
  text: string;
  pdf: Buffer;
}

/** "Decide and render": turns a notice row into its e-mail (HTML + text) and PDF letter. */
@Injectable()
export class NoticeRenderer {
  private templates: { html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: ProgramClock,
    private readonly letters: NoticeLetters,
  ) {}

  async render(noticeId: string): Promise<RenderedNotice | null> {
    const row = await this.read(noticeId);
    return row ? this.draw(row) : null;
  }

  /**
   * The notice's content and where its delivery stands. A named prepared statement: it joins eight
   * tables by the notice's id, and planning it every time cost more than running it.
   */
  async read(noticeId: string): Promise<NoticeContentRow | null> {
    return (await queryPrepared<NoticeContentRow>(this.dataSource, NOTICE_CONTENT_QUERY, [noticeId])).at(0) ?? null;
  }

  async draw(row: NoticeContentRow): Promise<RenderedNotice> {
    const content = buildNoticeContent(row, this.config.publicUrl, this.clock.today(), this.config.programTimeZone);
    const templates = this.compiled();
    return { content, html: templates.html(content), text: templates.text(content), pdf: await this.letters.draw(content) };
  }

  private compiled() {
    if (!this.templates) {
      // The text/plain part is not HTML: escaping it would show O'Brien as O&#x27;Brien.
      const load = (name: string, noEscape: boolean) =>
        Handlebars.compile(readFileSync(join(templatesDir(), 'notices', name), 'utf8'), { strict: false, noEscape });
      this.templates = { html: load('notice.html.hbs', false), text: load('notice.text.hbs', true) };
    }
    return this.templates;
  }
}
