import express from 'express';
import type { AddressInfo } from 'net';
import { tokenAuth } from '../../../src/http/auth';
import { LoginThrottle } from '../../../src/http/loginThrottle';
import { logger } from '../../../src/log/logger';

describe('failed HTTP logins from one address', () => {
  it('block it after ten within five minutes, for five minutes, even for the right token; a success clears the count', async () => {
    let clock = 0;
    const throttle = new LoginThrottle(() => clock);
    const app = express();
    app.use(tokenAuth('s3cret', undefined, throttle));
    app.get('/studies', (_req, res) => res.json([]));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    const get = (token: string) =>
      fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/studies`, { headers: { authorization: `Bearer ${token}` } });
    try {
      // Nine failures, a success, nine more: the success cleared the count, so no block.
      for (let i = 0; i < 9; i++) expect((await get('guess')).status).toBe(401);
      expect((await get('s3cret')).status).toBe(200);
      for (let i = 0; i < 9; i++) expect((await get('guess')).status).toBe(401);
      expect(warn).not.toHaveBeenCalled();
      // The tenth within the window blocks the address.
      clock += 60_000;
      expect((await get('guess')).status).toBe(401);
      expect(warn).toHaveBeenCalledWith('HTTP logins blocked for an address after repeated failures', { address: '127.0.0.1', minutes: 5 });
      const blocked = await get('s3cret');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('300');
      expect(await blocked.json()).toEqual({ error: 'too many failed logins from this address: try again in 300 s' });
      clock += 5 * 60_000;
      expect((await get('s3cret')).status).toBe(200);
      // Failures spread over more than five minutes never block.
      for (let i = 0; i < 12; i++) {
        clock += 40_000;
        expect((await get('guess')).status).toBe(401);
      }
    } finally {
      warn.mockRestore();
      server.close();
    }
  });

  it('forgets addresses whose failures are old once many are tracked', () => {
    let clock = 0;
    const throttle = new LoginThrottle(() => clock);
    for (let i = 0; i < 10_001; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    const tracked = () => (throttle as unknown as { failures: Map<string, number[]> }).failures.size;
    expect(tracked()).toBe(10_001);
    clock += 5 * 60_000;
    throttle.failed('192.0.2.1');
    expect(tracked()).toBe(1);
  });
});
