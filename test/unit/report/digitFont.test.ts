import { glyphWidth, textCells } from '../../../src/report/render/digitFont';

describe('digit font', () => {
  test('prints digits and percent side by side, skipping other characters', () => {
    const one = textCells('1');
    expect(one).toHaveLength(8);
    expect(one).toContainEqual({ x: 1, y: 0 });
    const label = textCells('Calc 87%');
    expect(Math.max(...label.map((c) => c.x))).toBe(3 * (glyphWidth + 1) - 2);
    expect(Math.max(...label.map((c) => c.y))).toBe(4);
    expect(textCells('abc')).toEqual([]);
  });
});
