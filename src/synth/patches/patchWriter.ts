import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { LabelledPatch } from './scenePatches';
import type { PatchKind, PatchMeta } from './patchLabel';
import { TARGET } from './patchScene';
import { WORKING_SPACING_MM } from './preparedFromAttenuation';

/**
 * Appends patches to `<dir>/images.f32` (float32 little-endian), `<dir>/targets.u8`,
 * `<dir>/centres.u8` (1 at each speck centre) and `<dir>/labels.jsonl`, and writes `<dir>/meta.json` on close: the format the detector training
 * script reads (scripts/train/patch_dataset.py).
 */
export class PatchWriter {
  private readonly images: number;
  private readonly targets: number;
  private readonly centres: number;
  private readonly labels: number;
  private count = 0;
  private readonly kinds: Record<PatchKind, number> = { positive: 0, negative: 0, hardNegative: 0 };

  constructor(
    private readonly dir: string,
    private readonly size: number,
  ) {
    if (endianness() !== 'LE') throw new Error('the patch format is little-endian; this machine is not');
    mkdirSync(dir, { recursive: true });
    this.images = openSync(join(dir, 'images.f32'), 'w');
    this.targets = openSync(join(dir, 'targets.u8'), 'w');
    this.centres = openSync(join(dir, 'centres.u8'), 'w');
    this.labels = openSync(join(dir, 'labels.jsonl'), 'w');
  }

  get written(): number {
    return this.count;
  }

  add(item: LabelledPatch): void {
    const { image, target, centres } = item.patch;
    if (image.length !== this.size * this.size || target.length !== image.length || centres.length !== image.length)
      throw new Error('patch size mismatch');
    writeSync(this.images, new Uint8Array(image.buffer, image.byteOffset, image.byteLength));
    writeSync(this.targets, target);
    writeSync(this.centres, centres);
    writeSync(this.labels, `${JSON.stringify({ index: this.count, ...item.label })}\n`);
    this.kinds[item.label.kind]++;
    this.count++;
  }

  close(meta: { seed: number; tissueSources: string[]; generator: string; holdout: boolean }): PatchMeta {
    closeSync(this.images);
    closeSync(this.targets);
    closeSync(this.centres);
    closeSync(this.labels);
    const full: PatchMeta = {
      version: 1,
      count: this.count,
      size: this.size,
      workingSpacingMm: WORKING_SPACING_MM,
      ...meta,
      kinds: this.kinds,
      targetValues: { background: TARGET.background, calcification: TARGET.calcification, ignore: TARGET.ignore },
    };
    writeFileSync(join(this.dir, 'meta.json'), JSON.stringify(full, null, 1));
    return full;
  }
}
