import type { InferenceSession } from 'onnxruntime-node';
import type { ExecutionProviderName } from './executionProvider';

/**
 * The options of every onnxruntime session the inference worker creates.
 *
 * Idle intra-op threads sleep instead of spinning. onnxruntime's default keeps them busy-waiting
 * between kernels and between runs, which suits a machine given to one model; here the receiver,
 * Redis and other workers share the same few cores. Six interleaved pairs of `npm run bench:e2e` on
 * 2 cores, median studies per hour: 327 → 361 with one worker, 337 → 387 with two, 8 % less CPU
 * time in all. One image alone on an idle host (`bench:infer`) takes −4 to +7 % as long, about 6 %
 * less CPU (models/HISTORY.md, "Speed: tiles cut at the skin line"). The Node binding passes `extra`
 * on as session config entries, its keys joined with dots: `session.intra_op.allow_spinning`.
 */
export function inferenceSessionOptions(
  provider: ExecutionProviderName,
  threads: number,
): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    // onnxruntime-node rejects an undefined thread count: leave the key out for its default.
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}
