import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENV_VARIABLES } from '../../../src/config/loadConfig';

const ROOT = path.resolve(__dirname, '../../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const composeText = fs.readFileSync(COMPOSE_FILE, 'utf8');
const compose = parse(composeText, { merge: true });

/** `docker compose` (v2 plugin) or Debian 12's `docker-compose` 1.29; undefined when neither runs. */
function composeClient(): string[] | undefined {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cmd[0], [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (!r.error && r.status === 0) return cmd;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  const client = composeClient();
  (client ? it : it.skip)(`is accepted by \`${(client ?? ['docker', 'compose']).join(' ')} config\``, () => {
    const [cmd, ...pre] = client!;
    const r = spawnSync(cmd, [...pre, '-f', COMPOSE_FILE, '-p', 'mammocad', 'config', '--quiet'], { encoding: 'utf8', cwd: ROOT });
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });
  if (!client) {
    it('skips the compose check: no compose client here (apt-get install docker-compose, or the docker compose plugin)', () => {
      expect(client).toBeUndefined();
    });
  }

  it('runs Redis with append-only persistence on a volume, never evicting keys', () => {
    const redis = compose.services.redis;
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(redis.volumes).toContain('redis-data:/data');
  });

  it('has one receiver with the DICOM and HTTP ports, and scalable workers without host ports', () => {
    const { receiver, worker } = compose.services;
    expect(receiver.command).toEqual(['receiver']);
    expect(receiver.deploy?.replicas ?? 1).toBe(1);
    expect(receiver.ports).toEqual(['${MAMMOCAD_DICOM_PORT:-11112}:11112', '${MAMMOCAD_HTTP_PORT:-8080}:8080']);
    expect(worker.command).toEqual(['worker']);
    expect(worker.deploy.replicas).toBe('${MAMMOCAD_WORKERS:-2}');
    expect(worker.ports).toBeUndefined();
  });

  it('shares one spool volume between the receiver and every worker, at the data directory', () => {
    const { receiver, worker } = compose.services;
    expect(receiver.volumes).toEqual(['spool:/var/lib/mammocad']);
    expect(worker.volumes).toEqual(receiver.volumes);
    expect(receiver.environment.MAMMOCAD_DATA_DIR).toBe('/var/lib/mammocad');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['spool', 'redis-data']));
  });

  it('points the roles at the compose Redis and Orthanc, and Orthanc back at the receiver', () => {
    const env = compose.services.worker.environment;
    expect(env.MAMMOCAD_REDIS_URL).toBe('redis://redis:6379');
    expect(env.MAMMOCAD_DESTINATIONS).toBe('${MAMMOCAD_DESTINATIONS:-ORTHANC@orthanc:4242}');
    const orthanc = JSON.parse(compose.services.orthanc.environment.ORTHANC_JSON);
    expect(orthanc.DicomAet).toBe('ORTHANC');
    expect(orthanc.DicomPort).toBe(4242);
    expect(orthanc.DicomModalities.MAMMOCAD).toEqual(['MAMMOCAD', 'receiver', 11112]);
    // A rebuilt study's objects (same UIDs) must replace the first ones: Orthanc keeps the first by default.
    expect(orthanc.OverwriteInstances).toBe(true);
    // DICOM dates are local time: the hospital's zone reaches every role.
    expect(env.TZ).toBe('${TZ:-UTC}');
  });

  it('uses only environment variables the configuration knows (and TZ, read by Node itself), and documents each in its header', () => {
    const known = new Set([...ENV_VARIABLES.map((v) => v.name), 'TZ']);
    const used = Object.keys(compose.services.receiver.environment);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
    const header = composeText.slice(0, composeText.indexOf('x-mammocad-env:'));
    const settable = [...composeText.matchAll(/\$\{(MAMMOCAD_[A-Z_]+):-/g)].map((m) => m[1]);
    expect([...new Set(settable)].filter((name) => !header.includes(`#   ${name}`))).toEqual([]);
  });

  it('offers Prometheus and Grafana only under the monitoring profile, on the committed configuration', () => {
    const { prometheus, grafana } = compose.services;
    expect([prometheus.profiles, grafana.profiles]).toEqual([['monitoring'], ['monitoring']]);
    // The example configuration as it is: the token written where its credentials_file reads it, the rules beside it.
    const config = parse(fs.readFileSync(path.join(ROOT, 'config/prometheus/prometheus.yml'), 'utf8'));
    const credentials = config.scrape_configs[0].authorization.credentials_file;
    expect(prometheus.command.join(' ')).toContain(`printf '%s' "$$MAMMOCAD_HTTP_TOKEN" > ${credentials} &&`);
    expect(prometheus.command.join(' ')).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.environment.MAMMOCAD_HTTP_TOKEN).toBe(compose.services.receiver.environment.MAMMOCAD_HTTP_TOKEN);
    expect(config.rule_files).toEqual(['mammocad-alerts.yml']);
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining(['./config/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', './config/prometheus/mammocad-alerts.yml:/etc/prometheus/mammocad-alerts.yml:ro']),
    );
    expect(config.scrape_configs[0].dns_sd_configs[0].names).toEqual(['receiver', 'worker']);
    // Grafana: the provisioned dashboard folder is where the dashboard file is mounted, on the compose Prometheus.
    const provider = parse(fs.readFileSync(path.join(ROOT, 'config/grafana/provisioning/dashboards/mammocad.yml'), 'utf8')).providers[0];
    expect(grafana.volumes).toContain(`./config/grafana/mammocad-dashboard.json:${provider.options.path}/mammocad-dashboard.json:ro`);
    expect(grafana.volumes).toContain('./config/grafana/provisioning:/etc/grafana/provisioning:ro');
    const datasource = parse(fs.readFileSync(path.join(ROOT, 'config/grafana/provisioning/datasources/mammocad.yml'), 'utf8')).datasources[0];
    expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
    expect(grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('${MAMMOCAD_GRAFANA_PASSWORD:-admin}');
  });

  it('builds from a Dockerfile on node:20-bookworm whose entry point runs the CLI roles', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm AS build$/m);
    expect(dockerfile).toMatch(/apt-get install .*redis-server/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", "dist\/cli\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 11112 8080$/m);
  });
});
