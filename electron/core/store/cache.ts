// The sync cache: per account and folder the mailbox state (UIDVALIDITY, UIDNEXT, EXISTS,
// HIGHESTMODSEQ) and per message UID what was extracted. SQLite, WAL, every write in a transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { MessageResult } from '../imap/message-scan.ts';
import type { Snapshot } from '../preview/preview-events.ts';

export interface FolderState {
  uidValidity: string;
  uidNext: number;
  exists: number;
  highestModseq?: string;
  /** Hash of the settings that decide what a scan stores (filters, size limit); a change rescans. */
  scanKey: string;
}

// 2: feeds keep the calendar text in its own column (no JSON escaping of a megabyte per sync).
const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
  account TEXT NOT NULL, folder TEXT NOT NULL,
  uid_validity TEXT NOT NULL, uid_next INTEGER NOT NULL, msg_exists INTEGER NOT NULL,
  highest_modseq TEXT, scan_key TEXT NOT NULL,
  PRIMARY KEY (account, folder)
);
CREATE TABLE IF NOT EXISTS feeds (key TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL, ics TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (scope TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  account TEXT NOT NULL, folder TEXT NOT NULL, uid INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (account, folder, uid)
);
`;

/**
 * How long a long-running process (the app, `serve`) waits after a sync before storing its merged
 * feeds. Why 5 s: well past the end of one sync of every profile, far below the schedule's minutes.
 */
export const IDLE_FEED_WRITE_MS = 5_000;

/** Merged feeds kept in memory (about a megabyte each for 2,000 events): a few per profile. */
const FEEDS_IN_MEMORY = 16;

/** Above this many bytes of cached rows, folders are read from the database on every merge. */
const MIRROR_LIMIT_BYTES = 96 * 1024 * 1024;

/** A merged feed as stored: its description (JSON) and the calendar text apart. */
export interface FeedRow {
  data: string;
  ics: string;
}

interface Mirror {
  rows: Map<number, MessageResult>;
  bytes: number;
}

export class SyncCache {
  private readonly db: Database.Database;
  /**
   * A long-running process (the app, `serve`) keeps each folder's decoded rows in memory, so a merge
   * after a small change reads no row from disk. Another process writing the file (a cron CLI run
   * on the same cache) changes SQLite's data_version, and every mirror is dropped.
   */
  private readonly mirrors = new Map<string, Mirror>();
  private mirrorBytes = 0;
  private dataVersion = -1;
  /** Per-process state kept alongside the cache (the merge memo of each feed); never written to disk. */
  private readonly scratch = new Map<string, unknown>();

  /** Feeds by key: this process's last one per key, and whether it still has to be stored. */
  private readonly feeds = new Map<string, { state: string; value: unknown; encode: (() => FeedRow) | undefined }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly deferFeedWrites: number | undefined;

  /** deferFeedWrites: ms of quiet after which a long-running process stores its feeds (see putFeed). */
  constructor(file: string, opts: { deferFeedWrites?: number } = {}) {
    this.deferFeedWrites = opts.deferFeedWrites;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      this.db = new Database(file);
      // WAL + synchronous=NORMAL: a crash loses at most the last transaction, never consistency.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
      const v = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
      if (v && Number(v.value) === 1) {
        // The feeds table only memoizes merges: rebuilt, not converted.
        this.db.transaction(() => {
          this.db.exec('DROP TABLE feeds');
          this.db.exec(SCHEMA);
          this.db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").run(String(SCHEMA_VERSION));
        })();
      } else if (!v) this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      else if (Number(v.value) !== SCHEMA_VERSION) throw new Error(`schema version ${v.value}, expected ${SCHEMA_VERSION} (written by a newer mailbox2ics?)`);
    } catch (err) {
      // Release the file before reporting, so the caller can move a broken cache aside (Windows locks open files).
      try {
        (this as unknown as { db?: Database.Database }).db?.close();
      } catch {
        // already unusable
      }
      throw new AppError('CONFIG', `Cannot open the sync cache ${file}: ${(err as Error).message}. Delete it or pass --no-cache.`, { file });
    }
  }

  folderState(account: string, folder: string): FolderState | undefined {
    const row = this.db.prepare('SELECT uid_validity, uid_next, msg_exists, highest_modseq, scan_key FROM folders WHERE account = ? AND folder = ?').get(account, folder) as
      | { uid_validity: string; uid_next: number; msg_exists: number; highest_modseq: string | null; scan_key: string }
      | undefined;
    if (!row) return undefined;
    return { uidValidity: row.uid_validity, uidNext: row.uid_next, exists: row.msg_exists, highestModseq: row.highest_modseq ?? undefined, scanKey: row.scan_key };
  }

  /** The folder's mirror if it is still what the file holds (no other process wrote since). */
  private mirror(account: string, folder: string): Mirror | undefined {
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (v !== this.dataVersion) {
      this.mirrors.clear();
      this.mirrorBytes = 0;
      this.dataVersion = v;
    }
    return this.mirrors.get(`${account}\0${folder}`);
  }

  private setMirror(account: string, folder: string, m: Mirror | undefined): void {
    const key = `${account}\0${folder}`;
    this.mirrorBytes -= this.mirrors.get(key)?.bytes ?? 0;
    this.mirrors.delete(key);
    if (m && this.mirrorBytes + m.bytes <= MIRROR_LIMIT_BYTES) {
      this.mirrors.set(key, m);
      this.mirrorBytes += m.bytes;
    }
  }

  cachedUids(account: string, folder: string): number[] {
    const m = this.mirror(account, folder);
    if (m) return [...m.rows.keys()].sort((a, b) => a - b);
    return this.db.prepare('SELECT uid FROM messages WHERE account = ? AND folder = ? ORDER BY uid').pluck().all(account, folder) as number[];
  }

  /** Every cached message of a folder, in UID order. The results are shared: do not modify them. */
  *messages(account: string, folder: string): Generator<MessageResult> {
    const m = this.mirror(account, folder);
    if (m) {
      for (const uid of [...m.rows.keys()].sort((a, b) => a - b)) yield m.rows.get(uid)!;
      return;
    }
    const loaded: Mirror = { rows: new Map(), bytes: 0 };
    const stmt = this.db.prepare('SELECT result FROM messages WHERE account = ? AND folder = ? ORDER BY uid');
    for (const row of stmt.iterate(account, folder) as Iterable<{ result: string }>) {
      const r = JSON.parse(row.result) as MessageResult;
      loaded.rows.set(r.uid, r);
      loaded.bytes += row.result.length;
      yield r;
    }
    this.setMirror(account, folder, loaded);
  }

  /** Forgets a folder entirely (UIDVALIDITY changed, or its scan settings did). */
  resetFolder(account: string, folder: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM messages WHERE account = ? AND folder = ?').run(account, folder);
      this.db.prepare('DELETE FROM folders WHERE account = ? AND folder = ?').run(account, folder);
    })();
    this.mirror(account, folder);
    this.setMirror(account, folder, { rows: new Map(), bytes: 0 });
  }

  /** Stores a batch of scanned messages in one transaction. */
  putMessages(account: string, folder: string, results: MessageResult[]): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO messages (account, folder, uid, result) VALUES (?, ?, ?, ?)');
    const rows = results.map((r) => [r, JSON.stringify(r)] as const);
    this.db.transaction(() => {
      for (const [r, json] of rows) put.run(account, folder, r.uid, json);
    })();
    const m = this.mirror(account, folder);
    if (!m) return;
    for (const [r, json] of rows) {
      m.rows.set(r.uid, r);
      m.bytes += json.length;
    }
    this.setMirror(account, folder, m);
  }

  /** Removes expunged UIDs and records the new mailbox state, atomically. */
  commitFolder(account: string, folder: string, gone: number[], state: FolderState): void {
    const del = this.db.prepare('DELETE FROM messages WHERE account = ? AND folder = ? AND uid = ?');
    this.db.transaction(() => {
      for (const uid of gone) del.run(account, folder, uid);
      this.db
        .prepare('INSERT OR REPLACE INTO folders (account, folder, uid_validity, uid_next, msg_exists, highest_modseq, scan_key) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(account, folder, state.uidValidity, state.uidNext, state.exists, state.highestModseq ?? null, state.scanKey);
    })();
    const m = this.mirror(account, folder);
    if (m) for (const uid of gone) m.rows.delete(uid);
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

  /**
   * The merged feed last built for these settings, if the folders were then in exactly `state`.
   * This process's own last feed is kept in memory (no row read or decoded); otherwise the stored
   * row is decoded. The value is shared between callers: treat it as read-only.
   */
  getFeed<T>(key: string, state: string, decode: (row: FeedRow) => T): T | undefined {
    const kept = this.feeds.get(key);
    if (kept) return kept.state === state ? (kept.value as T) : undefined;
    const row = this.db.prepare('SELECT state, data, ics FROM feeds WHERE key = ?').get(key) as (FeedRow & { state: string }) | undefined;
    if (!row || row.state !== state) return undefined;
    const value = decode(row);
    this.keepFeed(key, { state, value, encode: undefined });
    return value;
  }

  /**
   * Records the feed built for `state`. Stored at once, or with `deferFeedWrites` (a long-running
   * process, which reads its own feed from memory) when the process is idle or closes the cache:
   * a changed sync then does not block on writing a megabyte, and quick successive syncs write it once.
   * A feed that never reaches the file costs nothing but a merge: rows are matched on `state`.
   */
  putFeed<T>(key: string, state: string, value: T, encode: (v: T) => FeedRow): void {
    this.keepFeed(key, { state, value, encode: () => encode(value) });
    if (this.deferFeedWrites === undefined) {
      this.flushFeeds();
      return;
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flushQuietly(), this.deferFeedWrites);
    this.flushTimer.unref?.();
  }

  /**
   * Keeps a feed in memory, the most recent last. Settings that change (a window that moved to a new
   * day, an edited profile) give new keys, so only the last few are kept; one still to be stored is
   * stored before it is let go.
   */
  private keepFeed(key: string, entry: { state: string; value: unknown; encode: (() => FeedRow) | undefined }): void {
    this.feeds.delete(key);
    this.feeds.set(key, entry);
    while (this.feeds.size > FEEDS_IN_MEMORY) {
      const oldest = this.feeds.keys().next().value!;
      if (this.feeds.get(oldest)!.encode) this.flushQuietly();
      this.feeds.delete(oldest);
    }
  }

  /** Writes the feeds not yet stored (see putFeed); returns how many. */
  flushFeeds(): number {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const upsert = this.db.prepare(
      'INSERT INTO feeds (key, state, data, ics) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, data = excluded.data, ics = excluded.ics',
    );
    let n = 0;
    for (const [key, f] of this.feeds) {
      if (!f.encode) continue;
      const row = f.encode();
      // An upsert rewrites the row in place; REPLACE would delete and re-insert a megabyte each time.
      upsert.run(key, f.state, row.data, row.ics);
      f.encode = undefined;
      n += 1;
    }
    return n;
  }

  /** What the last finished sync of a scope (a profile) produced, for "new / updated / cancelled". */
  getSnapshot(scope: string): Snapshot | undefined {
    const row = this.db.prepare('SELECT data FROM snapshots WHERE scope = ?').get(scope) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Snapshot) : undefined;
  }

  putSnapshot(scope: string, snapshot: Snapshot): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (scope, data) VALUES (?, ?)').run(scope, JSON.stringify(snapshot));
  }

  /**
   * A stored feed only saves a later process a merge, so failing to store one (a full disk, the file
   * gone) must not fail a timer or the app's quit: the next run merges from the cached rows instead.
   */
  private flushQuietly(): void {
    try {
      if (this.db.open) this.flushFeeds();
    } catch {
      // Nothing lost: every cached message row is still there, and rows are matched on state.
    }
  }

  close(): void {
    if (!this.db.open) return;
    clearTimeout(this.flushTimer);
    this.flushQuietly();
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
