/** The page, fonts and colours the clinic's documents share. */

export const A4 = { width: 595.28, height: 841.89 };

/**
 * Font names for styles. PdfWriter draws text in the embedded face each names (regular, bold,
 * italic: font-catalogue.ts), in any script; drawing straight on the document (chart labels)
 * still gets these standard fonts, which draw WinAnsi only.
 */
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
