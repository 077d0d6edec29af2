// The sync cache: its in-memory mirror follows its own writes and notices another process's;
// every write checks the rows are still what the writer last saw; old files are upgraded safely.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CacheConflictError, STALE_SCAN_KEY_MS, SyncCache, type FolderRef } from '../../../electron/core/store/cache.ts';
import { STALE_FEED_MS } from '../../../electron/core/store/feed-store.ts';
import type { MessageResult } from '../../../electron/core/imap/message-scan.ts';

const msg = (uid: number, subject = `m${uid}`): MessageResult => ({ uid, subject, hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [] });
const state = (uidNext: number, exists = 0) => ({ uidValidity: '7', uidNext, exists });
const F: FolderRef = { account: 'acc', folder: 'F', scanKey: 'k' };
const subjects = (c: SyncCache, ref = F) => c.folders.messages(ref).rows.map((m) => m.subject);
const tempFile = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), `cache-${name}-`)), 'cache.sqlite');
/** Puts and commits as one sync that nobody interfered with. */
function sync(c: SyncCache, ref: FolderRef, put: MessageResult[], gone: number[], s = state(100)): number {
  let rev = c.folders.folderState(ref)?.revision ?? c.folders.beginFullScan(ref, s);
  if (put.length) rev = c.folders.putMessages(ref, s.uidValidity, put).revision;
  return c.folders.commitFolder(ref, gone, s, { revision: rev, expected: () => [] });
}

describe('SyncCache mirror', () => {
  it('follows its own writes and notices another process writing the same folder', () => {
    const file = tempFile('mirror');
    const app = new SyncCache(file);
    const cron = new SyncCache(file);
    try {
      sync(app, F, [msg(1), msg(2)], []);
      expect(subjects(app)).toEqual(['m1', 'm2']); // read from disk, mirrored from now on
      sync(app, F, [msg(3)], [1]);
      expect(subjects(app)).toEqual(['m2', 'm3']);
      expect(app.folders.cachedUids(F).rows).toEqual([2, 3]);

      // Another connection (a cron run of the CLI on the same cache) changes the folder.
      sync(cron, F, [msg(2, 'm2 again'), msg(5)], [3]);
      expect(subjects(app)).toEqual(['m2 again', 'm5']);
      expect(app.folders.cachedUids(F).rows).toEqual([2, 5]);

      app.folders.beginFullScan(F, state(100));
      expect(subjects(app)).toEqual([]);
      app.folders.putMessages(F, '7', [msg(9)]);
      expect(subjects(app)).toEqual(['m9']);
      expect(subjects(cron)).toEqual(['m9']);
      // What the mirror says is what the file says, and both name the same revision.
      const fresh = new SyncCache(file);
      expect(subjects(fresh)).toEqual(subjects(app));
      expect(fresh.folders.messages(F).revision).toBe(app.folders.messages(F).revision);
      fresh.close();
    } finally {
      app.close();
      cron.close();
    }
  });

  it('keeps one folder\'s mirror when another process writes only another folder or scan key', () => {
    const file = tempFile('mirror-keys');
    const app = new SyncCache(file);
    const cron = new SyncCache(file);
    try {
      sync(app, F, [msg(1)], []);
      const first = app.folders.messages(F).rows[0];
      sync(cron, { ...F, scanKey: 'other' }, [msg(1, 'filtered')], []);
      sync(cron, { ...F, folder: 'G' }, [msg(4)], []);
      // Not read again (the very same objects), and each key keeps its own rows.
      expect(app.folders.messages(F).rows[0]).toBe(first);
      expect(subjects(app, { ...F, scanKey: 'other' })).toEqual(['filtered']);
      sync(cron, F, [msg(2)], []);
      expect(subjects(app)).toEqual(['m1', 'm2']);
    } finally {
      app.close();
      cron.close();
    }
  });
});

describe('SyncCache writes re-check what they read', () => {
  it('a commit whose rows another process emptied meanwhile is refused and leaves nothing behind', () => {
    const file = tempFile('conflict');
    const a = new SyncCache(file);
    const b = new SyncCache(file);
    try {
      sync(a, F, [msg(1), msg(2)], []);
      const seen = a.folders.folderState(F)!.revision;
      const put = a.folders.putMessages(F, '7', [msg(3)]);
      expect(put.before).toBe(seen);
      // Another process starts the folder over (--full) and has stored one batch so far.
      b.folders.beginFullScan(F, state(100));
      b.folders.putMessages(F, '7', [msg(1)]);
      // a's rows are not what it found on the server ({1, 2, 3}): committing them as complete would hide events.
      expect(() => a.folders.commitFolder(F, [], state(100, 3), { revision: put.revision, expected: () => [1, 2, 3] })).toThrow(CacheConflictError);
      expect(a.folders.folderState(F)).toMatchObject({ complete: false });
      // Once the rows are what a sync found, the commit goes through (with the check made).
      a.folders.putMessages(F, '7', [msg(2), msg(3)]);
      expect(a.folders.commitFolder(F, [], state(100, 3), { revision: undefined, expected: () => [1, 2, 3] })).toBeGreaterThan(put.revision);
      expect(subjects(b)).toEqual(['m1', 'm2', 'm3']);
      expect(b.folders.folderState(F)).toMatchObject({ complete: true, exists: 3 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('a batch for a UIDVALIDITY the folder no longer has is refused', () => {
    const file = tempFile('uidvalidity');
    const a = new SyncCache(file);
    const b = new SyncCache(file);
    try {
      sync(a, F, [msg(1)], []);
      b.folders.beginFullScan(F, { uidValidity: '8', uidNext: 5, exists: 1 });
      expect(() => a.folders.putMessages(F, '7', [msg(2)])).toThrow(CacheConflictError);
      expect(subjects(a)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('revisions are never reused, also when a folder starts over', () => {
    const c = new SyncCache(tempFile('revisions'));
    try {
      const seen = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const r = c.folders.beginFullScan(F, state(100));
        expect(seen.has(r)).toBe(false);
        seen.add(r);
        seen.add(c.folders.putMessages(F, '7', [msg(i)]).revision);
      }
      expect(seen.size).toBe(10);
    } finally {
      c.close();
    }
  });

  it('a write that waits too long for another process says so (CACHE_BUSY), and nothing of it is kept', () => {
    const file = tempFile('busy');
    const c = new SyncCache(file, { busyTimeoutMs: 100 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(() => c.folders.beginFullScan(F, state(100))).toThrow(expect.objectContaining({ code: 'CACHE_BUSY', message: expect.stringMatching(/kept busy by another mailbox2ics process/) }));
      other.exec('COMMIT');
      expect(c.folders.folderState(F)).toBeUndefined();
      c.folders.beginFullScan(F, state(100));
      expect(c.folders.folderState(F)).toMatchObject({ complete: false });
    } finally {
      other.close();
      c.close();
    }
  });

  it('opening a current cache writes nothing: it neither waits for another process\'s write nor fails on it', () => {
    const file = tempFile('open-busy');
    new SyncCache(file).close();
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const c = new SyncCache(file, { busyTimeoutMs: 100 });
      expect(c.folders.folderState(F)).toBeUndefined();
      c.close();
    } finally {
      other.exec('COMMIT');
      other.close();
    }
  });

  it('drops the rows of scan keys nobody synced for a month when another key of the folder syncs', () => {
    let now = Date.UTC(2026, 0, 1);
    const c = new SyncCache(tempFile('stale'), { now: () => now });
    try {
      const old = { ...F, scanKey: 'old' };
      sync(c, old, [msg(1)], []);
      now += STALE_SCAN_KEY_MS / 2;
      sync(c, F, [msg(1)], []);
      expect(c.folders.folderState(old)).toBeDefined();
      now += STALE_SCAN_KEY_MS;
      sync(c, F, [msg(2)], []);
      expect(c.folders.folderState(old)).toBeUndefined();
      expect(subjects(c, old)).toEqual([]);
      expect(subjects(c)).toEqual(['m1', 'm2']);
    } finally {
      c.close();
    }
  });
});

describe('SyncCache large rows and one-shot processes', () => {
  it('stores a message record over 256 KB gzipped and reads it back exactly, in this process and in another', () => {
    const file = tempFile('packed');
    const big = msg(2, 'big ' + 'x'.repeat(400_000) + ' ✓ \u{1F4C5}');
    const c = new SyncCache(file);
    try {
      sync(c, F, [msg(1), big], []);
      const db = new Database(file, { readonly: true });
      try {
        const kinds = db.prepare('SELECT uid, typeof(result) AS t, length(result) AS n FROM messages ORDER BY uid').all() as Array<{ uid: number; t: string; n: number }>;
        expect(kinds.map((k) => [k.uid, k.t])).toEqual([[1, 'text'], [2, 'blob']]);
        expect(kinds[1].n).toBeLessThan(20_000); // 400,000 characters compressed
      } finally {
        db.close();
      }
    } finally {
      c.close();
    }
    const other = new SyncCache(file);
    try {
      expect(other.folders.messages(F).rows).toEqual([msg(1), big]);
    } finally {
      other.close();
    }
  });

  it('stores a large feed gzipped and reads it back exactly', () => {
    const file = tempFile('packed-feed');
    const ics = 'BEGIN:VCALENDAR\r\n' + 'BEGIN:VEVENT\r\nSUMMARY:é\r\nEND:VEVENT\r\n'.repeat(20_000) + 'END:VCALENDAR\r\n';
    const data = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ uid: `u${i}` })) });
    const c = new SyncCache(file);
    try {
      c.putFeed('k', 's', { data, ics }, (r) => r);
    } finally {
      c.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT typeof(data) || \' \' || typeof(ics) FROM feeds').pluck().get()).toBe('blob blob');
    } finally {
      db.close();
    }
    const other = new SyncCache(file);
    try {
      expect(other.getFeed('k', 's', (r) => r)).toEqual({ data, ics });
    } finally {
      other.close();
    }
  });

  it('a long-running process mirrors ordinary rows but reads a row over 1 MB from the file each time', () => {
    const file = tempFile('large-unmirrored');
    const c = new SyncCache(file);
    try {
      const big = msg(2, 'big ' + 'y'.repeat(1_100_000));
      sync(c, F, [msg(1), big, msg(3)], []);
      const a = c.folders.messages(F).rows;
      const b = c.folders.messages(F).rows;
      expect(b).toEqual([msg(1), big, msg(3)]);
      expect(b[0]).toBe(a[0]);
      expect(b[2]).toBe(a[2]);
      expect(b[1]).not.toBe(a[1]);
      expect(c.folders.cachedUids(F).rows).toEqual([1, 2, 3]);
      // Replaced and removed like any other row.
      sync(c, F, [msg(2, 'small now')], [3]);
      expect(subjects(c)).toEqual(['m1', 'small now']);
    } finally {
      c.close();
    }
  });

  it('a one-shot process (the CLI) hands what it wrote to the first read, then keeps no mirror: later reads are fresh copies from the file', () => {
    const file = tempFile('one-shot');
    const once = new SyncCache(file, { oneShot: true });
    const app = new SyncCache(file);
    try {
      sync(once, F, [msg(1), msg(2)], []);
      expect(once.folders.messages(F).rows[0]).not.toBe(once.folders.messages(F).rows[0]);
      expect(subjects(once)).toEqual(['m1', 'm2']);
      // A long-running process mirrors what it read: the same objects again.
      expect(app.folders.messages(F).rows[0]).toBe(app.folders.messages(F).rows[0]);
      expect(once.oneShot).toBe(true);
      expect(app.oneShot).toBe(false);
    } finally {
      once.close();
      app.close();
    }
  });
});

describe('SyncCache feeds', () => {
  it('drops stored feeds nobody wrote for a month (their keys hold a moving window, so old ones are dead)', () => {
    let now = Date.UTC(2026, 0, 1);
    const file = tempFile('stale-feeds');
    const c = new SyncCache(file, { now: () => now });
    try {
      c.putFeed('day-1', 's', { data: '{}', ics: 'one' }, (r) => r);
      now += STALE_FEED_MS / 2;
      c.putFeed('day-15', 's', { data: '{}', ics: 'two' }, (r) => r);
      now += STALE_FEED_MS;
      c.putFeed('day-46', 's', { data: '{}', ics: 'three' }, (r) => r);
    } finally {
      c.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT key FROM feeds ORDER BY key').pluck().all()).toEqual(['day-15', 'day-46']);
    } finally {
      db.close();
    }
  });
});

describe('SyncCache file versions', () => {
  it('opens a cache written by an older schema (folder rows, messages and feeds dropped, snapshots kept) and refuses a newer one', () => {
    const file = tempFile('schema');
    const old = new Database(file);
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE folders (account TEXT NOT NULL, folder TEXT NOT NULL, uid_validity TEXT NOT NULL, uid_next INTEGER NOT NULL, msg_exists INTEGER NOT NULL, highest_modseq TEXT, scan_key TEXT NOT NULL, PRIMARY KEY (account, folder));
      CREATE TABLE feeds (key TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL, ics TEXT NOT NULL);
      CREATE TABLE snapshots (scope TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE messages (account TEXT NOT NULL, folder TEXT NOT NULL, uid INTEGER NOT NULL, result TEXT NOT NULL, PRIMARY KEY (account, folder, uid));
      INSERT INTO meta VALUES ('schema', '2');
      INSERT INTO folders VALUES ('acc', 'F', '7', 10, 1, NULL, 'k');
      INSERT INTO feeds VALUES ('k', 's', '{}', 'BEGIN:VCALENDAR');
      INSERT INTO snapshots VALUES ('team', '{"events":{}}');`);
    old.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)').run('acc', 'F', 1, JSON.stringify(msg(1)));
    old.close();
    const cache = new SyncCache(file);
    try {
      // One row per (account, folder) could hold another filter's messages: rescanned, not trusted.
      expect(cache.folders.folderState(F)).toBeUndefined();
      expect(subjects(cache)).toEqual([]);
      expect(cache.getFeed('k', 's', (r) => r)).toBeUndefined();
      expect(cache.getSnapshot('team')).toEqual({ events: {} });
      cache.putFeed('k', 's', { data: '{"x":1}', ics: 'BEGIN:VCALENDAR' }, (r) => r);
      expect(cache.getFeed('k', 's', (r) => r)).toEqual({ data: '{"x":1}', ics: 'BEGIN:VCALENDAR' });
      sync(cache, F, [msg(1)], []);
      expect(subjects(cache)).toEqual(['m1']);
    } finally {
      cache.close();
    }
    // Opening it again changes nothing.
    const again = new SyncCache(file);
    expect(subjects(again)).toEqual(['m1']);
    again.close();
    const newer = new Database(file);
    newer.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    newer.close();
    expect(() => new SyncCache(file)).toThrow(/schema version 99, expected 4 .*newer mailbox2ics.*Delete it or pass --no-cache/);
  });
  it('a long-running process keeps its feed in memory and stores it when idle or on close; stored feeds match on state', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cache-feeds-')), 'cache.sqlite');
    const feed = (ics: string) => ({ data: '{}', ics });
    const stored = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT key, state, ics FROM feeds ORDER BY key').all();
      } finally {
        db.close();
      }
    };
    let encoded = 0;
    const encode = (v: { data: string; ics: string }) => {
      encoded += 1;
      return v;
    };
    const app = new SyncCache(file, { deferFeedWrites: 40 });
    try {
      app.putFeed('team', 's1', feed('one'), encode);
      app.putFeed('team', 's2', feed('two'), encode);
      // Served from memory at once, not stored yet, and nothing encoded.
      expect(app.getFeed('team', 's2', () => feed('from disk'))).toEqual(feed('two'));
      expect(app.getFeed('team', 's1', () => feed('from disk'))).toBeUndefined();
      expect(stored()).toEqual([]);
      expect(encoded).toBe(0);
      // Quiet for the deferral: stored once, the last state only.
      await new Promise((r) => setTimeout(r, 120));
      expect(stored()).toEqual([{ key: 'team', state: 's2', ics: 'two' }]);
      expect(encoded).toBe(1);
      // Keys that keep changing (a window moving to a new day) do not pile up in memory: the oldest
      // are let go, stored first if they were not yet.
      for (let day = 0; day < 40; day++) app.putFeed(`day-${day}`, 's', feed(`d${day}`), encode);
      expect(stored().filter((r) => String((r as { key: string }).key).startsWith('day-')).length).toBeGreaterThanOrEqual(24);
      expect(app.getFeed('day-39', 's', () => feed('from disk'))).toEqual(feed('d39'));
      expect(app.getFeed('day-0', 's', () => feed('from disk'))).toEqual(feed('from disk'));
      app.putFeed('other', 'x', feed('three'), encode);
    } finally {
      app.close();
    }
    // close() stored the pending ones; another process reads them, decoding only a matching state.
    expect(stored()).toContainEqual({ key: 'other', state: 'x', ics: 'three' });
    expect(stored()).toContainEqual({ key: 'team', state: 's2', ics: 'two' });
    expect(stored()).toHaveLength(42);
    const cli = new SyncCache(file);
    try {
      expect(cli.getFeed('team', 's2', (r) => r.ics)).toBe('two');
      expect(cli.getFeed('team', 's1', (r) => r.ics)).toBeUndefined();
      // Without deferral the feed is stored as it is put.
      cli.putFeed('team', 's3', feed('four'), (r) => r);
      expect(stored()).toContainEqual({ key: 'team', state: 's3', ics: 'four' });
    } finally {
      cli.close();
    }
  });

  it('a feed that cannot be stored fails neither the idle timer nor close(): it only costs a later merge', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cache-feeds-fail-')), 'cache.sqlite');
    const app = new SyncCache(file, { deferFeedWrites: 10 });
    app.putFeed('team', 's1', { data: '{}', ics: 'one' }, (r) => r);
    // Another process breaks the table under it (a stand-in for a full disk or a damaged file).
    const other = new Database(file);
    other.exec('DROP TABLE feeds');
    other.close();
    await new Promise((r) => setTimeout(r, 60));
    app.putFeed('team', 's2', { data: '{}', ics: 'two' }, (r) => r);
    expect(() => app.close()).not.toThrow();
    // Still readable afterwards: the messages are intact and the missing feed table is recreated.
    const next = new SyncCache(file);
    try {
      expect(next.getFeed('team', 's2', (r) => r.ics)).toBeUndefined();
    } finally {
      next.close();
    }
  });
});

describe('SyncCache content keys (what the rows give a merge)', () => {
  const withPart = (uid: number): MessageResult => ({ ...msg(uid), hasCalendar: true });
  const content = (c: SyncCache, ref = F) => c.folders.folderState(ref)!.content;

  it('moves when a row that is not plain comes or goes, or a row is replaced; not for plain rows', () => {
    const file = tempFile('content');
    const c = new SyncCache(file);
    try {
      const s = state(100);
      let rev = c.folders.beginFullScan(F, s);
      rev = c.folders.putMessages(F, '7', [msg(1), withPart(2)]).revision;
      c.folders.commitFolder(F, [], s, { revision: rev, expected: () => [] });
      const base = content(c);
      // Plain mail added, and removed: the same content, under new revisions.
      rev = c.folders.putMessages(F, '7', [msg(3)]).revision;
      c.folders.commitFolder(F, [1], s, { revision: rev, expected: () => [] });
      expect(content(c)).toBe(base);
      // What the mirror says is what the file says.
      expect(c.folders.messages(F).content).toBe(base);
      const other = new SyncCache(file);
      expect(other.folders.messages(F).content).toBe(base);
      other.close();
      // A row with something for the merge, added or removed; a plain row replacing one.
      const moves: Array<() => void> = [
        () => c.folders.commitFolder(F, [], s, { revision: c.folders.putMessages(F, '7', [withPart(4)]).revision, expected: () => [] }),
        () => c.folders.commitFolder(F, [2], s, { revision: c.folders.folderState(F)!.revision, expected: () => [] }),
        () => c.folders.commitFolder(F, [], s, { revision: c.folders.putMessages(F, '7', [msg(4)]).revision, expected: () => [] }),
      ];
      const seen = new Set([base]);
      for (const move of moves) {
        move();
        expect(seen.has(content(c))).toBe(false);
        seen.add(content(c));
      }
    } finally {
      c.close();
    }
  });

  it('a file from before the content columns gains them and keeps its rows; a writer that does not keep them (an older mailbox2ics) is never taken for unchanged content', () => {
    const file = tempFile('content-old');
    const c = new SyncCache(file);
    const s = state(100);
    c.folders.beginFullScan(F, s);
    c.folders.commitFolder(F, [], s, { revision: c.folders.putMessages(F, '7', [withPart(1)]).revision, expected: () => [] });
    c.close();
    const db = new Database(file);
    db.exec('ALTER TABLE folders DROP COLUMN content_revision; ALTER TABLE folders DROP COLUMN content_at');
    db.close();
    const reopened = new SyncCache(file);
    try {
      expect(subjects(reopened)).toEqual(['m1']);
      const rev = reopened.folders.folderState(F)!.revision;
      expect(content(reopened)).toBe(`r${rev}`);
      // Once written by this version, plain rows keep what it records.
      reopened.folders.commitFolder(F, [], s, { revision: reopened.folders.putMessages(F, '7', [msg(2)]).revision, expected: () => [] });
      const kept = content(reopened);
      reopened.folders.commitFolder(F, [], s, { revision: reopened.folders.putMessages(F, '7', [msg(3)]).revision, expected: () => [] });
      expect(content(reopened)).toBe(kept);
      // An older writer moves the revision only (it knows nothing of the content columns).
      const other = new Database(file);
      other.prepare("UPDATE messages SET result = ? WHERE uid = 1").run(JSON.stringify({ ...withPart(1), subject: 'changed' }));
      other.prepare("UPDATE folders SET revision = (SELECT CAST(value AS INTEGER) + 1 FROM meta WHERE key = 'revision')").run();
      other.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'").run();
      other.close();
      expect(content(reopened)).not.toBe(kept);
      reopened.folders.commitFolder(F, [], s, { revision: reopened.folders.putMessages(F, '7', [msg(4)]).revision, expected: () => [] });
      expect(content(reopened)).not.toBe(kept);
      expect(subjects(reopened)[0]).toBe('changed');
    } finally {
      reopened.close();
    }
  });
});
