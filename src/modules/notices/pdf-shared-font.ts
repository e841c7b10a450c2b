import { deflateSync } from 'node:zlib';

/**
 * The characters the program's letters, certificates and reports are written in, in two nested
 * sets. Most letters need only the first: ASCII and the punctuation the templates use (’ — “ ” …
 * ·), about 15 KB compressed a weight, so a letter is little larger than with its own subset. A
 * name such as Łukasiewicz, Peña or Çelik takes the second: Latin-1, Latin Extended-A, Romanian's
 * ș and ț, the euro and the trade mark, about 29 KB a weight. Its glyphs are numbered after the
 * first set's, so a document can move to it after it has drawn text. A document that uses a glyph
 * outside both gets a font file of its own (see `embed`).
 */
const SHARED_SETS: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [
    [0x20, 0x7e],
    [0xb7, 0xb7],
    [0x2013, 0x2014],
    [0x2018, 0x201d],
    [0x2022, 0x2022],
    [0x2026, 0x2026],
  ],
  [
    [0xa0, 0x17f],
    [0x218, 0x21b],
    [0x2010, 0x2027],
    [0x2030, 0x203a],
    [0x20ac, 0x20ac],
    [0x2122, 0x2122],
  ],
];
/** Glyphs the default layout substitutes for runs of these characters (ligatures). */
const SHARED_RUNS = ['ff', 'fi', 'fl', 'ffi', 'ffl'];

/** fontkit's font and subset, as far as this file uses them. */
interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontSubset {
  includeGlyph(glyph: number | Glyph): number;
  encode(): Uint8Array;
}
interface ParsedFont {
  layout(text: string, ...rest: unknown[]): { glyphs: Glyph[] };
  createSubset(): FontSubset;
  getGlyph(id: number): Glyph;
  hasGlyphForCodePoint(codePoint: number): boolean;
  unitsPerEm: number;
}

/** The shared glyphs' font files, encoded and compressed once, and what the PDF says of each glyph. */
interface SharedFontFile {
  /** The font's glyph ids, in the order of the files (the PDF's CIDs); each file holds a prefix of them. */
  glyphs: number[];
  cids: Map<number, number>;
  /** The nested files, smallest first: `count` CIDs each. */
  files: Array<{ count: number; file: Buffer; compressed: Buffer }>;
  /** Advance widths in PDF text space (1000 a em), by CID (none past the shared glyphs). */
  widths: Array<number | undefined>;
  /** What each CID reads as, when the document's own layout did not say (ToUnicode). */
  codePoints: Array<number[] | undefined>;
}

function buildSharedFile(font: ParsedFont, createSubset: () => FontSubset): SharedFontFile {
  let glyphs: number[] = [];
  const files: SharedFontFile['files'] = [];
  SHARED_SETS.forEach((ranges, index) => {
    const subset = createSubset();
    // The previous file's glyphs first, in their order, so their CIDs stay the same in this one.
    for (const id of glyphs) subset.includeGlyph(id);
    for (const [first, last] of ranges)
      for (let codePoint = first; codePoint <= last; codePoint++) {
        if (!font.hasGlyphForCodePoint(codePoint)) continue;
        for (const glyph of font.layout(String.fromCodePoint(codePoint)).glyphs) subset.includeGlyph(glyph.id);
      }
    if (index === 0) for (const run of SHARED_RUNS) for (const glyph of font.layout(run).glyphs) subset.includeGlyph(glyph.id);
    // Encoding adds the parts of composite glyphs (é is e and ´) to the subset: read its order after.
    const file = Buffer.from(subset.encode());
    glyphs = (subset as unknown as { glyphs: number[] }).glyphs.slice();
    files.push({ count: glyphs.length, file, compressed: deflateSync(file) });
  });
  const scale = 1000 / font.unitsPerEm;
  return {
    glyphs,
    cids: new Map(glyphs.map((id, cid) => [id, cid])),
    files,
    widths: glyphs.map((id) => font.getGlyph(id).advanceWidth * scale),
    codePoints: glyphs.map((id) => font.getGlyph(id).codePoints),
  };
}

/**
 * One document's glyphs of a shared font. The CIDs of the shared glyphs are fixed; a glyph outside
 * them is added after them, and the document then embeds a font file of its own.
 */
class DocumentGlyphs implements FontSubset {
  readonly extra: number[] = [];
  /** The CIDs this document drew, for its widths and its ToUnicode map (the notdef glyph always). */
  readonly used = new Set<number>([0]);
  private readonly extraCids = new Map<number, number>();

  constructor(
    readonly shared: SharedFontFile,
    private readonly createSubset: () => FontSubset,
  ) {}

  includeGlyph(glyph: number | Glyph): number {
    const id = typeof glyph === 'number' ? glyph : glyph.id;
    let cid = this.shared.cids.get(id) ?? this.extraCids.get(id);
    if (cid === undefined) {
      this.extra.push(id);
      cid = this.shared.glyphs.length + this.extra.length - 1;
      this.extraCids.set(id, cid);
    }
    this.used.add(cid);
    return cid;
  }

  /** A CID's font glyph id. */
  glyphOf(cid: number): number {
    return cid < this.shared.glyphs.length ? this.shared.glyphs[cid] : this.extra[cid - this.shared.glyphs.length];
  }

  /** The used CIDs in runs of consecutive ones, in order. */
  usedRuns(): number[][] {
    const runs: number[][] = [];
    for (const cid of [...this.used].sort((a, b) => a - b)) {
      const run = runs.at(-1);
      if (run?.at(-1) === cid - 1) run.push(cid);
      else runs.push([cid]);
    }
    return runs;
  }

  /** The smallest shared file that holds every glyph drawn, or none (then `encode` makes one of its own). */
  sharedFile(): SharedFontFile['files'][number] | undefined {
    const highest = Math.max(...this.used);
    return this.shared.files.find((file) => file.count > highest);
  }

  /** A font file of this document's own: the shared glyphs first, in their order, then its others. */
  encode(): Uint8Array {
    const subset = this.createSubset();
    for (const id of [...this.shared.glyphs, ...this.extra]) subset.includeGlyph(id);
    return subset.encode();
  }
}

/**
 * Makes every document that registers this (parsed, once per process) font share one embedded
 * font file instead of subsetting it again: fontkit re-encoded glyf, loca, hmtx, cvt, prep and
 * fpgm for each document, and pdfkit deflated them, half of a letter's time. The text is laid out
 * exactly as before; only the glyphs' numbers in the PDF (its CIDs) change, so the pages look the
 * same. Call `embedSharedFonts` on each document before it ends.
 */
export function withSharedFontFile<Font extends object>(parsed: Font): Font {
  const font = parsed as unknown as ParsedFont;
  const createSubset = font.createSubset.bind(font);
  let shared: SharedFontFile | null = null;
  font.createSubset = () => new DocumentGlyphs((shared ??= buildSharedFile(font, createSubset)), createSubset);
  return parsed;
}

/** Documents a process-wide word cache serves before it starts again: it holds every word met, names and ids too. */
const DOCUMENTS_A_LAYOUT_CACHE = 500;
const layoutCaches = new WeakMap<object, { documents: number; words: Record<string, unknown> }>();

/** pdfkit's embedded fonts of this document that draw from a shared font file, each once. */
function sharedFontsOf(doc: PDFKit.PDFDocument): EmbeddedFont[] {
  const families = (doc as unknown as { _fontFamilies?: Record<string, EmbeddedFont> })._fontFamilies ?? {};
  return [...new Set(Object.values(families))].filter((font) => font.subset instanceof DocumentGlyphs);
}

/**
 * Gives this document's fonts (open them first) pdfkit's word cache of every earlier document
 * instead of an empty one. pdfkit lays out each word once per document and keeps the scaled run,
 * which it never changes afterwards (word spacing copies it); the font and its scale are the same
 * in every document, so a run laid out for one letter serves the next as it is.
 */
export function shareWordLayouts(doc: PDFKit.PDFDocument): void {
  for (const font of sharedFontsOf(doc)) {
    let cache = layoutCaches.get(font.font);
    if (!cache || cache.documents >= DOCUMENTS_A_LAYOUT_CACHE) {
      cache = { documents: 0, words: Object.create(null) as Record<string, unknown> };
      layoutCaches.set(font.font, cache);
    }
    cache.documents++;
    if (font.layoutCache) font.layoutCache = cache.words;
  }
}

/** What pdfkit's embedded font (one per font and document) holds that the embedding reads and writes. */
interface EmbeddedFont {
  document: PDFKit.PDFDocument & { ref(data?: object): PdfReference };
  font: ParsedFont & {
    postscriptName: string;
    italicAngle: number;
    capHeight: number;
    ascent: number;
    xHeight: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
    post: { isFixedPitch: boolean };
    head: { macStyle: { italic: boolean } };
    'OS/2'?: { sFamilyClass: number };
  };
  id: string;
  scale: number;
  ascender: number;
  descender: number;
  subset: unknown;
  unicode: Array<number[] | undefined>;
  /** Absent when the document was made with `fontLayoutCache: false`. */
  layoutCache?: Record<string, unknown>;
  dictionary: PdfReference;
  embed(): void;
}
interface PdfReference {
  data: Record<string, unknown>;
  end(chunk?: Buffer | string): void;
}

/**
 * Replaces, for this document, pdfkit's embedding of each shared font by one that writes the
 * shared file as it was compressed once. pdfkit keeps its fonts per document in `_fontFamilies`
 * (the same font under its name and its registered name); a font without shared glyphs keeps
 * pdfkit's own embedding.
 */
export function embedSharedFonts(doc: PDFKit.PDFDocument): void {
  for (const font of sharedFontsOf(doc)) font.embed = () => embed(font, font.subset as DocumentGlyphs);
}

/** pdfkit's EmbeddedFont.embed (0.20), with the shared file, its widths and its ToUnicode map. */
function embed(font: EmbeddedFont, glyphs: DocumentGlyphs): void {
  const { document, font: parsed, scale } = font;
  const { shared } = glyphs;
  const sharedFile = glyphs.sharedFile();
  const file = sharedFile?.file ?? Buffer.from(glyphs.encode());
  // Already compressed: a stream made with its Filter is written as it is (Length1: its size unpacked).
  const fontFile = document.ref({ Filter: 'FlateDecode', Length1: file.length });
  fontFile.end(sharedFile?.compressed ?? deflateSync(file));

  const familyClass = (parsed['OS/2']?.sFamilyClass ?? 0) >> 8;
  let flags = 1 << 2; // symbolic: glyphs are addressed by CID, not by a standard encoding
  if (parsed.post.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (parsed.head.macStyle.italic) flags |= 1 << 6;
  const tag = [1, 2, 3, 4, 5, 6].map((i) => String.fromCharCode((font.id.charCodeAt(i) || 73) + 17)).join('');
  const name = `${tag}+${parsed.postscriptName.replaceAll(' ', '_')}`;
  const { bbox } = parsed;
  const descriptor = document.ref({
    Type: 'FontDescriptor',
    FontName: name,
    Flags: flags,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: parsed.italicAngle,
    Ascent: font.ascender,
    Descent: font.descender,
    CapHeight: (parsed.capHeight || parsed.ascent) * scale,
    XHeight: (parsed.xHeight || 0) * scale,
    StemV: 0,
    FontFile2: fontFile,
  });
  descriptor.end();

  // The widths of the glyphs it drew, as pdfkit's own subsets list them (a reader needs no others).
  const width = (cid: number) => shared.widths[cid] ?? parsed.getGlyph(glyphs.glyphOf(cid)).advanceWidth * scale;
  const widths = glyphs.usedRuns().flatMap((run) => [run[0], run.map(width)]);
  const descendantFont = document.ref({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: name,
    CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
    FontDescriptor: descriptor,
    W: widths,
    CIDToGIDMap: 'Identity',
  });
  descendantFont.end();
  font.dictionary.data = {
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: name,
    Encoding: 'Identity-H',
    DescendantFonts: [descendantFont],
    ToUnicode: toUnicode(font, glyphs),
  };
  font.dictionary.end();
}

/**
 * What each CID it drew reads as: as the document's layout said (a ligature reads as its
 * letters), else as the font's own map says. Runs of consecutive CIDs, as pdfkit writes them.
 */
function toUnicode(font: EmbeddedFont, glyphs: DocumentGlyphs): PdfReference {
  const hex = (value: number) => value.toString(16).padStart(4, '0');
  const text = (cid: number) => {
    const codePoints = font.unicode[cid] ?? glyphs.shared.codePoints[cid] ?? font.font.getGlyph(glyphs.glyphOf(cid)).codePoints;
    const encoded: string[] = [];
    for (const codePoint of codePoints.length ? codePoints : [0xfffd]) {
      if (codePoint > 0xffff) {
        const value = codePoint - 0x10000;
        encoded.push(hex(((value >>> 10) & 0x3ff) | 0xd800), hex(0xdc00 | (value & 0x3ff)));
      } else encoded.push(hex(codePoint));
    }
    return `<${encoded.join(' ')}>`;
  };
  // A bfrange may not cross a boundary of 256 CIDs in its high byte: split the runs there too.
  const ranges = glyphs
    .usedRuns()
    .flatMap((run) => {
      const pieces: number[][] = [];
      for (const cid of run) {
        const piece = pieces.at(-1);
        if (piece && cid >> 8 === piece[0] >> 8) piece.push(cid);
        else pieces.push([cid]);
      }
      return pieces;
    })
    .map((run) => `<${hex(run[0])}> <${hex(run[run.length - 1])}> [${run.map(text).join(' ')}]`);
  const blocks: string[] = [];
  for (let start = 0; start < ranges.length; start += 100)
    blocks.push(`${Math.min(100, ranges.length - start)} beginbfrange\n${ranges.slice(start, start + 100).join('\n')}\nendbfrange`);
  const cmap = font.document.ref();
  cmap.end(`/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${blocks.join('\n')}
endcmap
CMapName currentdict /CMap defineresource pop
end
end`);
  return cmap;
}
