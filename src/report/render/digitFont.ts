/**
 * A 3x5 pixel font for the digits and '%', enough to print a cluster's probability of cancer
 * ("87%") next to its outline without a font library.
 */
const glyphs: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '%': ['#.#', '..#', '.#.', '#..', '#.#'],
};

export const glyphWidth = 3;
export const glyphHeight = 5;

/** The lit cells of a text (unknown characters skipped), one glyph width plus one cell apart. */
export function textCells(text: string): { x: number; y: number }[] {
  const cells: { x: number; y: number }[] = [];
  let origin = 0;
  for (const ch of text) {
    const glyph = glyphs[ch];
    if (!glyph) continue;
    glyph.forEach((row, y) => [...row].forEach((c, x) => c === '#' && cells.push({ x: origin + x, y })));
    origin += glyphWidth + 1;
  }
  return cells;
}
