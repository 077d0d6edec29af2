// The sync cache's in-memory mirror: a long-running process reads each folder's rows from disk once,
// keeps its own writes in step, and drops the mirror when another process writes the same file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
});
