import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { embedSharedFonts, shareWordLayouts, withSharedFontFile } from './pdf-shared-font';

/**
 * Letters, certificates and progress reports are PDF/UA-minded: tagged (a structure tree a
 * screen reader follows), in a stated language, with an embedded open font (DejaVu Sans, from
 * @fontsource) instead of the standard 14 fonts, whose metrics pdfkit rebuilt from AFM files for
 * every document. The font is read and parsed once per process (its glyphs and metrics stay cached
 * in the parsed font); each document registers it and embeds one font file of the program's
 * characters, encoded and compressed once per process (pdf-shared-font.ts). Measured on a
 * letter: 8.2 s with the WOFF handed to pdfkit, 330 ms with it unpacked to TrueType but parsed per
 * document, 64 ms parsed once (the AFM fonts took 28 ms, unembedded and untagged).
 */
export const PDF_FONT = { regular: 'Body', bold: 'Body-Bold' } as const;
export const PDF_LANGUAGE = 'en-US';

/** A parsed font, as fontkit (pdfkit's own font engine) makes it; pdfkit embeds it as it is. */
type Position = Record<string, number>;
type GlyphRun = { glyphs: unknown[]; positions: Position[]; advanceWidth: number };
type ParsedFont = { layout(text: string, ...rest: unknown[]): GlyphRun };

/** Words remembered across documents: far more than one program's letters use, far less than memory allows. */
const SHARED_LAYOUTS = 20_000;

/**
 * Shaping a word (OpenType lookups) is a third of a letter's cost, and letters say the same words
 * again and again: the font is parsed once, so its words' shapes are kept once too. pdfkit scales
 * the positions it is given in place, so each caller gets its own copy; the glyphs are shared and
 * never changed. The letters come out byte for byte the same (pdf-accessibility test).
 */
function withSharedLayouts(font: ParsedFont): ParsedFont {
  const layout = font.layout.bind(font);
  const shapes = new Map<string, { glyphs: unknown[]; positions: Position[] }>();
  font.layout = (text: string, ...rest: unknown[]): GlyphRun => {
    if (rest.some((argument) => argument !== undefined)) return layout(text, ...rest);
    let shape = shapes.get(text);
    if (!shape) {
      const run = layout(text);
      shape = { glyphs: run.glyphs, positions: run.positions.map((position) => ({ ...position })) };
      if (shapes.size >= SHARED_LAYOUTS) shapes.clear();
      shapes.set(text, shape);
    }
    const positions = shape.positions.map((position) => ({ ...position }));
    return {
      glyphs: shape.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((sum, position) => sum + position.xAdvance, 0);
      },
    };
  };
  return font;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(bytes: Buffer): ParsedFont };
let parsedFonts: { regular: ParsedFont; bold: ParsedFont } | null = null;

function fonts(): { regular: ParsedFont; bold: ParsedFont } {
  if (!parsedFonts) {
    // Resolved through the package, so the files need no copy in the repository or in dist/.
    const fontWeight = { regular: 400, bold: 700 };
    const file = (weight: number) => require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff`);
    const parse = (weight: number) => withSharedFontFile(withSharedLayouts(fontkit.create(sfntFromWoff(readFileSync(file(weight))))));
    parsedFonts = { regular: parse(fontWeight.regular), bold: parse(fontWeight.bold) };
  }
  return parsedFonts;
}

/**
 * The plain TrueType font inside a WOFF file. fontkit reads WOFF too, but inflates a table again on
 * every glyph it reads: 8 s a letter. Unpacked once per process, a letter takes milliseconds.
 */
export function sfntFromWoff(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, index) => {
    const entry = 44 + index * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const packed = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.subarray(entry, entry + 4),
      checksum: woff.readUInt32BE(entry + 16),
      data: compLength < origLength ? inflateSync(packed) : packed,
    };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + numTables * 16);
  woff.copy(header, 0, 4, 8); // the flavour: the sfnt version
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(2 ** entrySelector * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - 2 ** entrySelector * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, index) => {
    const record = 12 + index * 16;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

/** What a drawing function gets: the document, and the structure element its text belongs to. */
export interface PdfPage {
  doc: PDFKit.PDFDocument;
  root: PDFKit.PDFStructureElement;
}

/** Renders a tagged PDF to a Buffer. */
export function renderPdf(draw: (pdf: PdfPage) => void, info: { Title: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { regular, bold } = fonts();
    // A fixed creation date keeps the same letter byte-identical when rendered again. `font: ''`
    // keeps pdfkit from loading Helvetica as its default before ours is registered.
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 64,
      pdfVersion: '1.7',
      tagged: true,
      lang: PDF_LANGUAGE,
      displayTitle: true,
      font: '',
      info: { ...info, Author: 'Throughline', CreationDate: new Date(0) },
    });
    doc.registerFont(PDF_FONT.regular, regular as never);
    doc.registerFont(PDF_FONT.bold, bold as never);
    // Both opened now (regular last, as the one drawn with first), so both share the words laid out before.
    doc.font(PDF_FONT.regular).font(PDF_FONT.bold).font(PDF_FONT.regular);
    shareWordLayouts(doc);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const root = doc.struct('Document');
    doc.addStructure(root);
    draw({ doc, root });
    root.end();
    embedSharedFonts(doc);
    doc.end();
  });
}

/** Options for doc.text that file the text under the document's structure as a P, H1, H2 … */
export function tagged(pdf: PdfPage, type: 'P' | 'H1' | 'H2' = 'P', options: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions {
  return { ...options, structParent: pdf.root, structType: type };
}

/** Draws what is decoration (rules, borders, the page footer), marked so that readers skip it. */
export function artifact(pdf: PdfPage, draw: () => void): void {
  pdf.doc.markContent('Artifact', { type: 'Layout' } as never);
  draw();
  pdf.doc.endMarkedContent();
}
