import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

/** The PyTorch side: a network with random weights and BatchNorm statistics, its ONNX export, and
 * what PyTorch computes for one input, so onnxruntime's result can be compared with it. */
const exportRandomNetwork = (onnxPath: string, localContrast: boolean) =>
  [
    'import sys, json, torch',
    `sys.path.insert(0, ${JSON.stringify(TRAIN_SCRIPTS)})`,
    'from detector_net import CalcificationNet, ExportedDetector, export_onnx, padded_to_block',
    'torch.manual_seed(7)',
    `net = CalcificationNet((12, 24, 48, 64), centre_head_depth=2, centre_head_half=True, local_contrast=${localContrast ? 'True' : 'False'})`,
    'for name, t in net.state_dict().items():',
    '    if t.is_floating_point(): t.copy_(torch.rand_like(t) + 0.5 if "running_var" in name else torch.randn_like(t) * 0.3)',
    'net.eval()',
    'x = torch.randn(1, 1, 64, 48); x[..., :10] = -4  # a strip of background, flat as outside the breast',
    'with torch.no_grad(): heatmap, centre = ExportedDetector(net)(x)',
    `export_onnx(net, ${JSON.stringify(onnxPath)})`,
    'print(json.dumps({"widths": list(padded_to_block(net).widths), "input": x.flatten().tolist(), "heatmap": heatmap.flatten().tolist(), "centre": centre.flatten().tolist()}))',
  ].join('\n');

/** The onnxruntime-node side, in a plain Node process: onnxruntime's output tensors fail the
 * Float32Array check inside Jest's sandbox. Reads the input from stdin, prints the outputs. */
const runWithOnnxruntime = (onnxPath: string) => `
  const ort = require('onnxruntime-node');
  const input = Float32Array.from(JSON.parse(require('node:fs').readFileSync(0, 'utf8')));
  ort.InferenceSession.create(${JSON.stringify(onnxPath)})
    .then((s) => s.run({ image: new ort.Tensor('float32', input, [1, 1, 64, 48]) }))
    .then((o) => console.log(JSON.stringify({ heatmap: Array.from(o.heatmap.data), centre: Array.from(o.centre_logits.data), centreDims: o.centre_logits.dims })));
`;

describeWithTorch('detector ONNX export (detector_net.py)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-export-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // With the local-contrast input, onnxruntime's average pooling must also count only the pixels
  // inside the image at its border, as PyTorch's does.
  it.each([false, true])("pads the widths to onnxruntime's 16-channel block and the ONNX computes the trained network's outputs (local contrast %s)", async (localContrast) => {
    const onnxPath = path.join(dir, `detector-${localContrast}.onnx`);
    const torchSide = JSON.parse(
      execFileSync(PYTHON, ['-c', exportRandomNetwork(onnxPath, localContrast)], { encoding: 'utf8' }),
    ) as {
      widths: number[];
      input: number[];
      heatmap: number[];
      centre: number[];
    };
    expect(torchSide.widths).toEqual([16, 32, 48, 64]);

    const ortSide = JSON.parse(
      execFileSync(process.execPath, ['-e', runWithOnnxruntime(onnxPath)], {
        input: JSON.stringify(torchSide.input),
        encoding: 'utf8',
      }),
    ) as {
      heatmap: number[];
      centre: number[];
      centreDims: number[];
    };
    const { heatmap, centre } = ortSide;
    expect(ortSide.centreDims).toEqual([1, 1, 32, 24]);
    expect(heatmap).toHaveLength(64 * 48);
    const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(maxDiff(heatmap, torchSide.heatmap)).toBeLessThan(1e-5);
    expect(maxDiff(centre, torchSide.centre)).toBeLessThan(1e-4);
    // Random weights give a varied map, so equality above is not two constant outputs agreeing.
    expect(Math.max(...heatmap) - Math.min(...heatmap)).toBeGreaterThan(0.05);
  });
});
