import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF written by pdfkit, for tests to search for phrases.
 *
 * It inflates each FlateDecode stream and reads, in content order, the lines our text layout
 * draws in embedded fonts (each wrapped in a marked-content span whose `/ActualText` is the line
 * as written: src/common/pdf/draw-text.ts) and the text-showing operators (`Tj`, `TJ`) of text
 * drawn straight with the standard fonts, decoded as WinAnsi. Pieces are joined with a space on
 * the same baseline and a newline when the `Tm` baseline changes. So a phrase drawn in one call
 * is found verbatim, and a wrapped paragraph is found after collapsing whitespace
 * (`text.replace(/\s+/g, ' ')`).
 *
 * Limits: not a PDF parser. It ignores the page tree (pages come in file order, which is page
 * order for pdfkit), object streams, other filters, encryption, embedded-font text outside an
 * ActualText span, `'`/`"` operators, nested parentheses inside literal strings and
 * kerning-as-spacing; streams must carry a direct `/Length`, as pdfkit writes them.
 */
export function extractPdfText(pdf: Buffer): string {
  return contentStreams(pdf).map(textOfContent).filter(Boolean).join('\n');
}

function contentStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  for (const match of raw.matchAll(/<<([^<>]*)>>\s*stream\r?\n/g)) {
    const length = /\/Length (\d+)/.exec(match[1] ?? '');
    if (!length) continue;
    const start = (match.index ?? 0) + match[0].length;
    const body = pdf.subarray(start, start + Number(length[1]));
    const data = /\/FlateDecode/.test(match[1] ?? '') ? inflateSync(body) : body;
    streams.push(data.toString('latin1'));
  }
  return streams.filter((content) => /\bBT\b/.test(content));
}

const STRING = String.raw`<[0-9A-Fa-f\s]*>|\((?:\\[^]|[^\\)])*\)`;
const OPERATOR = new RegExp(
  String.raw`/ActualText\s*(${STRING})\s*>>\s*BDC\b|\bEMC\b|(-?[\d.]+)\s+Tm\b|\[((?:${STRING}|[-\d.\s])*)\]\s*TJ\b|(${STRING})\s*Tj\b`,
  'g',
);

function textOfContent(content: string): string {
  let out = '';
  let baseline: string | null = null;
  let lastBaseline: string | null = null;
  let span: { text: string; baseline: string | null } | null = null;
  const emit = (text: string, at: string | null): void => {
    if (out) out += at === lastBaseline ? ' ' : '\n';
    out += text;
    lastBaseline = at;
  };
  for (const [token, actual, y, array, single] of content.matchAll(OPERATOR)) {
    if (actual !== undefined) span = { text: decodeTextString(actual), baseline: null };
    else if (token === 'EMC') {
      if (span?.baseline !== undefined && span.text) emit(span.text, span.baseline);
      span = null;
    } else if (y !== undefined) {
      baseline = y;
      if (span && span.baseline === null) span.baseline = y;
    } else if (!span) {
      const strings = array !== undefined ? (array.match(new RegExp(STRING, 'g')) ?? []) : single ? [single] : [];
      if (strings.length > 0) emit(strings.map(decodeString).join(''), baseline);
    }
  }
  return out;
}

/** A PDF text string: UTF-16BE after a byte-order mark, else PDFDocEncoding (read as WinAnsi). */
function decodeTextString(token: string): string {
  const bytes = token.startsWith('<') ? hexBytes(token.slice(1, -1)) : literalBytes(token.slice(1, -1));
  if (bytes[0] !== 0xfe || bytes[1] !== 0xff) return decodeString(token);
  return Buffer.from(bytes.slice(2)).swap16().toString('utf16le');
}

/** WinAnsi bytes 0x80–0x9F that are not Latin-1. */
const WIN_ANSI_HIGH: Record<number, string> = Object.fromEntries(
  [...'€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ'].map((ch, i) => [0x80 + i, ch]).filter(([, ch]) => ch !== '\0'),
);

function decodeString(token: string): string {
  const bytes = token.startsWith('<') ? hexBytes(token.slice(1, -1)) : literalBytes(token.slice(1, -1));
  return bytes.map((byte) => WIN_ANSI_HIGH[byte] ?? String.fromCharCode(byte)).join('');
}

function hexBytes(hex: string): number[] {
  const digits = hex.replace(/\s/g, '');
  const padded = digits.length % 2 ? `${digits}0` : digits;
  return (padded.match(/../g) ?? []).map((pair) => parseInt(pair, 16));
}

function literalBytes(text: string): number[] {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  const unescaped = text.replace(/\\(\r?\n|[0-7]{1,3}|[^])/g, (_, esc: string) =>
    /^[0-7]/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : /^\r?\n$/.test(esc) ? '' : (escapes[esc] ?? esc),
  );
  return [...unescaped].map((ch) => ch.charCodeAt(0));
}
