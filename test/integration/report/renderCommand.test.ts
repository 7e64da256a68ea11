import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { registerRenderCommand } from '../../../src/cli/renderCommand';
import { writeReports } from '../../../src/report';
import { writeMgImage } from '../../helpers/mgImage';
import { reportScenario } from '../../helpers/reportScenarios';

describe('mammocad render', () => {
  test('writes a downscaled PNG of the image with the GSPS marks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-render-cmd-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const s = reportScenario('oneCluster');
      const image = path.join(dir, 'lcc.dcm');
      writeMgImage(image, s.headers[2]);
      const reports = await writeReports(s.study, s.headers, dir, { operatingPoint: 0.3 });
      const out = path.join(dir, 'out.png');
      const program = new Command('mammocad').exitOverride();
      registerRenderCommand(program);
      await program.parseAsync(
        ['render', '--image', image, '--marks', reports.gsps, '--out', out, '--max-width', '64'],
        { from: 'user' },
      );
      const png = PNG.sync.read(fs.readFileSync(out));
      expect([png.width, png.height]).toEqual([64, 80]);
      expect(log).toHaveBeenCalledWith(`${out}: 64x80, 1 marks`);
    } finally {
      log.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
