/** The execution providers this node can be configured with (config inference.executionProvider). */
export type ExecutionProviderName = 'cpu' | 'cuda' | 'webgpu';

/**
 * onnxruntime does not fall back silently when a provider is missing: it fails to create the session.
 * Say what to do about it, since the raw error ("... not supported in this build") rarely does.
 */
export function providerStartupHint(provider: ExecutionProviderName): string {
  switch (provider) {
    case 'cuda':
      return 'the cuda provider needs a CUDA 12 host and onnxruntime-node installed with ONNXRUNTIME_NODE_INSTALL=cuda12 (npm install), and CUDA 12 with cuDNN 9 on the library path; see docs/operations.md, GPU workers';
    case 'webgpu':
      return 'the webgpu provider is bundled but needs a Vulkan driver that WebGPU accepts (a GPU\'s; Mesa\'s software driver only from Mesa 25, and slowly); use "cpu" on machines without one';
    default:
      return 'the cpu provider is always present: the model file may be missing or damaged';
  }
}
