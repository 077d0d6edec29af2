// The child side of the bench's kept-open protocol (scan-child.ts, floor-resync.ts; the parent is
// scan-bench.ts's `driven`). BENCH_ROUNDS=N, BENCH_TIMED=T with BENCH_POOLED: one untimed sync opens
// the connection; then before each of N untimed and T timed syncs the child prints READY and waits
// for a line on stdin while the parent changes the folder.

/** How many timed syncs this child runs (one unless kept open). */
export function timedRounds(pooled: boolean): number {
  return pooled ? Math.max(1, Number(process.env.BENCH_TIMED ?? 1)) : 1;
}

/** Says READY and waits for the parent's go. */
export async function ready(): Promise<void> {
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
}

/** A kept-open child's untimed syncs: the first, then BENCH_ROUNDS more, each after a READY. */
export async function warmUp(pooled: boolean, sync: () => Promise<unknown>): Promise<void> {
  if (!pooled) return;
  await sync();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 0);
  for (let i = 0; i < rounds; i++) {
    await ready();
    await sync();
  }
}
