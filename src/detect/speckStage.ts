import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { DetectedSpeck } from './detectedSpeck';
import { cutSpeckCrops, SPECK_CROP_CHANNELS, SPECK_CROP_PX, type SpeckCropSource } from './speckCrops';

/** Crops per session.run: a film image can hold thousands of grain specks. */
const BATCH = 512;

/**
 * The speck stage (models/mammocad-calc-speck-stage.onnx, `npm run train:speck-stage`): a small CNN
 * that reads each speck's crop (speckCrops.ts) and gives the logit that it is a calcification, one
 * per network in the file (it holds the networks trained on each fold of the training studies;
 * the speck certainty averages them, and its trainer takes each training study's out-of-fold one).
 * It runs at the candidates only, so its cost is small beside the detector's
 * (models/HISTORY.md, "0.3.17").
 */
export async function scoreSpecksWithStage(
  ort: { Tensor: typeof OrtTensor },
  session: InferenceSession,
  source: SpeckCropSource,
  specks: DetectedSpeck[],
): Promise<DetectedSpeck[]> {
  const scored: DetectedSpeck[] = [];
  for (let start = 0; start < specks.length; start += BATCH) {
    const batch = specks.slice(start, start + BATCH);
    const crops = cutSpeckCrops(source, batch);
    const input = new ort.Tensor('float32', crops, [
      batch.length,
      SPECK_CROP_CHANNELS,
      SPECK_CROP_PX,
      SPECK_CROP_PX,
    ]);
    const result = await session.run({ [session.inputNames[0]]: input });
    const output = result[session.outputNames[0]];
    const logits = output.data as Float32Array;
    const perSpeck = logits.length / batch.length;
    if (!Number.isInteger(perSpeck) || perSpeck < 1) {
      throw new Error(`the speck stage gave ${logits.length} logits for ${batch.length} specks`);
    }
    batch.forEach((s, i) =>
      scored.push({ ...s, stageLogits: Array.from(logits.subarray(i * perSpeck, (i + 1) * perSpeck)) }),
    );
    for (const tensor of Object.values(result)) tensor.dispose();
  }
  return scored;
}
