import type { Config, Destination } from '../config/schema';
import type { ReportObjectKind } from '../queue/jobTypes';
import { endpointLabel } from './storeScu';

/** One place a study's objects go, with the objects it wants: a C-STORE peer or a STOW-RS service. */
export type ExportDestination =
  | { kind: 'dimse'; aeTitle: string; host: string; port: number; tls: boolean; storageCommitment: boolean; objects: ReportObjectKind[]; label: string }
  | { kind: 'stow'; url: string; authorizationEnv?: string; objects: ReportObjectKind[]; label: string };

const ALL_OBJECTS: ReportObjectKind[] = ['mammoCadSr', 'tid1500Sr', 'gsps'];

/** The label (AET@host:port, or the STOW-RS base URL) keys job ids, export records and metrics. */
function fromConfigured(d: Destination): ExportDestination {
  if ('url' in d) return { kind: 'stow', url: d.url, authorizationEnv: d.authorizationEnv, objects: [...d.objects], label: d.url };
  return { kind: 'dimse', aeTitle: d.aeTitle, host: d.host, port: d.port, objects: [...d.objects], tls: d.tls, storageCommitment: d.storageCommitment, label: endpointLabel(d) };
}

/**
 * Destinations for one study: every configured destination, plus the sender when replyToSender is
 * on and its AE title is in export.knownAes (an unknown sender is skipped: we never dial an address
 * we were not told about). Duplicates (same AET@host:port) merge their object lists.
 */
export function destinationsForStudy(exportConfig: Config['export'], callingAe?: string): ExportDestination[] {
  const list = exportConfig.destinations.map(fromConfigured);
  if (exportConfig.replyToSender && callingAe) {
    const known = exportConfig.knownAes[callingAe.trim()];
    if (known) {
      list.push({
        kind: 'dimse',
        aeTitle: callingAe.trim(),
        host: known.host,
        port: known.port,
        objects: [...ALL_OBJECTS],
        tls: false,
        storageCommitment: false,
        label: endpointLabel({ aeTitle: callingAe.trim(), host: known.host, port: known.port }),
      });
    }
  }
  const merged = new Map<string, ExportDestination>();
  for (const d of list) {
    const seen = merged.get(d.label);
    if (!seen) merged.set(d.label, d);
    else seen.objects = ALL_OBJECTS.filter((o) => seen.objects.includes(o) || d.objects.includes(o));
  }
  return [...merged.values()];
}

/** Parses the label form back (used by the export job, whose payload carries only the label). */
export function findDestination(exportConfig: Config['export'], label: string, callingAe?: string): ExportDestination | undefined {
  return destinationsForStudy(exportConfig, callingAe).find((d) => d.label === label);
}
