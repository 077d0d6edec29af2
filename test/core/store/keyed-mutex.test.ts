// The per-folder mutex: one holder per key in arrival order, other keys never wait, a cancelled
// waiter gives up without ever holding the key, and nothing is left behind.
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../electron/core/store/keyed-mutex.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedMutex', () => {
  it('runs holders of one key one at a time in arrival order; other keys go at once', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = async (key: string, name: string) => {
      const release = await mutex.acquire(key);
      log.push(`${name} in`);
      await tick();
      log.push(`${name} out`);
      release();
      release(); // twice is harmless
    };
    await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1'), job('a', 'a3')]);
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a1 in', 'a1 out', 'a2 in', 'a2 out', 'a3 in', 'a3 out']);
    // b1 did not wait for a1.
    expect(log.indexOf('b1 in')).toBeLessThan(log.indexOf('a1 out'));
    expect(mutex.size).toBe(0);
  });

  it('a waiter whose signal aborts stops waiting with CANCELLED; the next waiter still waits for the holder', async () => {
    const mutex = new KeyedMutex();
    const first = await mutex.acquire('f');
    const ctl = new AbortController();
    const cancelled = mutex.acquire('f', ctl.signal);
    let thirdIn = false;
    const third = mutex.acquire('f').then((release) => {
      thirdIn = true;
      return release;
    });
    ctl.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    await tick();
    expect(thirdIn).toBe(false);
    first();
    (await third)();
    expect(mutex.size).toBe(0);
    await expect(mutex.acquire('f', ctl.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(mutex.size).toBe(0);
  });
});
