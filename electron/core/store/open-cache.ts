// Opens the sync cache for a long-running process (the app, serve) so that a cache it cannot open
// never keeps it from starting: a broken or newer file is moved aside (kept, never deleted) and a
// fresh one is made; where no file can be made at all, the process runs with a cache in memory.
import { existsSync, renameSync } from 'node:fs';
import { SyncCache } from './cache.ts';

export interface OpenedCache {
  cache: SyncCache;
  /** What went wrong and what was done about it, for the user (undefined when all was well). */
  notice?: string;
  /** Where the unreadable cache was moved, if it was. */
  movedTo?: string;
}

function moveAside(file: string, stamp: string): string | undefined {
  const target = `${file}.broken-${stamp}`;
  try {
    renameSync(file, target);
  } catch {
    return undefined;
  }
  // The write-ahead log belongs to the moved file; keep it next to it.
  for (const ext of ['-wal', '-shm']) {
    if (existsSync(file + ext)) {
      try {
        renameSync(file + ext, target + ext);
      } catch {
        // a stale -shm is harmless; SQLite rebuilds it
      }
    }
  }
  return target;
}

export function openCacheSafely(file: string, opts: { deferFeedWrites?: number; now?: Date } = {}): OpenedCache {
  const ctor = { deferFeedWrites: opts.deferFeedWrites };
  let first: Error;
  try {
    return { cache: new SyncCache(file, ctor) };
  } catch (err) {
    first = err as Error;
  }
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const movedTo = existsSync(file) ? moveAside(file, stamp) : undefined;
  if (movedTo) {
    try {
      return {
        cache: new SyncCache(file, ctor),
        movedTo,
        notice: `${first.message.replace(/ Delete it or pass --no-cache\.$/, '')}. It was moved aside to ${movedTo} (kept, not deleted) and a new cache was started; the next sync of each folder downloads its calendar parts again.`,
      };
    } catch {
      // fall through to memory
    }
  }
  return {
    cache: new SyncCache(':memory:', ctor),
    ...(movedTo ? { movedTo } : {}),
    notice: `${first.message.replace(/ Delete it or pass --no-cache\.$/, '')}. mailbox2ics runs without a saved cache until this is fixed: every start downloads the calendar parts again.`,
  };
}
