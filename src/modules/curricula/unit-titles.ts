import { messageLanguage, translator } from '../../common/message-catalog';

export interface UnitWords {
  language: string;
  theme: string;
  title: string;
}

/**
 * A curriculum unit's theme and title in a language, from the translations beside the messages
 * (templates/messages/<language>.json, namespace `curriculum`, keyed by the unit's English words, so
 * a unit added without a translation is shown as written). English, or a language without a
 * catalog, is null: the unit's own words are the ones to show. The reminders to a man and the pages
 * of a Spanish group say the unit the same way.
 */
export function unitInLanguage(unit: { theme: string; title: string }, language: string | null | undefined): UnitWords | null {
  const catalog = messageLanguage(language);
  if (catalog === 'en' || catalog !== language) return null;
  const t = translator(catalog);
  return {
    language: catalog,
    theme: t(unit.theme, { ns: 'curriculum', defaultValue: unit.theme }),
    title: t(unit.title, { ns: 'curriculum', defaultValue: unit.title }),
  };
}
