// The heap relief collects once the heap has grown by its step since the last relief, and not before.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { relieveHeap, reliefEvery } from '../../../electron/core/memory/heap-relief.ts';

const MB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

/** Grows the heap by at least `mb` MB of objects that are unreachable once this returns (they stay
 * reachable while it runs, so a collection of V8's own in between cannot make the growth smaller). */
function garbage(mb: number): void {
  const start = used();
  let junk: unknown[] | undefined = [];
  while (used() < start + mb * MB) junk.push(new Array(32_000).fill(0));
  junk = undefined;
  void junk;
}

describe('relieveHeap', () => {
  it('collects the garbage of a loop once the heap has grown by the step, and then not again until it grows again', () => {
    relieveHeap(1); // sets its base (collecting whatever lies around)
    relieveHeap(1);
    garbage(80);
    const before = used();
    expect(relieveHeap(32 * MB)).toBe(true);
    expect(used()).toBeLessThan(before - 40 * MB);
    expect(relieveHeap(32 * MB)).toBe(false); // nothing grew since
  });

  it('does nothing while the heap grows by less than the step', () => {
    relieveHeap(1);
    const keep = Array.from({ length: 1000 }, (_, i) => ({ i }));
    expect(relieveHeap(64 * MB)).toBe(false);
    expect(keep.length).toBe(1000);
  });

  it('reliefEvery checks only every n-th call', () => {
    relieveHeap(1);
    const relief = reliefEvery(3);
    garbage(80);
    const before = used();
    relief();
    relief();
    expect(used()).toBeGreaterThan(before - 8 * MB); // not collected yet: only two calls
    relief(); // the third checks; the step is HEAP_RELIEF_STEP_BYTES (24 MB)
    expect(used()).toBeLessThan(before - 40 * MB);
  });
});
