import fs from 'node:fs';
import { loadConfig } from '../../src/config/loadConfig';
import { configSchema, type Config } from '../../src/config/schema';

type Env = Record<string, string | undefined>;

/**
 * The node's own configuration (config/default.json, MAMMOCAD_CONFIG, MAMMOCAD_* variables), so eval
 * checks the node as the site runs it, with --config merged on top. A relative modelDir in --config
 * resolves against the working directory, as it always has.
 */
export function evaluationConfig(
  configFile: string | undefined,
  env: Env = process.env,
  baseDir = process.cwd(),
): Config {
  const site = loadConfig(env, baseDir);
  if (!configFile) return site;
  let extra: unknown;
  try {
    extra = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (e) {
    throw new Error(`--config ${configFile}: ${(e as Error).message}`);
  }
  const merged = configSchema.safeParse(mergeDeep(site, extra));
  if (!merged.success)
    throw new Error(
      `--config ${configFile}: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return merged.data;
}

function mergeDeep(base: unknown, over: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeDeep(base[k], v);
  return out;
}
