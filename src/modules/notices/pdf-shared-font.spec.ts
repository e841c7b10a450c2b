import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { renderNoticeLetter } from './letter-pdf';
import { NoticeContent } from './notice-content';
import { NoticePurpose, NoticeRecipientKind } from './notice-status.enum';

const letter = (participantName: string): NoticeContent => ({
  noticeId: '00000000-0000-4000-8000-000000000007',
  purpose: NoticePurpose.Event,
  subject: 'No attendance for three weeks: case 69DU-CR-26-1400',
  headline: `${participantName} has not attended since Nov 4, 2026 — “unexcused”.`,
  programName: 'Arrowhead Men’s Nonviolence Program',
  recipientName: 'St. Louis County District Court',
  recipientKind: NoticeRecipientKind.Court,
  caseNumber: '69DU-CR-26-1400',
  participantName,
  dateOfBirth: '1984-03-17',
  courtName: 'St. Louis County District Court',
  policyName: 'Duluth Model, 24 sessions',
  policyVersion: 1,
  clause: 'three weeks without attendance are reported to the court and the officer',
  facts: [{ label: 'Sessions attended', value: '14 of 24' }],
  letterDate: 'Nov 25, 2026',
  occurredOn: '2026-11-25',
  dueBy: 'Dec 2, 2026',
  isReminder: false,
  isCorrection: false,
  remindsSentOn: null,
  appUrl: 'http://localhost:3000',
  eventKind: ComplianceEventKind.NoAttendance,
  certificate: null,
});

/** The embedded font files of a PDF, unpacked, by font name. */
function fontFiles(pdf: Buffer): Map<string, Buffer> {
  const text = pdf.toString('latin1');
  const files = new Map<string, Buffer>();
  for (const [, name, id] of text.matchAll(/\/FontName \/(\S+)[^>]*?\/FontFile2 (\d+) 0 R/g)) {
    const start = text.indexOf('stream\n', text.indexOf(`\n${id} 0 obj`)) + 'stream\n'.length;
    files.set(name.replace(/^[A-Z]{6}\+/, ''), inflateSync(pdf.subarray(start, text.indexOf('\nendstream', start))));
  }
  return files;
}

function textOf(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'throughline-font-')), 'letter.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}

describe('letters share one embedded font file', () => {
  it('embeds the same font file in letters whose names use different letters', async () => {
    const first = fontFiles(await renderNoticeLetter(letter('James Whitfield')));
    const second = fontFiles(await renderNoticeLetter(letter('Mark Olsen-Yazzie')));
    expect([...first.keys()].sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const [name, file] of first) expect({ name, same: file.equals(second.get(name) as Buffer) }).toEqual({ name, same: true });
  });

  it('embeds the wider Latin file, the same for every such letter, when a name needs it', async () => {
    const ascii = fontFiles(await renderNoticeLetter(letter('James Whitfield')));
    const first = fontFiles(await renderNoticeLetter(letter('Dariusz Łukasiewicz')));
    const second = fontFiles(await renderNoticeLetter(letter('José Peña Çelik')));
    for (const [name, file] of first) {
      expect({ name, same: file.equals(second.get(name) as Buffer) }).toEqual({ name, same: true });
      expect(file.length).toBeGreaterThan(ascii.get(name)!.length);
    }
  });

  it('reads back as typed, Latin Extended and the templates’ punctuation included', async () => {
    const words = textOf(await renderNoticeLetter(letter('Dariusz Łukasiewicz-Peña')));
    expect(words).toContain('Dariusz Łukasiewicz-Peña has not attended since Nov 4, 2026 — “unexcused”.');
    expect(words).toContain('Arrowhead Men’s Nonviolence Program');
  });

  it('gives a letter with a character outside the shared ones a font file of its own, and it still reads back', async () => {
    const shared = fontFiles(await renderNoticeLetter(letter('James Whitfield')));
    const pdf = await renderNoticeLetter(letter('Ωmega Жуков'));
    const own = fontFiles(pdf);
    expect(own.get('DejaVuSans')?.equals(shared.get('DejaVuSans') as Buffer)).toBe(false);
    expect(own.get('DejaVuSans')!.length).toBeGreaterThan(shared.get('DejaVuSans')!.length);
    expect(textOf(pdf)).toContain('Ωmega Жуков has not attended');
  });
});
