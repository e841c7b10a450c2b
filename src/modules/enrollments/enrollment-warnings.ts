import { languageName } from '../participants/program-languages';

/** Something the admin should know before placing him; never a refusal. */
export interface EnrollmentWarning {
  code: 'language_mismatch';
  message: string;
}

/**
 * A man placed in a group held in a language other than his own may sit through the program
 * without following it; the admin is told, and decides (an interpreter, a later Spanish group).
 * Pure.
 */
export function enrollmentWarnings(
  participant: { firstName: string; language: string | null },
  group: { language: string },
): EnrollmentWarning[] {
  if (!participant.language || participant.language === group.language) return [];
  return [
    {
      code: 'language_mismatch',
      message: `${participant.firstName}’s language is ${languageName(participant.language)}; the group meets in ${languageName(group.language)}`,
    },
  ];
}
