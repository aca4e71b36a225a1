/**
 * Terminal display width of text, counted per grapheme cluster: East Asian wide and fullwidth
 * characters and emoji take two columns, combining marks and format characters none.
 *
 * NOTE: the wide ranges below cover the main blocks of Unicode's EastAsianWidth.txt (W and F),
 * not the whole table. Rare wide characters outside them count as one column.
 */

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
  [0x3400, 0x4dbf], // CJK unified ideographs extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi syllables and radicals
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x18aff], // ideographic symbols, Tangut
  [0x1b000, 0x1b2ff], // Kana supplement and extensions, Nushu
  [0x1f200, 0x1f2ff], // enclosed ideographic supplement
  [0x20000, 0x2fffd], // CJK extensions B to F, compatibility supplement
  [0x30000, 0x3fffd], // CJK extensions G and H
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const PICTOGRAPHIC_WITH_VS16 = /\p{Extended_Pictographic}\uFE0F/u;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([low, high]) => codePoint >= low && codePoint <= high);
}

/** Returns the number of terminal columns one grapheme cluster takes: 0, 1 or 2. */
function clusterWidth(cluster: string): number {
  if (EMOJI_PRESENTATION.test(cluster) || PICTOGRAPHIC_WITH_VS16.test(cluster)) return 2;
  const first = String.fromCodePoint(cluster.codePointAt(0)!);
  if (ZERO_WIDTH.test(first)) return 0;
  return isWide(first.codePointAt(0)!) ? 2 : 1;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Printable ASCII and the `…` that ends truncated cells, each one UTF-16 unit and one column. */
const NARROW_TEXT = /^[\x20-\x7e\u2026]*$/;

/** Returns the number of terminal columns the text takes. The text must not contain line breaks. */
export function displayWidth(text: string): number {
  // Most cells are plain ASCII or a truncated ASCII title, where each character takes one column.
  if (NARROW_TEXT.test(text)) return text.length;

  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += clusterWidth(segment);
  return width;
}

/**
 * Returns the text cut to at most `maxWidth` columns, ending in `…` when cut. Cuts fall between
 * grapheme clusters, so a wide character or an emoji sequence is never split.
 */
export function truncateToWidth(text: string, maxWidth: number): string {
  if (displayWidth(text) <= maxWidth) return text;
  if (maxWidth <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, maxWidth - 1).trimEnd()}…`;

  let result = '';
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const next = clusterWidth(segment);
    // Leave one column for the ellipsis.
    if (width + next > maxWidth - 1) break;
    result += segment;
    width += next;
  }
  return `${result.trimEnd()}…`;
}

/** Returns the text padded with spaces on the right to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
const CONTROL = /\p{Cc}/gu;

/**
 * Returns text that is safe to print in one table cell. Advisory titles and package names are
 * untrusted, so escape sequences could otherwise recolour or rewrite the terminal, and bidi
 * controls could reorder what the user reads. Line breaks and tabs become spaces, other control
 * characters become U+FFFD, and runs of spaces collapse to one.
 */
export function sanitizeCell(text: string): string {
  return text
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROL, (char) => (/\s/.test(char) ? ' ' : '\uFFFD'))
    .replace(/ {2,}/g, ' ')
    .trim();
}
