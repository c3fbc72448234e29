/** The page, fonts and colours the clinic's documents share. */

export const A4 = { width: 595.28, height: 841.89 };

/** The standard fonts: nothing to embed, WinAnsi text only (see win-ansi.ts). */
export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };

/** The house colours; each document adds its own (highlights, risk red, stripes). */
export const INK = {
  text: '#1f2933',
  muted: '#5f6b7a',
  accent: '#1d4e6b',
  rule: '#c9d2db',
  band: '#edf2f6',
};

export interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  align?: 'left' | 'right' | 'center';
}
