import { stowDestinationSchema, type Destination } from './schema';
import { ConfigError } from './configError';

/**
 * Parses `AET@host:port[,AET@host:port...]` (MAMMOCAD_DESTINATIONS); an entry that is an http(s)
 * URL is a DICOMweb (STOW-RS) service. Objects default to all three; the config file can narrow them
 * per destination and name a STOW-RS destination's authorizationEnv.
 */
export function parseDestinations(text: string, name = 'MAMMOCAD_DESTINATIONS'): Destination[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry): Destination => {
      if (/^https?:\/\//i.test(entry)) {
        const parsed = stowDestinationSchema.safeParse({ url: entry });
        if (!parsed.success) throw new ConfigError(`${name}: "${entry}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        return parsed.data;
      }
      const m = /^([^@]{1,16})@(\[[^\]]+\]|[^:@]+):(\d{1,5})$/.exec(entry);
      if (!m) throw new ConfigError(`${name}: expected AET@host:port or an http(s) URL, got "${entry}"`);
      return {
        aeTitle: m[1],
        host: m[2].replace(/^\[|\]$/g, ''),
        port: Number(m[3]),
        objects: ['mammoCadSr', 'tid1500Sr', 'gsps'] as Destination['objects'],
        tls: false,
        storageCommitment: false,
      };
    });
}
