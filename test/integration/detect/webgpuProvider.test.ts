import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterFinding } from '../../../src/findings/types';

/**
 * The webgpu execution provider run for real, without a GPU: Mesa's software Vulkan driver
 * (lavapipe), which `scripts/setup.sh test` provides through scripts/softwareVulkan.sh, stands in for
 * a GPU's driver. It is slow (about 25 s for a whole mammogram on 2 cores) but runs the same WebGPU
 * kernels, so it checks that the worker's sessions, the batched tiles and the cluster-region CNN give
 * the cpu provider's findings there.
 */
const repoRoot = path.join(__dirname, '../../..');
const softwareVulkanDriver = path.join(repoRoot, '.cache/software-vulkan/lvp_icd.json');

/** The software driver takes about 25 s for a mammogram on 2 idle cores, several times that on busy ones. */
const CHILD_TIMEOUT_MS = 180_000;

/** Runs test/helpers/providerFindingsProcess.ts on `provider` with the Vulkan driver file given. */
function findingsOn(
  provider: string,
  vulkanDriverFile: string,
): { clusters?: ClusterFinding[]; status?: string; error?: string } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'test/helpers/providerFindingsProcess.ts'), provider],
    {
      cwd: repoRoot,
      env: { ...process.env, VK_DRIVER_FILES: vulkanDriverFile },
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{'))
    throw new Error(
      `${provider}: no result (${child.signal ? `killed by ${child.signal}, over ${CHILD_TIMEOUT_MS / 1000} s` : `exit ${child.status}`}):\n${child.stdout}\n${child.stderr}`,
    );
  return JSON.parse(line);
}

describe('webgpu execution provider', () => {
  it('refuses to start without a Vulkan device, naming the provider and the remedy (no CPU fallback)', () => {
    const result = findingsOn('webgpu', '/nonexistent/vulkan-driver.json');
    expect(result.clusters).toBeUndefined();
    expect(result.error).toMatch(
      /cannot start the "webgpu" execution provider .*No supported adapters.*Vulkan driver/s,
    );
  });

  // scripts/softwareVulkan.sh warns when it cannot provide the driver (no network, or a backport
  // that needs newer libraries): then this comparison is skipped rather than failing every run.
  (fs.existsSync(softwareVulkanDriver) ? it : it.skip)(
    'finds the clusters the cpu provider finds, with the same scores, on the software Vulkan driver',
    () => {
      const cpu = findingsOn('cpu', softwareVulkanDriver);
      const webgpu = findingsOn('webgpu', softwareVulkanDriver);
      expect(webgpu.error).toBeUndefined();
      expect(webgpu.status).toBe('analysed');
      expect(cpu.clusters!.length).toBeGreaterThanOrEqual(1);
      expect(webgpu.clusters!.map((c) => c.calcifications.length)).toEqual(
        cpu.clusters!.map((c) => c.calcifications.length),
      );
      webgpu.clusters!.forEach((c, i) => {
        const reference = cpu.clusters![i];
        expect(c.center.x).toBeCloseTo(reference.center.x, 2);
        expect(c.center.y).toBeCloseTo(reference.center.y, 2);
        expect(c.detectionScore).toBeCloseTo(reference.detectionScore, 4);
        expect(c.malignancy).toBeCloseTo(reference.malignancy, 4);
      });
    },
    2 * CHILD_TIMEOUT_MS + 20_000,
  );
});
