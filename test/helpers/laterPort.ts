import * as fs from 'fs';
import * as net from 'net';

/**
 * A loopback port for a peer that is down now and started later on the same port ("the PACS comes
 * back"). A port from freePort() lies in the kernel's ephemeral range: left unbound for seconds while
 * the other test files run beside this one, it can be handed to another process's listener or used
 * as the local port of an outgoing connection, and then the "PACS" that comes back is not the one
 * answering (the likely cause of a CI run whose export never completed). Ports below that range are
 * never chosen by the kernel, so one that is free now stays free until the test binds it.
 */
export async function laterPort(): Promise<number> {
  const low = 20000;
  const high = Math.max(low + 1000, ephemeralLow() - 1);
  for (let tries = 0; tries < 50; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}

function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768; // Linux's default
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
