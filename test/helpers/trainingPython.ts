import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Debian's interpreter with python3-torch (the first python3 on PATH may lack it). */
export const PYTHON = '/usr/bin/python3';
export const TRAIN_SCRIPTS = path.join(__dirname, '../../scripts/train');

const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

/**
 * describe() for a test that runs a training script; skipped where torch is missing, with a warning
 * in the output so a skipped smoke run is never mistaken for a passing one.
 */
export function describeWithTorch(name: string, body: () => void): void {
  (hasTorch ? describe : describe.skip)(name, body);
  if (!hasTorch)
    console.warn(`${name} skipped: ${PYTHON} cannot import torch and numpy (apt-get install python3-torch python3-numpy)`);
}
