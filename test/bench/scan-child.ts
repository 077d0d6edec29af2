// Bench worker: runs one IMAP scan in its own process so peak RSS is the scan's alone.
// Without a cache file it is a stateless full scan; with one (6th argument) it syncs against that
// SQLite cache, so repeated runs measure incremental sync. Prints a JSON line; the feed itself is
// only hashed and measured, never written anywhere.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { syncFromImap } from '../../electron/core/sync/run-sync.ts';
import { IDLE_FEED_WRITE_MS, SyncCache } from '../../electron/core/store/cache.ts';
import { ConnectionPool } from '../../electron/core/imap/connection-pool.ts';
import { ready, timedRounds, warmUp } from './child-rounds.ts';

async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

const [host, port, user, caFile, folder, cacheFile] = process.argv.slice(2);
// The IMAP client is loaded on first use (connect.ts), and loading it costs a fresh Node 20 process
// ~150-200 ms (its modules, not ours): start-up, like Node's own, which the timed syncs exclude (a
// long-running app pays it once). Loaded here, before the clock starts; its cost is reported apart.
const importStarted = performance.now();
await import('imapflow');
const importMs = performance.now() - importStarted;
// BENCH_POOLED=1: as the tray and `serve` do, keep the connection open between syncs, and store
// the merged feed when idle (its cost is measured apart: deferredWriteMs).
const pool = process.env.BENCH_POOLED ? new ConnectionPool() : undefined;
const cache = cacheFile ? new SyncCache(cacheFile, pool ? { deferFeedWrites: IDLE_FEED_WRITE_MS } : {}) : undefined;
const request = () => ({
  connect: { host, port: Number(port), security: 'tls' as const, username: user, password: process.env.MAILBOX2ICS_PASSWORD ?? '', caFile },
  folders: [folder],
  include: new Set(['VEVENT'] as const),
  cancelled: 'remove' as const,
  maxPartBytes: 10 << 20,
  cache,
  pool,
});
// Kept open (BENCH_POOLED), the untimed rounds are the syncs a tray app has already run, so the timed
// ones see compiled code and filled memos; the median is reported (see child-rounds.ts).
const timed = timedRounds(!!pool);
await warmUp(!!pool, () => syncFromImap(request()));
// Timed inside the child around syncFromImap only: Node/tsx startup and opening the cache are not
// part of a sync's wall time (a long-running app pays them once).
// BENCH_CPU_PROFILE=FILE: a CPU profile of the (last) timed sync alone (open it in Chrome's DevTools).
let result!: Awaited<ReturnType<typeof syncFromImap>>;
const walls: number[] = [];
// Processor time of each timed sync (this process, all threads): on a shared machine the wall time
// also counts waiting for a core, the processor time much less so.
const cpus: number[] = [];
try {
  for (let i = 0; i < timed; i++) {
    if (pool) await ready();
    const profiler = process.env.BENCH_CPU_PROFILE && i === timed - 1 ? await startProfiler() : undefined;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    result = await syncFromImap(request());
    walls.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    cpus.push((cpu.user + cpu.system) / 1000);
    if (profiler) writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(await profiler.stop()));
  }
} finally {
  process.stdin.pause();
  await pool?.closeAll();
}
// What the app pays once idle for the timed syncs' feed (nothing when already stored).
const flushStarted = performance.now();
const flushed = cache?.flushFeeds() ?? 0;
const deferredWriteMs = flushed ? performance.now() - flushStarted : 0;
cache?.close();
// The peak of the syncs themselves: taken before this script's own checks below (hashing the feed as
// one string makes a UTF-8 copy of it, 6 MB at 50,000 messages, which the command never makes: it
// writes the feed in 1 MB pieces).
const maxRssKb = process.resourceUsage().maxRSS;
const wallMs = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)];
const cpuMs = [...cpus].sort((a, b) => a - b)[Math.floor(cpus.length / 2)];
const { report, ics } = result;
const sum = (k: 'messagesFetched' | 'messagesExpunged') => report.folders.reduce((n, f) => n + f[k], 0);
process.stdout.write(JSON.stringify({
  wallMs,
  walls,
  cpuMs,
  deferredWriteMs,
  importMs,
  messages: report.messages,
  eventsOut: report.eventsOut,
  clientBytes: report.bytesDownloaded,
  skipped: report.skipped.length,
  icsBytes: Buffer.byteLength(ics),
  // The feed carries no generation time (DTSTAMPs come from the mails), so equal input gives an equal hash.
  icsSha256: createHash('sha256').update(ics).digest('hex'),
  messagesFetched: sum('messagesFetched'),
  messagesExpunged: sum('messagesExpunged'),
  syncMode: report.folders.find((f) => f.folder === folder)?.syncMode ?? report.folders[0]?.syncMode,
  maxRssKb,
}) + '\n');
