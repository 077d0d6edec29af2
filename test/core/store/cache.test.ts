// The sync cache's in-memory mirror: a long-running process reads each folder's rows from disk once,
// keeps its own writes in step, and drops the mirror when another process writes the same file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import type { MessageResult } from '../../../electron/core/imap/message-scan.ts';

const msg = (uid: number, subject = `m${uid}`): MessageResult => ({ uid, subject, hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [] });
const state = (uidNext: number) => ({ uidValidity: '7', uidNext, exists: 0, scanKey: 'k' });
const subjects = (c: SyncCache) => [...c.messages('acc', 'F')].map((m) => m.subject);

describe('SyncCache mirror', () => {
  it('follows its own writes and notices another process writing the same file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cache-mirror-')), 'cache.sqlite');
    const app = new SyncCache(file);
    const cron = new SyncCache(file);
    try {
      app.putMessages('acc', 'F', [msg(1), msg(2)]);
      expect(subjects(app)).toEqual(['m1', 'm2']); // read from disk, mirrored from now on
      app.putMessages('acc', 'F', [msg(3)]);
      app.commitFolder('acc', 'F', [1], state(4));
      expect(subjects(app)).toEqual(['m2', 'm3']);
      expect(app.cachedUids('acc', 'F')).toEqual([2, 3]);

      // Another connection (a cron run of the CLI on the same cache) changes the folder.
      cron.putMessages('acc', 'F', [msg(2, 'm2 again'), msg(5)]);
      cron.commitFolder('acc', 'F', [3], state(6));
      expect(subjects(app)).toEqual(['m2 again', 'm5']);
      expect(app.cachedUids('acc', 'F')).toEqual([2, 5]);

      app.resetFolder('acc', 'F');
      expect(subjects(app)).toEqual([]);
      app.putMessages('acc', 'F', [msg(9)]);
      expect(subjects(app)).toEqual(['m9']);
      expect(subjects(cron)).toEqual(['m9']);
      // What the mirror says is what the file says.
      const fresh = new SyncCache(file);
      expect(subjects(fresh)).toEqual(subjects(app));
      fresh.close();
    } finally {
      app.close();
      cron.close();
    }
  });

  it('opens a cache written by the previous schema (feed memos dropped, messages kept) and refuses a newer one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cache-schema-'));
    const file = path.join(dir, 'cache.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE feeds (key TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE messages (account TEXT NOT NULL, folder TEXT NOT NULL, uid INTEGER NOT NULL, result TEXT NOT NULL, PRIMARY KEY (account, folder, uid));
      INSERT INTO meta VALUES ('schema', '1');
      INSERT INTO feeds VALUES ('k', 's', '{}');`);
    old.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)').run('acc', 'F', 1, JSON.stringify(msg(1)));
    old.close();
    const cache = new SyncCache(file);
    try {
      expect(cache.getFeed('k', 's', (r) => r)).toBeUndefined();
      cache.putFeed('k', 's', { data: '{"x":1}', ics: 'BEGIN:VCALENDAR' }, (r) => r);
      expect(cache.getFeed('k', 's', (r) => r)).toEqual({ data: '{"x":1}', ics: 'BEGIN:VCALENDAR' });
      expect(subjects(cache)).toEqual(['m1']);
    } finally {
      cache.close();
    }
    const newer = new Database(file);
    newer.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    newer.close();
    expect(() => new SyncCache(file)).toThrow(/schema version 99, expected 2 .*newer mailbox2ics.*Delete it or pass --no-cache/);
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
