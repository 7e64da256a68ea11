/**
 * Child process for webgpuProvider.test.ts. The Vulkan driver is chosen by the environment the process
 * starts with, and a failed WebGPU adapter request stays failed for the whole process, so each
 * provider check runs in a process of its own. Analyses one synthetic prepared image on the
 * execution provider named by argv[2] and prints one JSON line: the clusters found, or the error.
 */
import { syntheticPreparedImage } from '../../scripts/bench/syntheticWorkingImage';
import { configSchema } from '../../src/config/schema';
import { analysePreparedImage } from '../../src/detect/analyseImage';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';

async function main(): Promise<void> {
  const config = configSchema.parse({ inference: { executionProvider: process.argv[2], threads: 1 } });
  const { image } = syntheticPreparedImage({
    width: 700,
    height: 560,
    seed: 5,
    clusters: [{ center: { x: 330, y: 280 }, specks: 9, diameterMm: [0.25, 0.5], radiusMm: 3, cnr: 7 }],
  });
  try {
    const findings = await analysePreparedImage(image, await getDetectionRuntime(config));
    console.log(
      JSON.stringify({
        status: findings.status,
        failureReason: findings.failureReason,
        clusters: findings.clusters,
      }),
    );
  } catch (error) {
    console.log(JSON.stringify({ error: (error as Error).message }));
  } finally {
    await closeDetectionRuntimes();
  }
}

void main();
