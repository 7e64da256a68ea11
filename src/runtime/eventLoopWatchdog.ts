import { Worker } from 'node:worker_threads';

/** How often the event loop says it is turning. */
const BEAT_MS = 500;

/**
 * The watching thread: plain JavaScript (it is evaluated, not compiled). It cannot use the logger,
 * which lives on the blocked thread, so it writes one JSON line as the logger does (to stderr), then
 * kills the process: a blocked thread runs no handler, so nothing gentler would be heard.
 */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const beats = new Int32Array(workerData.shared);
let seen = Atomics.load(beats, 0);
let seenAt = Date.now();
setInterval(() => {
  const now = Date.now();
  const beat = Atomics.load(beats, 0);
  if (beat !== seen) { seen = beat; seenAt = now; return; }
  if (now - seenAt < workerData.limitMs) return;
  fs.writeSync(2, JSON.stringify({
    blockedSeconds: Math.round((now - seenAt) / 1000),
    hint: 'the process is ended so its supervisor restarts it; its jobs go to another worker once their locks lapse',
    level: 'error',
    message: 'event loop blocked: ending the process',
    pid: process.pid,
    role: workerData.role,
    timestamp: new Date(now).toISOString(),
  }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, Math.min(1000, Math.max(50, workerData.limitMs / 4)));
`;

/**
 * Ends the process when its event loop has not turned for `limitSeconds` (0: off). A synchronous
 * step that never returns (a codec looping on a damaged stream, a native call that hangs) would
 * otherwise leave a process that answers nothing and holds its jobs for ever: Docker marks such a
 * container unhealthy but does not restart it. Ended, its restart policy (or systemd's) starts it
 * again, and BullMQ hands its jobs on after pipeline.stalledSeconds, to the dead letters after a
 * second stall: an image that blocks every worker cannot block them in turn for ever.
 */
export function startEventLoopWatchdog(limitSeconds: number, role: string): void {
  if (!(limitSeconds > 0)) return;
  const shared = new SharedArrayBuffer(4);
  const beats = new Int32Array(shared);
  setInterval(() => Atomics.add(beats, 0, 1), BEAT_MS).unref();
  // Neither keeps the process alive.
  new Worker(WATCHER, { eval: true, workerData: { shared, limitMs: limitSeconds * 1000, role } }).unref();
}
