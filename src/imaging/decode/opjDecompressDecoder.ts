import { execFile } from 'child_process';
import { accessSync, constants } from 'fs';
import { mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { logger } from '../../log/logger';
import { JPEG_2000_SYNTAXES, jpeg2000Decoder } from './jpeg2000Decoder';
import { opjRawOutputToRawFrame } from './opjRawOutput';
import type { FrameInfo, PixelDecoder, RawFrame } from './pixelDecoder';

const PROGRAM = 'opj_decompress';
/** A 4096 x 3328 lossless stream takes about 1 s on 2 cores; a stream that takes a minute is broken. */
const TIMEOUT_MS = 60_000;

/**
 * ISO 15444 JPEG 2000 through OpenJPEG's own command-line decoder (Debian package libopenjp2-tools).
 * Native code on every core, in a child process: on 2 cores it decodes a 4096 x 3328 lossless
 * mammogram in about half the time of the WASM build, and the worker's event loop stays free meanwhile
 * (in all-in-one that loop also answers C-STOREs). Same library as the WASM decoder, same pixels.
 */
export const opjDecompressDecoder: PixelDecoder = {
  name: `${PROGRAM} (native OpenJPEG)`,
  transferSyntaxUids: JPEG_2000_SYNTAXES,
  ready: async () => {
    if (!opjDecompressInstalled()) throw new Error(`${PROGRAM} is not installed (Debian package libopenjp2-tools)`);
  },
  decode: async (data, info) => {
    let dir: string;
    try {
      // TMPDIR as this process sees it (os.tmpdir() reads Node's own copy of the environment).
      dir = await mkdtemp(join(process.env.TMPDIR || tmpdir(), 'mammocad-j2k-'));
    } catch (err) {
      return decodeInWasm(data, info, `no temporary folder (${(err as Error).message})`);
    }
    try {
      // Pixel data only, no header, in a folder of our own (0700), removed at once.
      // A JP2-wrapped stream (some senders wrap it) is read too: opj_decompress goes by its signature.
      const input = join(dir, 'frame.j2k');
      try {
        await writeFile(input, data, { mode: 0o600 });
      } catch (err) {
        return decodeInWasm(data, info, `temporary file not written (${(err as Error).message})`);
      }
      const output = join(dir, 'frame.rawl');
      const printed = await run(['-i', input, '-o', output, '-threads', 'ALL_CPUS']);
      if (printed instanceof NotStarted) return decodeInWasm(data, info, printed.message);
      return opjRawOutputToRawFrame(await readFile(output), printed, info);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Where the node, not the stream, stops opj_decompress (a read-only or full temporary folder, a
 * program that cannot start), the bundled decoder takes the image, so it is not marked unanalysable.
 */
async function decodeInWasm(data: Uint8Array, info: FrameInfo, why: string): Promise<RawFrame> {
  logger.warn('opj_decompress not usable, JPEG 2000 decoded with the bundled WASM build', { reason: why, hint: 'set TMPDIR to a writable folder' });
  await jpeg2000Decoder.ready();
  return jpeg2000Decoder.decode(data, info);
}

/** The program could not be run at all (as opposed to failing on the stream). */
class NotStarted {
  constructor(readonly message: string) {}
}

let installed: boolean | undefined;

/** Whether opj_decompress is an executable on the PATH (looked up once per process). */
export function opjDecompressInstalled(): boolean {
  installed ??= (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, PROGRAM)));
  return installed;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs opj_decompress; resolves with what it printed (the output's characteristics). */
function run(args: string[]): Promise<string | NotStarted> {
  return new Promise((resolve, reject) => {
    execFile(PROGRAM, args, { timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      // A spawn failure has a string code (ENOENT, EACCES, EAGAIN); an exit status is a number.
      if (typeof err.code === 'string') return resolve(new NotStarted(`${PROGRAM} could not start (${err.code})`));
      // OpenJPEG prints its [ERROR] lines on stdout and a summary on stderr.
      const errors = `${stdout}\n${stderr}`.split('\n').filter((l) => /error/i.test(l)).map((l) => l.trim());
      const why = err.killed ? `did not finish within ${TIMEOUT_MS / 1000} s` : errors.join('; ') || err.message;
      reject(new Error(`${PROGRAM}: ${why}`));
    });
  });
}
