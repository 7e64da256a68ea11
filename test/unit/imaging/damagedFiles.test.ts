import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePixels, isNotAnalysable, prepareImage, type DecodedImage } from '../../../src/imaging';
import { writeSyntheticMammogram } from '../../helpers/imaging/syntheticMammogramFile';
import { compressedCopy, ENCODERS } from '../../helpers/compressedFixtures';

/**
 * Damaged files in every transfer syntax the node decodes: each is a reason, never an exception or a
 * hang, and a damaged stream does not spoil the images decoded after it in the same process (the
 * WASM codecs' instance is started afresh after a decode that threw: wasmCodecs.ts).
 */
const opts = { workingSpacingMm: 0.07, defaultSpacingMm: 0.1, jpeg2000Decoder: 'wasm' as const };

/** Fixed-seed generator, so a failure names a file that can be made again. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** One of five kinds of damage: bits flipped anywhere, header bytes replaced, a cut, a wild 32-bit value, codestream bytes replaced. */
function damage(bytes: Buffer, kind: number, random: () => number): Buffer {
  const b = Buffer.from(bytes);
  const at = (from: number, span: number) => from + Math.floor(random() * span);
  const afterPreamble = b.length - 132;
  if (kind === 0) for (let i = 0; i < 1 + random() * 20; i++) b[at(132, afterPreamble)] ^= 1 << Math.floor(random() * 8);
  if (kind === 1) for (let i = 0; i < 1 + random() * 6; i++) b[at(132, Math.min(1200, afterPreamble))] = Math.floor(random() * 256);
  if (kind === 2) return b.subarray(0, at(132, afterPreamble));
  if (kind === 3) b.writeUInt32LE(random() < 0.5 ? 0xffffffff : Math.floor(random() * 2 ** 32), at(132, Math.min(1500, b.length - 140)));
  if (kind === 4) for (let i = 0; i < 1 + random() * 50; i++) b[at(Math.floor(b.length * 0.3), Math.ceil(b.length * 0.7))] = Math.floor(random() * 256);
  return b;
}

/** A copy with 40 bytes of the codestream's middle changed: every codec here rejects it. */
function corruptMiddle(file: string, dir: string): string {
  const b = readFileSync(file);
  for (let i = 0; i < 40; i++) b[Math.floor(b.length * 0.5) + i * 97] ^= 0x5a;
  const out = join(dir, `corrupt-${file.split('/').pop()}`);
  writeFileSync(out, b);
  return out;
}

async function decoded(file: string): Promise<DecodedImage> {
  const r = await decodePixels(file, 'wasm');
  if (isNotAnalysable(r)) throw new Error(r.reason);
  return r;
}

describe('damaged files', () => {
  let dir: string;
  let sources: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mc-damaged-'));
    const base = join(dir, 'base.dcm');
    writeSyntheticMammogram(base, { rows: 320, columns: 256, bitsAllocated: 16, bitsStored: 12, pixelSpacingMm: 0.1 });
    sources = [base];
    for (const encoder of ENCODERS) sources.push(await compressedCopy(encoder, base));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are each refused with a reason, in every transfer syntax, and never throw', async () => {
    const random = seeded(20261207);
    let refused = 0;
    for (const source of sources) {
      const bytes = readFileSync(source);
      for (let k = 0; k < 20; k++) {
        const file = join(dir, `damaged-${k}.dcm`);
        writeFileSync(file, damage(bytes, k % 5, random));
        const r = await prepareImage(file, opts);
        if (!r.ok) {
          refused++;
          expect(`${source} #${k}: ${r.reason}`).toMatch(/: not analysable: \S/);
        }
      }
      // The undamaged file still decodes after its twenty damaged copies.
      expect({ source, ok: (await prepareImage(source, opts)).ok }).toEqual({ source, ok: true });
    }
    // Most damage is noticed (a flipped bit in a flat run of an RLE or JPEG 2000 stream may not be).
    expect(refused).toBeGreaterThan(sources.length * 10);
  }, 120000);

  it.each([
    ['JPEG lossless', 'dcmcjpeg'],
    ['JPEG-LS', 'dcmcjpls'],
  ])('a %s stream the codec fails on does not spoil the images decoded after it', async (_name, tool) => {
    const good = sources.find((s) => s.includes(ENCODERS.find((e) => e.tool === tool && e.options.length === 0)!.transferSyntax))!;
    const before = await decoded(good);
    const corrupt = corruptMiddle(good, dir);
    // Measured before the fix: after 28 corrupt JPEG streams every later JPEG, JPEG-LS and JPEG 2000
    // image in the process failed with "memory access out of bounds", and a few more corrupt ones
    // later a decode never returned (a loop in the WASM: the worker hung).
    for (let i = 0; i < 40; i++) {
      const r = await decodePixels(corrupt, 'wasm');
      expect(isNotAnalysable(r) && r.reason).toMatch(/^not analysable: pixel data cannot be decoded \(dcmjs-codecs/);
      const again = await decodePixels(good, 'wasm');
      expect({ after: i + 1, reason: isNotAnalysable(again) ? again.reason : undefined }).toEqual({ after: i + 1, reason: undefined });
      if (!isNotAnalysable(again)) expect(Buffer.from(again.pixels.buffer).equals(Buffer.from(before.pixels.buffer))).toBe(true);
    }
    // A good image waiting while a damaged one fails beside it is decoded by the fresh instance.
    const [bad, fine] = await Promise.all([decodePixels(corrupt, 'wasm'), decodePixels(good, 'wasm')]);
    expect(isNotAnalysable(bad)).toBe(true);
    expect(isNotAnalysable(fine) ? fine.reason : 'decoded').toBe('decoded');
  }, 60000);
});
