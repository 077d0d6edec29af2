// The sync cache: per account, folder and scan key (the server filters that decided it) the mailbox
// state and what each message UID held, merged feeds, change snapshots. SQLite, WAL; every write one
// IMMEDIATE transaction, safe beside another process on the same file; never opens a newer schema.
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { Snapshot } from '../preview/preview-events.ts';
import { upgradeSchema } from './cache-schema.ts';
import { FeedStore, type FeedRow, type FeedRowToStore } from './feed-store.ts';
import { FolderStore } from './folder-store.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { preparePrivateDatabase } from './private-file.ts';
import { ZoneFactStore } from './zone-fact-store.ts';

// The native module is loaded with the first cache a run opens: a run without a cache never loads it.
const requireHere = createRequire(import.meta.url);
let database: typeof Database | undefined;
function openDatabase(): typeof Database {
  return (database ??= requireHere('better-sqlite3') as typeof Database);
}

export type { FeedRow, FeedRowToStore } from './feed-store.ts';
export { STALE_SCAN_KEY_MS } from './folder-store.ts';
export { CacheConflictError, type CachedFolder, type CachedRows, type FolderRef, type FolderState } from './folder-types.ts';

/**
 * How long a long-running process (the app, `serve`) waits after a sync before storing its merged
 * feeds. Why 5 s: well past the end of one sync of every profile, far below the schedule's minutes.
 */
export const IDLE_FEED_WRITE_MS = 5_000;

/**
 * How long a write waits for another process's write transaction to end. Why 15 s: the longest
 * write is one batch of 500 rows or a megabyte feed (well under a second); 15 s rides out a slow
 * disk, and is still short enough that a stuck process is reported rather than waited for.
 */
export const BUSY_TIMEOUT_MS = 15_000;

export class SyncCache {
  private readonly db: Database.Database;
  /** Each folder's state and rows per scan key, and their in-memory mirror. */
  readonly folders: FolderStore;
  /** Time-zone facts kept across runs (see zone-fact-store.ts). */
  readonly zoneFacts: ZoneFactStore;
  /** Per-process state kept alongside the cache (the merge memo of each feed); never written to disk. */
  private readonly scratch = new Map<string, unknown>();
  /** Syncs of one (account, folder) in this process run one at a time (see lockFolder). */
  private readonly folderLocks = new KeyedMutex();
  private readonly feedStore: FeedStore;
  private readonly now: () => number;
  private readonly busyTimeoutMs: number;
  /** See the constructor: a merge takes no memo from a one-shot cache. */
  readonly oneShot: boolean;
  /** What the cache found wrong and worked around, for the next run report (see takeNotices). */
  private notices: string[] = [];

  /**
   * deferFeedWrites: ms of quiet after which a long-running process stores its feeds (see putFeed);
   * oneShot: the process runs its syncs and exits (the CLI), so nothing is kept in memory for a later
   * one: rows are mirrored only until the merge takes them, and there is no merge memo (a part of
   * 78,000 events was otherwise held three times, 380 MB at the peak instead of 200); now and
   * busyTimeoutMs: the clock and BUSY_TIMEOUT_MS, for tests.
   */
  constructor(private readonly file: string, opts: { deferFeedWrites?: number; oneShot?: boolean; now?: () => number; busyTimeoutMs?: number } = {}) {
    this.oneShot = opts.oneShot ?? false;
    this.now = opts.now ?? Date.now;
    this.busyTimeoutMs = opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
    try {
      // Private at rest (private-file.ts): the cache holds every invitation's text and sender.
      if (file !== ':memory:') preparePrivateDatabase(file);
      this.db = new (openDatabase())(file, { timeout: this.busyTimeoutMs });
      // WAL + synchronous=NORMAL: a crash loses at most the last transaction, never consistency.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      upgradeSchema(this.db);
    } catch (err) {
      // Release the file before reporting, so the caller can move a broken cache aside (Windows locks open files).
      try {
        (this as unknown as { db?: Database.Database }).db?.close();
      } catch {
        // already unusable
      }
      throw new AppError('CONFIG', `Cannot open the sync cache ${file}: ${(err as Error).message}. Delete it or pass --no-cache.`, { file });
    }
    this.feedStore = new FeedStore(this.db, opts.deferFeedWrites, this.now);
    this.folders = new FolderStore(this.db, (fn) => this.write(fn), this.now, !this.oneShot);
    this.zoneFacts = new ZoneFactStore(this.db, (fn) => this.write(fn));
  }

  /** Records something the cache found wrong and worked around (nothing lost), for the run report. */
  notice(message: string): void {
    if (!this.notices.includes(message)) this.notices.push(message);
  }

  /** The notices since the last call. */
  takeNotices(): string[] {
    const out = this.notices;
    this.notices = [];
    return out;
  }

  /**
   * Waits until no other sync of this process works on (account, folder), then holds it until the
   * returned function is called. Every path that syncs (CLI, window, schedule) goes through it, so
   * two of them never interleave their writes to one folder; another process is handled by the
   * checks in every write instead.
   */
  lockFolder(account: string, folder: string, signal?: AbortSignal): Promise<() => void> {
    return this.folderLocks.acquire(`${account}\0${folder}`, signal);
  }

  /**
   * Runs `fn` in one IMMEDIATE write transaction: it takes the write lock before reading, so what it
   * reads cannot change before it writes; a file held too long by another process is reported plainly.
   */
  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new AppError('CACHE_BUSY', `The sync cache ${this.file} was kept busy by another mailbox2ics process for more than ${this.busyTimeoutMs / 1000} s. Nothing was written; the next sync tries again.`, { file: this.file });
      }
      throw err;
    }
  }

  /** The process's scratch value for `key` (created on first use). A few keys are kept, the oldest dropped. */
  memo<T>(key: string, create: () => T): T {
    let v = this.scratch.get(key) as T | undefined;
    if (v === undefined) {
      v = create();
      // Why 8: one per profile of a typical setup; each holds references into the mirrored rows.
      if (this.scratch.size >= 8) this.scratch.delete(this.scratch.keys().next().value!);
      this.scratch.set(key, v);
    }
    return v;
  }

  /** See FeedStore.get: the merged feed last built for `key`, if its folders were in exactly `state`. */
  getFeed<T>(key: string, state: string, decode: (row: FeedRow) => T): T | undefined {
    return this.feedStore.get(key, state, decode);
  }

  /** See FeedStore.put: stored at once, or when a long-running process is idle. */
  putFeed<T>(key: string, state: string, value: T, encode: (v: T) => FeedRowToStore): void {
    this.feedStore.put(key, state, value, encode);
  }

  /** Writes the feeds not yet stored; returns how many. */
  flushFeeds(): number {
    return this.feedStore.flush();
  }

  /** What the last finished sync of a scope (a profile) produced, for "new / updated / cancelled". */
  getSnapshot(scope: string): Snapshot | undefined {
    const row = this.db.prepare('SELECT data FROM snapshots WHERE scope = ?').get(scope) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Snapshot) : undefined;
  }

  putSnapshot(scope: string, snapshot: Snapshot): void {
    const data = JSON.stringify(snapshot);
    this.write(() => this.db.prepare('INSERT OR REPLACE INTO snapshots (scope, data) VALUES (?, ?)').run(scope, data));
  }

  close(): void {
    if (!this.db.open) return;
    this.feedStore.stopTimer();
    this.feedStore.flushQuietly();
    this.db.close();
  }
}

/** Where the cache lives by default: the user's data directory. */
export function defaultCachePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'mailbox2ics', 'cache.sqlite');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mailbox2ics', 'cache.sqlite');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'mailbox2ics', 'cache.sqlite');
}
