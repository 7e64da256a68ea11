import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeReports } from '../../../src/report';
import { haveCommand } from '../../helpers/dicomValidators';
import { reportScenario, testReportOptions } from '../../helpers/reportScenarios';

/**
 * dsrdump's listing of the one-cluster Mammography CAD SR must equal the reviewed golden listing
 * (test/golden/mammoCadSr.oneCluster.txt). MAMMOCAD_UPDATE_GOLDEN=1 rewrites it, to be reviewed again.
 */
const golden = path.join(__dirname, '../../golden/mammoCadSr.oneCluster.txt');
const describeIfDsrdump = haveCommand('dsrdump') ? describe : describe.skip;

describeIfDsrdump('Mammography CAD SR golden tree', () => {
  test('one cluster: dsrdump listing matches the reviewed golden file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-golden-'));
    try {
      const s = reportScenario('oneCluster');
      const paths = await writeReports(s.study, s.headers, dir, testReportOptions);
      const listing = spawnSync('dsrdump', [paths.mammoCadSr], { encoding: 'utf8', timeout: 60_000 }).stdout;
      if (process.env.MAMMOCAD_UPDATE_GOLDEN === '1') fs.writeFileSync(golden, listing);
      expect(listing).toBe(fs.readFileSync(golden, 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
