/**
 * pdfkit's standard fonts (Helvetica) draw only the WinAnsi character set: no "฿", no "≈", no
 * Thai script. Text for them goes through here so an unknown character prints as "?" (or a
 * readable stand-in) rather than corrupting the text stream.
 */

/** The extra characters WinAnsi has beyond Latin-1 (curly quotes, dashes, bullet, €, …). */
const WIN_ANSI_EXTRAS = new Set(
  [338, 339, 352, 353, 376, 381, 382, 402, 710, 732, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222]
    .concat([8224, 8225, 8226, 8230, 8240, 8249, 8250, 8364, 8482])
    .map((code) => String.fromCodePoint(code)),
);

/** Whether the standard fonts can draw this character (printable ASCII, Latin-1 or a WinAnsi extra). */
export function isWinAnsi(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch);
}

/** Each character the standard fonts cannot draw replaced by its entry in `readable`, else "?". */
export function toWinAnsi(text: string, readable: Readonly<Record<string, string>> = {}): string {
  return Array.from(text, (ch) => (isWinAnsi(ch) ? ch : (readable[ch] ?? '?'))).join('');
}

/** Stand-ins for the symbols the documents use that the standard fonts lack. */
const READABLE: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '≈': 'approx.', '→': '->', '×': 'x', '฿': 'THB ' };

/** Text the standard fonts can draw; explicit line breaks are kept, other runs of space collapse. */
export function pdfSafe(text: string): string {
  const lines = text.split('\n').map((line) => toWinAnsi(line.replace(/฿\s*/g, '฿').replace(/\s+/g, ' ').trim(), READABLE));
  return lines.join('\n').trim();
}
