import { inferenceSessionOptions } from '../../../src/detect/sessionOptions';

describe('inferenceSessionOptions', () => {
  it('names the provider, the thread count and idle threads that do not spin', () => {
    const options = inferenceSessionOptions('cpu', 2);
    expect(options.executionProviders).toEqual(['cpu']);
    expect(options.intraOpNumThreads).toBe(2);
    expect(options.interOpNumThreads).toBe(1);
    // onnxruntime reads the flattened key session.intra_op.allow_spinning; anything but "1" stops spinning.
    expect(options.extra).toEqual({ session: { intra_op: { allow_spinning: '0' } } });
  });

  it("leaves the thread count out for onnxruntime's default when none is configured", () => {
    const options = inferenceSessionOptions('webgpu', 0);
    expect(options.executionProviders).toEqual(['webgpu']);
    expect('intraOpNumThreads' in options).toBe(false);
  });
});
