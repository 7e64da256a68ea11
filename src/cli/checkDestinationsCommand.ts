import { Command } from 'commander';
import { loadConfig } from '../config/loadConfig';
import { checkDestination } from '../export/checkDestination';
import { destinationsForStudy } from '../export/destinations';
import { tlsOptionsFromConfig } from '../tls/tlsOptions';

/**
 * `mammocad check-destinations`: before go-live (or when exports fail), asks every configured
 * destination whether it can take what we send, without sending anything. Exit 1 if one cannot.
 */
export function registerCheckDestinationsCommand(program: Command): void {
  program
    .command('check-destinations')
    .description('check every configured export destination: C-ECHO and the SOP classes it accepts, or a DICOMweb query')
    .action(async () => {
      const config = loadConfig();
      const destinations = destinationsForStudy(config.export);
      if (destinations.length === 0) throw new Error('no export destinations configured (export.destinations, MAMMOCAD_DESTINATIONS)');
      let failed = 0;
      for (const d of destinations) {
        const check = await checkDestination(d, {
          callingAeTitle: config.export.callingAeTitle ?? config.aeTitle,
          timeoutMs: config.export.timeoutSeconds * 1000,
          ...(d.kind === 'dimse' && d.tls ? { tls: tlsOptionsFromConfig(config.tls) } : {}),
          ...(d.kind === 'stow' && d.authorizationEnv ? { authorization: process.env[d.authorizationEnv] } : {}),
        });
        process.stdout.write(`${check.ok ? 'OK  ' : 'FAIL'} ${check.destination}\n${check.lines.map((l) => `     ${l}\n`).join('')}`);
        if (!check.ok) failed += 1;
      }
      if (failed > 0) process.exitCode = 1;
    });
}
