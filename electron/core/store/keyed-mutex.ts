// An async mutex per key: callers with the same key run one at a time, in arrival order; different
// keys never wait for each other. Never holds a key after its holder released it or stopped waiting.
import { AppError } from '../errors.ts';

export class KeyedMutex {
  /** Per key, the tail of its queue: resolves when the last holder (or waiter) is done. */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Waits until `key` is free and takes it; the returned function frees it (calling it twice is
   * harmless). A waiter whose signal aborts stops waiting with CANCELLED and never takes the key.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new AppError('CANCELLED', 'The scan was cancelled.');
    const before = this.tails.get(key) ?? Promise.resolve();
    let free!: () => void;
    const mine = new Promise<void>((resolve) => (free = resolve));
    // The next caller waits for this one, whether it ends up holding the key or gives up waiting.
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      free();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    if (!signal) {
      await before;
      return release;
    }
    let onAbort!: () => void;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      if ((await Promise.race([before.then(() => 'free' as const), aborted])) === 'aborted') {
        release();
        throw new AppError('CANCELLED', 'The scan was cancelled.');
      }
      return release;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Keys held or waited for (for tests: nothing may be left behind). */
  get size(): number {
    return this.tails.size;
  }
}
