/** The languages a program's groups are commonly held in, by the codes intake records. */
const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  so: 'Somali',
  hmn: 'Hmong',
  vi: 'Vietnamese',
  zh: 'Chinese',
  ar: 'Arabic',
  ru: 'Russian',
  fr: 'French',
  pt: 'Portuguese',
  ko: 'Korean',
  tl: 'Tagalog',
  oj: 'Ojibwe',
};

/** "es" → "Spanish"; a code we do not know is shown as recorded. */
export function languageLabel(code: string): string {
  return LANGUAGE_NAMES[code.toLowerCase()] ?? code;
}
