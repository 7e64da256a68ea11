/**
 * Rejects with "<what> timed out after <ms> ms" unless `work` settles first. For everything that waits
 * on Redis: ioredis holds commands while Redis is away, and a Redis that is stopped or swapping never
 * answers, so a C-STORE, a page or a shutdown would otherwise wait for ever.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
