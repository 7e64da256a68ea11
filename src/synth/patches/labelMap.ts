import type { InsertedSpeck } from '../lesions/insertSpecks';
import { TARGET } from './patchScene';

/** Calcification footprints on the original grid: 1 inside, 0 elsewhere. */
export function labelMapFromSpecks(columns: number, rows: number, specks: InsertedSpeck[], base?: Uint8Array): Uint8Array {
  const labels = base ?? new Uint8Array(columns * rows);
  for (const speck of specks) for (const index of speck.footprint) labels[index] = TARGET.calcification;
  return labels;
}
