import * as fs from 'fs';
import * as path from 'path';
import { ZodError } from 'zod';
import { Config, configSchema } from './schema';
import { parseDestinations } from './destinations';
import { ConfigError } from './configError';

export { ConfigError };

type Env = Record<string, string | undefined>;

/** Environment variable → config path and how to read its text. */
const ENV_KEYS: Array<[string, string, (v: string, name: string) => unknown]> = [
  ['MAMMOCAD_AE_TITLE', 'aeTitle', (v) => v],
  ['MAMMOCAD_DICOM_PORT', 'dicomPort', asInteger],
  ['MAMMOCAD_HTTP_PORT', 'httpPort', asInteger],
  ['MAMMOCAD_DATA_DIR', 'dataDir', (v) => v],
  ['MAMMOCAD_REDIS_URL', 'redisUrl', (v) => v],
  ['MAMMOCAD_LOG_LEVEL', 'logLevel', (v) => v],
  ['MAMMOCAD_EVENT_LOOP_WATCHDOG_SECONDS', 'eventLoopWatchdogSeconds', asNumber],
  ['MAMMOCAD_ALLOWED_CALLING_AES', 'receiver.allowedCallingAes', asList],
  ['MAMMOCAD_ALLOWED_SOURCE_ADDRESSES', 'receiver.allowedSourceAddresses', asList],
  ['MAMMOCAD_MAX_ASSOCIATIONS', 'receiver.maxAssociations', asInteger],
  ['MAMMOCAD_MIN_FREE_DISK_MB', 'receiver.minFreeDiskMb', asInteger],
  ['MAMMOCAD_NOT_ANALYSED_IMAGE_TYPES', 'receiver.notAnalysedImageTypes', asList],
  ['MAMMOCAD_ANALYSE_QC_IMAGES', 'receiver.analyseQualityControlImages', asBoolean],
  ['MAMMOCAD_SETTLE_SECONDS', 'pipeline.settleSeconds', asNumber],
  ['MAMMOCAD_JOB_ATTEMPTS', 'pipeline.attempts', asInteger],
  ['MAMMOCAD_JOB_BACKOFF_MS', 'pipeline.backoffMs', asInteger],
  ['MAMMOCAD_STALLED_SECONDS', 'pipeline.stalledSeconds', asNumber],
  ['MAMMOCAD_EXPORT_TIMEOUT_SECONDS', 'export.timeoutSeconds', asNumber],
  ['MAMMOCAD_EXPORT_ATTEMPTS', 'export.retry.attempts', asInteger],
  ['MAMMOCAD_DESTINATIONS', 'export.destinations', parseDestinations],
  ['MAMMOCAD_REPLY_TO_SENDER', 'export.replyToSender', asBoolean],
  ['MAMMOCAD_EXECUTION_PROVIDER', 'inference.executionProvider', (v) => v],
  ['MAMMOCAD_MODEL_DIR', 'inference.modelDir', (v) => v],
  ['MAMMOCAD_INFERENCE_THREADS', 'inference.threads', asInteger],
  ['MAMMOCAD_WORKER_CONCURRENCY', 'worker.concurrency', asInteger],
  ['MAMMOCAD_WORKING_SPACING_MM', 'imaging.workingSpacingMm', asNumber],
  ['MAMMOCAD_JPEG2000_DECODER', 'imaging.jpeg2000Decoder', (v) => v],
  ['MAMMOCAD_ANALYSE_IMPLANT_VIEWS', 'imaging.analyseImplantViews', asBoolean],
  ['MAMMOCAD_HTTP_TOKEN', 'http.token', (v) => v],
  ['MAMMOCAD_HTTP_TLS', 'http.tls', asBoolean],
  ['MAMMOCAD_HTTP_USERS_FILE', 'http.usersFile', (v) => v],
  ['MAMMOCAD_AUDIT_REPOSITORY', 'audit.repository', (v) => v],
];

export const ENV_VARIABLES = ENV_KEYS.map(([name, key]) => ({ name, key }));

function asInteger(v: string, name: string): number {
  if (!/^-?\d+$/.test(v.trim())) throw new ConfigError(`${name}: expected an integer, got "${v}"`);
  return Number(v);
}
function asNumber(v: string, name: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, got "${v}"`);
  return n;
}
function asBoolean(v: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name}: expected true or false, got "${v}"`);
}
function asList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function setPath(target: Record<string, any>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k];
  }
  node[keys[keys.length - 1]] = value;
}

function readJsonFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
  }
}

function describeZodError(err: ZodError): string {
  return err.issues
    .map((i) => `config key "${i.path.join('.') || '(root)'}": ${i.message}`)
    .join('; ');
}

/**
 * Configuration = config/default.json, then the file named by MAMMOCAD_CONFIG (if any), then
 * environment variables; validated as a whole. Errors name the key and the expected form.
 */
export function loadConfig(env: Env = process.env, baseDir = process.cwd()): Config {
  const raw: Record<string, any> = {};
  const defaultFile = path.join(baseDir, 'config', 'default.json');
  if (fs.existsSync(defaultFile)) Object.assign(raw, readJsonFile(defaultFile));
  if (env.MAMMOCAD_CONFIG) deepMerge(raw, readJsonFile(path.resolve(baseDir, env.MAMMOCAD_CONFIG)));
  for (const [name, key, parse] of ENV_KEYS) {
    const v = env[name];
    if (v === undefined) continue;
    // An empty list variable means "any"; an empty scalar means "use the default" except redisUrl.
    if (v === '' && key !== 'redisUrl' && parse !== asList) continue;
    setPath(raw, key, parse(v, name));
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeZodError(result.error));
  const config = result.data;
  // A STOW-RS destination's credentials come from the environment: a missing one is a start-up error,
  // not six hours of refused exports.
  for (const d of config.export.destinations) {
    if ('url' in d && d.authorizationEnv && !env[d.authorizationEnv])
      throw new ConfigError(`export.destinations: ${d.url} names authorizationEnv ${d.authorizationEnv}, which is not set`);
  }
  config.dataDir = path.resolve(baseDir, config.dataDir);
  config.inference.modelDir = path.resolve(baseDir, config.inference.modelDir);
  return config;
}

function deepMerge(target: Record<string, any>, source: Record<string, any>): void {
  for (const [k, v] of Object.entries(source)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object') deepMerge(target[k], v);
    else target[k] = v;
  }
}
