import * as fs from 'fs';
import * as path from 'path';
import { configSchema } from '../../../src/config/schema';
import { ENV_VARIABLES } from '../../../src/config/loadConfig';
import { configKeyRows, configReferenceMarkdown, withConfigReference } from '../../../scripts/docs/configReference';

const OPERATIONS = path.resolve(__dirname, '../../../docs/operations.md');

describe('configuration reference in docs/operations.md', () => {
  it('is the one generated from the schema (run npm run docs:config after changing src/config)', () => {
    const doc = fs.readFileSync(OPERATIONS, 'utf8');
    expect(withConfigReference(doc)).toBe(doc);
  });

  it('has a row with a meaning for every leaf key of the schema, and only those', () => {
    const defaults = configSchema.parse({});
    const leaves: string[] = [];
    const walk = (value: unknown, prefix: string) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && prefix !== 'export.knownAes.') {
        for (const [k, v] of Object.entries(value)) walk(v, `${prefix}${k}.`);
      } else leaves.push(prefix.slice(0, -1));
    };
    walk(defaults, '');
    const rows = configKeyRows();
    // Optional keys without a default (the model's own settings unless set, export.callingAeTitle) are not in the parsed defaults.
    expect(rows.map((r) => r.key).filter((k) => !leaves.includes(k))).toEqual([
      'inference.clusterMinSpecks',
      'inference.clusterMinSpecksCoarse',
      'inference.clusterFloor',
      'inference.clusterFloorCoarse',
      'export.callingAeTitle',
    ]);
    expect(leaves.filter((k) => !rows.some((r) => r.key === k))).toEqual([]);
    for (const r of rows) expect(r.meaning.length).toBeGreaterThan(10);
  });

  it('lists every environment variable with the key it sets', () => {
    const md = configReferenceMarkdown();
    for (const v of ENV_VARIABLES) expect(md).toContain(`| \`${v.name}\` | \`${v.key}\` |`);
    expect(md).toContain('| `MAMMOCAD_CONFIG` |');
    const httpRow = md.split('\n').find((l) => l.startsWith('| `httpPort` |'));
    expect(httpRow).toBe(
      '| `httpPort` | integer (≥ 0, ≤ 65535) | `8080` | `MAMMOCAD_HTTP_PORT` | TCP port of the HTTP server (/healthz, /readyz, /metrics, /queues, status page); 0: any free port. |',
    );
  });
});
