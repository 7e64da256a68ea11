import * as ort from 'onnxruntime-node';
async function main() {
  const files = process.argv.slice(2);
  const sessions = await Promise.all(files.map((f) => ort.InferenceSession.create(f, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' })));
  const input = new Float32Array(4 * 512 * 512).map((_, i) => Math.sin(i / 13));
  const times = files.map(() => [] as number[]);
  for (let r = 0; r < 12; r++)
    for (let k = 0; k < sessions.length; k++) {
      const t = performance.now();
      const out = await sessions[k].run({ image: new ort.Tensor('float32', input, [4, 1, 512, 512]) });
      times[k].push(performance.now() - t);
      for (const v of Object.values(out)) v.dispose();
    }
  files.forEach((f, k) => { const s = times[k].slice(2).sort((a, b) => a - b); console.log(f, 'median ms per 4 tiles', s[Math.floor(s.length / 2)].toFixed(1)); });
}
void main();
