import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import loglevel from 'loglevel';
import { Writable } from 'node:stream';
import winston from 'winston';
import { bridgeDicomLibraryLogging } from '../../../src/log/dicomLibraryLogBridge';
import { logger } from '../../../src/log/logger';
import { readDicom } from '../../../src/imaging/readDicom';
import { writeMgFixture } from '../../helpers/mgFixture';

/** Runs fn with winston at the given level, returning what it logged. */
function captured(level: string, fn: () => void): Array<{ level: string; message: string; source?: string }> {
  const seen: Array<{ level: string; message: string; source?: string }> = [];
  const capture = new winston.transports.Stream({
    stream: new Writable({
      objectMode: true,
      write(info, _enc, next) {
        seen.push(info);
        next();
      },
    }),
  });
  logger.add(capture);
  const before = logger.level;
  logger.level = level;
  try {
    fn();
  } finally {
    logger.level = before;
    logger.remove(capture);
  }
  return seen;
}

describe('DICOM library log bridge', () => {
  beforeAll(() => bridgeDicomLibraryLogging());

  it('sends loglevel output (dcmjs-dimse per-PDU INFO) to winston at debug', () => {
    expect(captured('debug', () => loglevel.info('MODALITY <- C-STORE request [pc: 1]'))).toEqual([
      expect.objectContaining({ level: 'debug', message: 'MODALITY <- C-STORE request [pc: 1]', source: 'dcmjs-dimse' }),
    ]);
    expect(captured('info', () => loglevel.info('not shown at info'))).toHaveLength(0);
  });

  it("sends dcmjs's own warning of a lenient read (a truncated file) to winston at debug, not raw to the console", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-logbridge-'));
    try {
      const truncated = fs.readFileSync(writeMgFixture(dir).file).subarray(0, 500);
      const consoleCalls = ['log', 'info', 'warn', 'error'].map((m) => jest.spyOn(console, m as 'log').mockImplementation(() => undefined));
      let result: ReturnType<typeof readDicom> | undefined;
      const seen = captured('debug', () => {
        result = readDicom(truncated);
      });
      for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
      expect(seen).toEqual([expect.objectContaining({ level: 'debug', source: 'dcmjs', message: expect.stringMatching(/past end of input/) })]);
      // The lenient read keeps what precedes the cut; the missing pixel data is refused later with its reason.
      expect(result).toMatchObject({ dataset: { ViewPosition: 'CC' } });
      expect((result as { dataset: Record<string, unknown> }).dataset.PixelData).toBeUndefined();
    } finally {
      jest.restoreAllMocks();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
