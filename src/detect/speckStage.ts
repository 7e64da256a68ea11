import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { DetectedSpeck } from './detectedSpeck';
import {
  cutSpeckCrops,
  SPECK_CROP_CHANNELS,
  SPECK_CROP_FLOATS,
  SPECK_CROP_PX,
  type SpeckCropSource,
} from './speckCrops';

/** Crops per session.run: a film image can hold thousands of grain specks. */
const BATCH = 512;

/**
 * The speck stage (models/mammocad-calc-speck-stage.onnx, `npm run train:speck-stage`): a small CNN
 * that reads each speck's crop (speckCrops.ts) and gives the logit that it is a calcification, one
 * per network in the file. The speck certainty averages them; its trainer reads only the networks
 * that never saw a study (since 0.3.18 both networks learn every training study, and the certainty
 * is fitted on other studies). It runs at the candidates only, so its cost is small beside the
 * detector's (models/HISTORY.md, "0.3.17", "0.3.18").
 */
export async function scoreSpecksWithStage(
  ort: { Tensor: typeof OrtTensor },
  session: InferenceSession,
  source: SpeckCropSource,
  specks: DetectedSpeck[],
): Promise<DetectedSpeck[]> {
  const scored: DetectedSpeck[] = [];
  // Cut and scored a batch at a time, so a film image's thousands of crops are never all in memory.
  for (let start = 0; start < specks.length; start += BATCH) {
    const batch = specks.slice(start, start + BATCH);
    const logits = await stageLogitsOfCrops(ort, session, cutSpeckCrops(source, batch));
    batch.forEach((s, i) => scored.push({ ...s, stageLogits: logits[i] }));
  }
  return scored;
}

/** Each crop's logit from each of the stage's networks (crops: N × 4 × 32 × 32, as cutSpeckCrops
 * cuts them); also what the certainty's trainer scores dumped crops with. */
export async function stageLogitsOfCrops(
  ort: { Tensor: typeof OrtTensor },
  session: InferenceSession,
  crops: Float32Array,
): Promise<number[][]> {
  const count = crops.length / SPECK_CROP_FLOATS;
  const rows: number[][] = [];
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const input = new ort.Tensor(
      'float32',
      crops.subarray(start * SPECK_CROP_FLOATS, (start + n) * SPECK_CROP_FLOATS),
      [n, SPECK_CROP_CHANNELS, SPECK_CROP_PX, SPECK_CROP_PX],
    );
    const result = await session.run({ [session.inputNames[0]]: input });
    const logits = result[session.outputNames[0]].data as Float32Array;
    const perCrop = logits.length / n;
    if (!Number.isInteger(perCrop) || perCrop < 1)
      throw new Error(`the speck stage gave ${logits.length} logits for ${n} crops`);
    for (let i = 0; i < n; i++) rows.push(Array.from(logits.subarray(i * perCrop, (i + 1) * perCrop)));
    for (const tensor of Object.values(result)) tensor.dispose();
  }
  return rows;
}
