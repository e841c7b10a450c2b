/**
 * The languages a man may prefer at intake and a group may be held in: one list, so that a man's
 * language can be matched to a group's at enrollment. English and Spanish are the languages every
 * message to him is written in; the others are languages programs hold groups in (and a man who
 * prefers one of them is written to in English until his messages are translated).
 */
export const PROGRAM_LANGUAGES: ReadonlyArray<{ code: string; name: string; label: string }> = [
  { code: 'en', name: 'English', label: 'English' },
  { code: 'es', name: 'Spanish', label: 'Spanish (español)' },
  { code: 'so', name: 'Somali', label: 'Somali (Soomaali)' },
  { code: 'hmn', name: 'Hmong', label: 'Hmong (Hmoob)' },
  { code: 'vi', name: 'Vietnamese', label: 'Vietnamese (Tiếng Việt)' },
  { code: 'ar', name: 'Arabic', label: 'Arabic (العربية)' },
  { code: 'oj', name: 'Ojibwe', label: 'Ojibwe (Anishinaabemowin)' },
];

export const PROGRAM_LANGUAGE_CODES: readonly string[] = PROGRAM_LANGUAGES.map((language) => language.code);

/** The field-level message for a language outside the list, named by the field's path. */
export const languageChoiceMessage = (field: string) => `${field} must be one of: ${PROGRAM_LANGUAGE_CODES.join(', ')}`;

/** "es" → "Spanish", for sentences; a code from before the list is said as it was recorded. */
export function languageName(code: string | null | undefined): string {
  if (!code) return 'not known';
  return PROGRAM_LANGUAGES.find((language) => language.code === code)?.name ?? code;
}
