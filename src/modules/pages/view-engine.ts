import { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { usDate, usDateNumeric, usDateTime } from '../../common/dates';
import { AppConfig } from '../../config/app-config';
import {
  ATTENDANCE_LABELS,
  fieldId,
  labelOr,
  eventLabel,
  NOTICE_STATUS_LABELS,
  RECIPIENT_LABELS,
  REFERRAL_STATUS_LABELS,
  STANDING_LABELS,
  weekdayName,
  VICTIM_NOTIFICATION_STATUS_LABELS,
  CONTACT_CHANNEL_LABELS,
  HEARING_OUTCOME_LABELS,
  RESPONSE_AGENCY_LABELS,
  RESPONSE_KIND_LABELS,
} from './page-format';
import { languageLabel } from './languages';

/** The folder holding package.json, whether we run from src/ (ts-node, jest) or dist/src/. */
export function projectRoot(from = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${from}`);
    folder = parent;
  }
  return folder;
}

export const PAGE_VIEWS_DIR = join(projectRoot(), 'templates', 'pages');

/**
 * Server-rendered pages: Handlebars views from templates/pages (layout.hbs wraps each one),
 * partials from templates/pages/partials, and the stylesheet and script from /assets.
 */
export function configurePageViews(app: NestExpressApplication): void {
  const engine = hbs.create();
  registerHelpers(engine, app.get(AppConfig).programTimeZone);
  const partials = join(PAGE_VIEWS_DIR, 'partials');
  // Registered synchronously: hbs.registerPartials reads the folder later, racing the first render.
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    engine.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  app.engine('hbs', engine.__express);
  app.setViewEngine('hbs');
  app.setBaseViewsDir(PAGE_VIEWS_DIR);
  app.useStaticAssets(join(PAGE_VIEWS_DIR, 'assets'), { prefix: '/assets/', index: false, maxAge: '1h', redirect: false });
}

function registerHelpers(engine: ReturnType<typeof hbs.create>, timeZone: string): void {
  // Dates: the one US formatter (src/common/dates.ts) — prose, tables (numeric), instants, with a weekday for sessions.
  engine.registerHelper('instant', (value: Date | string | null) => usDateTime(value, timeZone));
  engine.registerHelper('tableDate', (value: Date | string | null) => usDateNumeric(value, { timeZone }));
  engine.registerHelper('dayDate', (value: string | null) => usDate(value, { timeZone, weekday: true }));
  engine.registerHelper('eq', (left: unknown, right: unknown) => left === right);
  engine.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  engine.registerHelper('gt', (left: unknown, right: unknown) => Number(left) > Number(right));
  engine.registerHelper('victimNotificationStatus', (value: string) => VICTIM_NOTIFICATION_STATUS_LABELS[value] ?? value);
  engine.registerHelper('contactChannel', (value: string) => CONTACT_CHANNEL_LABELS[value] ?? value);
  engine.registerHelper('date', (value: string | Date | null | undefined) => usDate(value, { timeZone }));
  engine.registerHelper('language', (value: string | null | undefined) => languageLabel(value));
  // A session's unit as its group hears it: a Spanish group's facilitator reads the Spanish titles.
  engine.registerHelper(
    'unitWords',
    (unit: { theme: string; title: string; inGroupLanguage?: { theme: string; title: string } } | null | undefined) => {
      if (!unit) return '';
      const words = unit.inGroupLanguage ?? unit;
      return `${words.theme}: ${words.title}`;
    },
  );
  engine.registerHelper('weekday', (value: number) => weekdayName(value));
  engine.registerHelper('referralStatus', (value: string) => labelOr(REFERRAL_STATUS_LABELS, value));
  engine.registerHelper('attendance', (value: string) => labelOr(ATTENDANCE_LABELS, value));
  engine.registerHelper('standing', (value: string) => STANDING_LABELS[value] ?? value);
  // {{eventKind kind key}}: the key tells the unexcused absence limit from the total one.
  engine.registerHelper('eventKind', (value: string, ...rest: unknown[]) =>
    eventLabel(value, typeof rest[0] === 'string' ? rest[0] : null),
  );
  engine.registerHelper('noticeStatus', (value: string) => labelOr(NOTICE_STATUS_LABELS, value));
  engine.registerHelper('recipient', (value: string) => labelOr(RECIPIENT_LABELS, value));
  engine.registerHelper('responseKind', (value: string) => labelOr(RESPONSE_KIND_LABELS, value));
  engine.registerHelper('hearingOutcome', (value: string) => labelOr(HEARING_OUTCOME_LABELS, value));
  engine.registerHelper('responseAgency', (value: string) => labelOr(RESPONSE_AGENCY_LABELS, value));
  // A template may pass a number or nothing: the id is made from its text, as it always was.
  engine.registerHelper('fieldId', (name: unknown) => fieldId(String(name)));
  engine.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
}
