/**
 * The fonts the clinic's documents embed, and the order in which they are tried for each face.
 *
 * Sarabun (the Thai government's document face, looped Thai with a matching Latin, ฿ and the
 * maths symbols) draws Latin and Thai; Noto Sans adds Cyrillic, Greek and the rest of Latin;
 * Noto Sans SC draws Han (simplified and traditional characters, in mainland forms) and kana;
 * Nanum Gothic draws Hangul. All are SIL OFL 1.1 TrueType files from npm packages, resolved
 * here so the files ship with `npm ci`. pdfkit subsets each font into the PDF that uses it.
 */
import { createRequire } from 'node:module';

const FILES = {
  'sarabun-regular': '@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf',
  'sarabun-bold': '@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf',
  'sarabun-italic': '@expo-google-fonts/sarabun/400Regular_Italic/Sarabun_400Regular_Italic.ttf',
  'noto-sans-regular': '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  'noto-sans-bold': '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  'noto-sans-italic': '@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
  'noto-sans-sc-regular': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'noto-sans-sc-bold': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  'nanum-gothic-regular': '@expo-google-fonts/nanum-gothic/400Regular/NanumGothic_400Regular.ttf',
  'nanum-gothic-bold': '@expo-google-fonts/nanum-gothic/700Bold/NanumGothic_700Bold.ttf',
} as const;

export type FontKey = keyof typeof FILES;

export type Face = 'regular' | 'bold' | 'italic';

/** Per face, the fonts to try in order: the first that draws a piece of text draws it. */
export const FALLBACK: Readonly<Record<Face, readonly FontKey[]>> = {
  regular: ['sarabun-regular', 'noto-sans-regular', 'noto-sans-sc-regular', 'nanum-gothic-regular'],
  bold: ['sarabun-bold', 'noto-sans-bold', 'noto-sans-sc-bold', 'nanum-gothic-bold'],
  // No italic CJK or Hangul exists in these families; upright is the typographic convention.
  italic: ['sarabun-italic', 'noto-sans-italic', 'noto-sans-sc-regular', 'nanum-gothic-regular'],
};

/**
 * The face a style's font name asks for. Styles keep naming the standard fonts
 * ("Helvetica-Bold", see pdf-style.ts), so drawing code can still use them directly.
 */
export function faceOf(fontName: string | undefined): Face {
  if (/bold/i.test(fontName ?? '')) return 'bold';
  if (/oblique|italic/i.test(fontName ?? '')) return 'italic';
  return 'regular';
}

const require = createRequire(import.meta.url);

/** The font file's absolute path inside node_modules. */
export function fontFile(key: FontKey): string {
  return require.resolve(FILES[key]);
}
