import { DULUTH_CURRICULUM } from '../../database/seeds/duluth-curriculum';
import { unitInLanguage } from './unit-titles';

describe('curriculum units in the group’s language', () => {
  it('every theme and title of the Duluth curriculum has its Spanish words (a unit added without them fails here)', () => {
    const untranslated = DULUTH_CURRICULUM.themes.flatMap(({ theme, titles }) =>
      titles.filter((title) => {
        const words = unitInLanguage({ theme, title }, 'es')!;
        return words.theme === theme || words.title === title;
      }),
    );
    expect(untranslated).toEqual([]);
  });

  it('says a unit in Spanish for a Spanish group', () => {
    expect(unitInLanguage({ theme: 'Non-violence', title: 'Time-outs and self-talk' }, 'es')).toEqual({
      language: 'es',
      theme: 'No violencia',
      title: 'Tiempos fuera y diálogo interno',
    });
  });

  it('leaves English, and languages without a catalog, to the words as written', () => {
    expect(unitInLanguage({ theme: 'Non-violence', title: 'Time-outs and self-talk' }, 'en')).toBeNull();
    expect(unitInLanguage({ theme: 'Non-violence', title: 'Time-outs and self-talk' }, 'so')).toBeNull();
    expect(unitInLanguage({ theme: 'Non-violence', title: 'Time-outs and self-talk' }, null)).toBeNull();
  });

  it('shows a unit that has no translation as it is written', () => {
    expect(unitInLanguage({ theme: 'Local theme', title: 'A unit added here' }, 'es')).toEqual({
      language: 'es',
      theme: 'Local theme',
      title: 'A unit added here',
    });
  });
});
