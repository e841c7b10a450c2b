import { neutraliseFormula } from '../../common/http/csv';
import { caseloadLink, readCaseloadView } from './caseload-view';

describe('the caseload view and its CSV', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['James Whitfield', '69DU-CR-26-1407', '12/01/2026', '0', '']) expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('reads only known standings and columns from the address, and writes no search into a link', () => {
    expect(readCaseloadView({ standing: 'drop table', sort: 'evil', dir: 'sideways', offset: '-5' })).toEqual({
      standing: undefined,
      sort: 'standing',
      descending: false,
      offset: 0,
      search: '',
    });
    const view = readCaseloadView({ standing: 'non_compliant', sort: 'name', dir: 'desc', offset: '50', search: 'Whitfield' });
    expect(caseloadLink({ ...view, search: '' })).toBe('/caseload?standing=non_compliant&sort=name&dir=desc&offset=50');
  });
});
