import * as path from 'path';
import { Command } from 'commander';
import { auditSentFiles } from '../audit/auditSentFiles';
import { startAuditTrail, stopAuditTrail } from '../audit/auditTrail';
import { parseDestinations } from '../config/destinations';
import { loadConfig } from '../config/loadConfig';
import { storeFiles, InstanceStoreResult } from '../export/storeScu';
import { stowFiles } from '../export/stowRs';
import { tlsOptionsFromConfig } from '../tls/tlsOptions';
import { collectDicomFiles } from '../dicom/collectDicomFiles';
import { decimalArgument } from './argumentParsers';

/** Files per association (or STOW-RS request): bounds memory and lets a long send make progress visibly. */
const FILES_PER_BATCH = 50;

/**
 * `mammocad send <paths...> --to AET@host:port`: C-STORE any DICOM files, each in its own transfer
 * syntax; `--to <DICOMweb base URL>` sends them by STOW-RS instead (to test a destination before go-live).
 */
export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('send DICOM files or folders to a DICOM node (C-STORE) or a DICOMweb service (STOW-RS), e.g. to test routing')
    .argument('<paths...>', 'files or folders (searched recursively for DICOM Part 10 files)')
    .requiredOption('--to <AET@host:port|URL>', 'destination')
    .option('--calling-ae <AET>', 'our calling AE title (default: config aeTitle)')
    .option('--tls', 'connect over TLS using config.tls (certFile/keyFile/caFile)', false)
    .option('--authorization-env <NAME>', "STOW-RS: the environment variable holding the Authorization header value")
    .option('--timeout <seconds>', 'longest silence tolerated from the destination', decimalArgument('a number of seconds above 0', true), 30)
    .action(async (paths: string[], o: { to: string; callingAe?: string; tls: boolean; authorizationEnv?: string; timeout: number }) => {
      const config = loadConfig();
      const targets = parseDestinations(o.to, '--to');
      if (targets.length !== 1) throw new Error('--to: expected one AET@host:port or DICOMweb URL');
      const [target] = targets;
      const authorization = o.authorizationEnv ? process.env[o.authorizationEnv] : undefined;
      if (o.authorizationEnv && !authorization) throw new Error(`--authorization-env: ${o.authorizationEnv} is not set`);
      startAuditTrail(config, 'mammocad send');
      const files = collectDicomFiles(paths);
      if (files.length === 0) throw new Error(`no DICOM files found in ${paths.join(', ')}`);
      const send = (batch: string[]): Promise<InstanceStoreResult[]> =>
        'url' in target
          ? stowFiles(target.url, batch, { timeoutMs: o.timeout * 1000, authorization })
          : storeFiles(target, batch, {
              callingAeTitle: o.callingAe ?? config.aeTitle,
              timeoutMs: o.timeout * 1000,
              ...(o.tls ? { tls: tlsOptionsFromConfig(config.tls) } : {}),
            });
      const results: InstanceStoreResult[] = [];
      for (let i = 0; i < files.length; i += FILES_PER_BATCH) {
        const batch = await send(files.slice(i, i + FILES_PER_BATCH));
        for (const r of batch) {
          const mark = r.outcome === 'delivered' ? 'OK  ' : r.outcome === 'warning' ? 'WARN' : 'FAIL';
          process.stdout.write(`${mark} ${r.sopInstanceUid} ${path.relative(process.cwd(), r.file)} ${r.detail}\n`);
        }
        results.push(...batch);
      }
      const destination = 'url' in target ? { url: target.url } : { aeTitle: target.aeTitle, address: target.host };
      await auditSentFiles(destination, results.map((r) => ({ ...r, delivered: r.outcome !== 'failed' })));
      await stopAuditTrail();
      const failed = results.filter((r) => r.outcome === 'failed').length;
      process.stdout.write(`${results.length - failed} of ${results.length} delivered to ${o.to}\n`);
      if (failed > 0) process.exitCode = 1;
    });
}
