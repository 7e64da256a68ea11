import type { Destination } from './schema';
import { ConfigError } from './configError';

/**
 * Parses `AET@host:port[,AET@host:port...]` (MAMMOCAD_DESTINATIONS). Objects default to all three;
 * the config file can narrow them per destination.
 */
export function parseDestinations(text: string, name = 'MAMMOCAD_DESTINATIONS'): Destination[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^@]{1,16})@(\[[^\]]+\]|[^:@]+):(\d{1,5})$/.exec(entry);
      if (!m) throw new ConfigError(`${name}: expected AET@host:port, got "${entry}"`);
      return {
        aeTitle: m[1],
        host: m[2].replace(/^\[|\]$/g, ''),
        port: Number(m[3]),
        objects: ['mammoCadSr', 'tid1500Sr', 'gsps'] as Destination['objects'],
        tls: false,
      };
    });
}
