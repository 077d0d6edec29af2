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
      expect(cache.getFeed('k', 's')).toBeUndefined();
      cache.putFeed('k', 's', '{"x":1}', 'BEGIN:VCALENDAR');
      expect(cache.getFeed('k', 's')).toEqual({ data: '{"x":1}', ics: 'BEGIN:VCALENDAR' });
      expect(subjects(cache)).toEqual(['m1']);
    } finally {
      cache.close();
    }
    const newer = new Database(file);
    newer.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    newer.close();
    expect(() => new SyncCache(file)).toThrow(/schema version 99, expected 2 .*newer mailbox2ics.*Delete it or pass --no-cache/);
  });
});
