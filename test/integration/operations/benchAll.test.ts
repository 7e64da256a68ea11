import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBenchmarks } from '../../../scripts/bench/all';

/** The runner with stand-in benchmark scripts: one good, one failing, one writing nonsense, one missing. */
describe('npm run bench runner', () => {
  it('collects each benchmark, and lists a missing or failing one as not available with the reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-benchall-'));
    const jsonArg = "const out = process.argv[process.argv.indexOf('--json') + 1];";
    fs.writeFileSync(
      path.join(dir, 'ingest.ts'),
      `import * as fs from 'fs';\n${jsonArg}\nfs.writeFileSync(out, JSON.stringify({ figures: [{ name: 'images', value: 9, unit: 'images/s', peer: { name: 'storescp', value: 10 } }] }));\n`,
    );
    fs.writeFileSync(path.join(dir, 'infer.ts'), "console.error('model file missing');\nprocess.exit(3);\n");
    fs.writeFileSync(path.join(dir, 'e2e.ts'), `import * as fs from 'fs';\n${jsonArg}\nfs.writeFileSync(out, '{"odd": 1}');\n`);
    const outcomes = await runBenchmarks({ benchDir: dir, timeoutMs: 60_000 });
    expect(outcomes.map((o) => [o.name, o.status])).toEqual([
      ['ingest', 'ok'],
      ['imaging', 'not available'],
      ['infer', 'not available'],
      ['e2e', 'not available'],
    ]);
    expect(outcomes[0]).toMatchObject({ figures: [{ name: 'images', value: 9 }] });
    expect(outcomes[1]).toMatchObject({ reason: 'imaging.ts does not exist yet' });
    expect(outcomes[2]).toMatchObject({ reason: 'exit 3, no JSON written: model file missing' });
    expect(outcomes[3]).toMatchObject({ reason: expect.stringMatching(/^result unreadable: unknown result format/) });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
