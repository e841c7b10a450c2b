import { PROGRAM_LANGUAGES } from '../participants/program-languages';

/**
 * The languages a group is held in and a man may prefer: one list for the group form, intake and
 * the referral page, so a man's language can be matched to a group's.
 */
export const LANGUAGES: ReadonlyArray<{ value: string; label: string }> = PROGRAM_LANGUAGES.map((language) => ({
  value: language.code,
  label: language.label,
}));

/** A language tag as a word; a tag from before the list (typed in by hand) is shown as it is. */
export function languageLabel(tag: string | null | undefined): string {
  if (!tag) return '—';
  return LANGUAGES.find((language) => language.value === tag)?.label ?? tag;
}
