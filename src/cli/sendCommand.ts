import * as path from 'path';
import { Command } from 'commander';
import { parseDestinations } from '../config/destinations';
import { loadConfig } from '../config/loadConfig';
import { storeFiles, InstanceStoreResult } from '../export/storeScu';
import { tlsOptionsFromConfig } from '../export/tlsOptions';
import { collectDicomFiles } from '../dicom/collectDicomFiles';
import { decimalArgument } from './argumentParsers';

/** Files per association: bounds memory and lets a long send make progress visibly. */
const FILES_PER_ASSOCIATION = 50;

/** `mammocad send <paths...> --to AET@host:port`: C-STORE any DICOM files, each in its own transfer syntax. */
export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('send DICOM files or folders to a DICOM node (C-STORE), e.g. to test routing')
    .argument('<paths...>', 'files or folders (searched recursively for DICOM Part 10 files)')
    .requiredOption('--to <AET@host:port>', 'destination')
    .option('--calling-ae <AET>', 'our calling AE title (default: config aeTitle)')
    .option('--tls', 'connect over TLS using config.tls (certFile/keyFile/caFile)', false)
    .option('--timeout <seconds>', 'longest silence tolerated from the destination', decimalArgument('a number of seconds above 0', true), 30)
    .action(async (paths: string[], o: { to: string; callingAe?: string; tls: boolean; timeout: number }) => {
      const config = loadConfig();
      const targets = parseDestinations(o.to, '--to');
      const [target] = targets;
      if (targets.length !== 1 || !('aeTitle' in target)) throw new Error('--to: expected one AET@host:port (send speaks C-STORE)');
      const files = collectDicomFiles(paths);
      if (files.length === 0) throw new Error(`no DICOM files found in ${paths.join(', ')}`);
      const results: InstanceStoreResult[] = [];
      for (let i = 0; i < files.length; i += FILES_PER_ASSOCIATION) {
        const batch = await storeFiles(target, files.slice(i, i + FILES_PER_ASSOCIATION), {
          callingAeTitle: o.callingAe ?? config.aeTitle,
          timeoutMs: o.timeout * 1000,
          ...(o.tls ? { tls: tlsOptionsFromConfig(config.tls) } : {}),
        });
        for (const r of batch) {
          const mark = r.outcome === 'delivered' ? 'OK  ' : r.outcome === 'warning' ? 'WARN' : 'FAIL';
          process.stdout.write(`${mark} ${r.sopInstanceUid} ${path.relative(process.cwd(), r.file)} ${r.detail}\n`);
        }
        results.push(...batch);
      }
      const failed = results.filter((r) => r.outcome === 'failed').length;
      process.stdout.write(`${results.length - failed} of ${results.length} delivered to ${o.to}\n`);
      if (failed > 0) process.exitCode = 1;
    });
}
