// The merged feeds the sync cache keeps: this process's last few in memory, all of them in the
// file (written at once, or when a long-running process goes idle). Never decodes a row it won't use.
import type Database from 'better-sqlite3';
import { packJson, packText, unpackText } from './packed-text.ts';
import { relieveHeap } from '../memory/heap-relief.ts';

/** A merged feed as stored: its description (JSON) and the calendar text apart. */
/** A stored feed: its data as JSON text and its calendar text. */
export interface FeedRow {
  data: string;
  ics: string;
}

/** What a feed is stored from: the data as JSON text, or as a value the store writes as JSON in
 * pieces (the data of 200,000 events is 25 MB of JSON, never held whole then). */
export type FeedRowToStore = { ics: string } & ({ data: string } | { json: unknown });

/** Merged feeds kept in memory (about a megabyte each for 2,000 events): a few per profile. */
const FEEDS_IN_MEMORY = 16;

/**
 * A stored feed not written for this long is dropped. Why 30 days: its key includes the event
 * window, which moves daily, and the profile's settings; a feed that old is for settings nobody
 * syncs any more, and a megabyte each would otherwise pile up for ever.
 */
export const STALE_FEED_MS = 30 * 24 * 3600_000;

interface Kept {
  state: string;
  value: unknown;
  encode: (() => FeedRowToStore) | undefined;
}

export class FeedStore {
  /** Feeds by key: this process's last one per key, and whether it still has to be stored. */
  private readonly feeds = new Map<string, Kept>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly db: Database.Database,
    /** ms of quiet after which a long-running process stores its feeds (see put). */
    private readonly deferWrites: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The merged feed last built for this key, if the folders were then in exactly `state`.
   * This process's own last feed is kept in memory (no row read or decoded); otherwise the stored
   * row is decoded. The value is shared between callers: treat it as read-only.
   */
  get<T>(key: string, state: string, decode: (row: FeedRow) => T): T | undefined {
    const kept = this.feeds.get(key);
    if (kept) return kept.state === state ? (kept.value as T) : undefined;
    const row = this.db.prepare('SELECT state, data, ics FROM feeds WHERE key = ?').get(key) as { state: string; data: string | Buffer; ics: string | Buffer } | undefined;
    if (!row || row.state !== state) return undefined;
    const value = decode({ data: unpackText(row.data), ics: unpackText(row.ics) });
    this.keep(key, { state, value, encode: undefined });
    return value;
  }

  /**
   * Records the feed built for `state`. Stored at once, or with `deferWrites` (a long-running
   * process, which reads its own feed from memory) when the process is idle or closes the cache:
   * a changed sync then does not block on writing a megabyte, and quick successive syncs write it once.
   * A feed that never reaches the file costs nothing but a merge: rows are matched on `state`.
   */
  put<T>(key: string, state: string, value: T, encode: (v: T) => FeedRowToStore): void {
    this.keep(key, { state, value, encode: () => encode(value) });
    if (this.deferWrites === undefined) {
      this.flush();
      return;
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flushQuietly(), this.deferWrites);
    this.flushTimer.unref?.();
  }

  /**
   * Keeps a feed in memory, the most recent last. Settings that change (a window that moved to a new
   * day, an edited profile) give new keys, so only the last few are kept; one still to be stored is
   * stored before it is let go.
   */
  private keep(key: string, entry: Kept): void {
    this.feeds.delete(key);
    this.feeds.set(key, entry);
    while (this.feeds.size > FEEDS_IN_MEMORY) {
      const oldest = this.feeds.keys().next().value!;
      if (this.feeds.get(oldest)!.encode) this.flushQuietly();
      this.feeds.delete(oldest);
    }
  }

  /** Writes the feeds not yet stored (see put) in one transaction, drops stale ones; returns how many were written. */
  flush(): number {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = [...this.feeds].filter(([, f]) => f.encode);
    if (!pending.length) return 0;
    const upsert = this.db.prepare(
      'INSERT INTO feeds (key, state, data, ics, written_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, data = excluded.data, ics = excluded.ics, written_at = excluded.written_at',
    );
    const now = this.now();
    // Encoded and packed before the transaction: a big feed's JSON and text are garbage once packed.
    const rows = pending.map(([key, f]) => {
      const row = f.encode!();
      return [key, f.state, 'json' in row ? packJson(row.json).packed : packText(row.data), packText(row.ics)] as const;
    });
    if (rows.some(([, , data, ics]) => typeof data !== 'string' || typeof ics !== 'string')) relieveHeap();
    // IMMEDIATE: another process writing the same file makes this wait (busy timeout), not fail.
    this.db.transaction(() => {
      // An upsert rewrites the row in place; REPLACE would delete and re-insert a megabyte each time.
      for (const [key, state, data, ics] of rows) upsert.run(key, state, data, ics, now);
      this.db.prepare('DELETE FROM feeds WHERE written_at < ?').run(now - STALE_FEED_MS);
    }).immediate();
    for (const [, f] of pending) f.encode = undefined;
    return rows.length;
  }

  /**
   * A stored feed only saves a later process a merge, so failing to store one (a full disk, the file
   * gone, another process holding the file too long) must not fail a timer or the app's quit: the
   * next run merges from the cached rows instead.
   */
  flushQuietly(): void {
    try {
      if (this.db.open) this.flush();
    } catch {
      // Nothing lost: every cached message row is still there, and rows are matched on state.
    }
  }

  stopTimer(): void {
    clearTimeout(this.flushTimer);
  }
}
