import type { Config } from '../config/schema';
import type { ExportDestination } from './destinations';
import { StoreError } from './storeErrors';
import { CAD_OBJECT_SOP_CLASSES, InstanceStoreResult, storeFilesOrThrow, type StoreOptions } from './storeScu';
import { stowFilesOrThrow } from './stowRs';
import { tlsOptionsFromConfig } from '../tls/tlsOptions';

/** Sends one object to one destination in the protocol it speaks; throws a StoreError unless delivered. */
export async function sendToDestination(config: Config, destination: ExportDestination, file: string): Promise<InstanceStoreResult> {
  const timeoutMs = config.export.timeoutSeconds * 1000;
  if (destination.kind === 'stow') {
    const { authorizationEnv } = destination;
    const authorization = authorizationEnv ? process.env[authorizationEnv] : undefined;
    if (authorizationEnv && !authorization)
      throw new StoreError(`${destination.label}: the environment variable ${authorizationEnv} (authorizationEnv) is not set in this worker`, destination.label);
    const [result] = await stowFilesOrThrow(destination.url, [file], { timeoutMs, authorization });
    return result;
  }
  const [result] = await storeFilesOrThrow(destination, [file], { ...dimseOptions(config, destination), extraSopClasses: CAD_OBJECT_SOP_CLASSES });
  return result;
}

/** How the node opens an association to a DIMSE destination: our calling AE title, the timeout, TLS when marked. */
export function dimseOptions(config: Config, destination: Extract<ExportDestination, { kind: 'dimse' }>): StoreOptions {
  return {
    callingAeTitle: config.export.callingAeTitle ?? config.aeTitle,
    timeoutMs: config.export.timeoutSeconds * 1000,
    ...(destination.tls ? { tls: tlsOptionsFromConfig(config.tls) } : {}),
  };
}
