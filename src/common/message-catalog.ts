import i18next, { i18n, TFunction } from 'i18next';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from './templates-dir';

/** The languages a participant's messages are written in; anything else falls back to English. */
export const MESSAGE_LANGUAGES = ['en', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export function messageLanguage(language: string | null | undefined): MessageLanguage {
  return (MESSAGE_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as MessageLanguage) : 'en';
}

let catalog: i18n | null = null;

/**
 * The words of every message to a participant, from templates/messages/<language>.json. Keys are
 * flat ("missed.body") and the curriculum's titles are keys of their own, so neither separator is
 * used; a title with no translation is shown as it is. It lives in common because both the
 * curriculum (a unit's title in the group's language) and the participant messages read it.
 */
export function messageCatalog(): i18n {
  if (catalog) return catalog;
  const resources = Object.fromEntries(
    MESSAGE_LANGUAGES.map((language) => [
      language,
      JSON.parse(readFileSync(join(templatesDir(), 'messages', `${language}.json`), 'utf8')) as Record<string, Record<string, string>>,
    ]),
  );
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    ns: ['messages', 'curriculum'],
    defaultNS: 'messages',
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    // Plain text mails: nothing is HTML-escaped (O'Brien stays O'Brien).
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  catalog = instance;
  return instance;
}

export function translator(language: MessageLanguage): TFunction {
  return messageCatalog().getFixedT(language);
}
