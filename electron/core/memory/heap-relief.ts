// Keeps the garbage of long loops over very large inputs (a part of 200,000 events) from growing the
// heap to several times what is live: a full collection whenever the heap has grown by a fixed step
// since the last one. Ordinary syncs rarely reach that step; each check costs one heap-statistics read.
import v8 from 'node:v8';
import vm from 'node:vm';
import { HEAP_RELIEF_STEP_BYTES } from '../limits.ts';

let collect: (() => void) | null | undefined;

/** V8's full collection, exposed on first use; null where the runtime refuses (then relief does nothing). */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    if (typeof (globalThis as { gc?: unknown }).gc === 'function') collect = (globalThis as unknown as { gc: () => void }).gc;
    else {
      v8.setFlagsFromString('--expose-gc');
      // A fresh context is created with the flag in force and hands out its gc(); ours stays without it.
      const gc = vm.runInNewContext('gc') as unknown;
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    }
  } catch {
    collect = null;
  }
  return collect;
}

/** Heap in use after the last collection this module asked for (or when it first looked). */
let base: number | undefined;

const used = () => v8.getHeapStatistics().used_heap_size;

/**
 * Called every so often inside a loop that allocates a lot: collects when the heap holds more than
 * `step` bytes beyond what was live after the last relief. Cheap (one heap-statistics read) otherwise.
 * Returns whether it collected (tests).
 */
export function relieveHeap(step = HEAP_RELIEF_STEP_BYTES): boolean {
  const now = used();
  if (base === undefined || now < base) {
    // Collections of V8's own brought the heap below the last base: that is the new one.
    base = now;
    return false;
  }
  if (now - base < step) return false;
  const gc = collector();
  if (!gc) {
    base = now;
    return false;
  }
  gc();
  base = used();
  return true;
}

/**
 * A relief check every `every` calls (loops over hundreds of thousands of items call it per item).
 * One per loop: `const relief = reliefEvery(256); for (...) { relief(); ... }`.
 */
export function reliefEvery(every: number): () => void {
  let n = 0;
  return () => {
    if (++n % every === 0) relieveHeap();
  };
}
