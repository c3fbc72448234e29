/** Text as printed: explicit line breaks are kept, other runs of white space collapse to one space. */
export function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();
}
