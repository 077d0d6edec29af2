// Two processes on one cache file syncing the same folder with the same settings (a cron CLI beside
// the app), as two SQLite connections in this process, interleaved by the fault proxy stalling one
// connection mid-sync: a sync whose rows the other emptied starts over, and both feeds stay right.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { syncFromImap, type ImapSyncRequest, type SyncResult } from '../../../electron/core/sync/run-sync.ts';
import type { ScanProgress } from '../../../electron/core/imap/scan.ts';
import { CacheConflictError, SyncCache } from '../../../electron/core/store/cache.ts';
import { scanKeyOf } from '../../../electron/core/imap/incremental.ts';

/** Three batches of 500: a scan from scratch can be stopped with part of the folder stored. */
const TOTAL = 1200;

let server: DovecotServer;
let proxy: FaultProxy;
let req: ImapSyncRequest;
let n = 0;

function invitation(): Buffer {
  n += 1;
  return buildMail({ subject: `Invitation ${n}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `same-${n}@example.com`, summary: `Event ${n}` })) }] });
}

const modeOf = (r: SyncResult) => r.report.folders[0].syncMode;

/** Starts a sync whose connection the proxy stalls at the first progress report `when` accepts. */
function syncHeldAt(cache: SyncCache, when: (p: ScanProgress) => boolean, extra: Partial<ImapSyncRequest> = {}) {
  let connection = 0;
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const done = syncFromImap({
    ...req, ...extra, cache,
    onProgress: (p) => {
      if (connection || !when(p)) return;
      // This sync's connection is the newest: the other one is held already, or not started.
      connection = proxy.connections;
      proxy.holdConnection(connection, true);
      onHeld();
    },
  });
  return { done, held, release: () => connection && proxy.holdConnection(connection, false) };
}

beforeAll(async () => {
  server = await startDovecot();
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
  server.createFolder('Same');
  server.addMessages('Same', Array.from({ length: TOTAL }, () => ({ raw: invitation() })));
  server.createFolder('Other');
  server.addMessage('Other', invitation());
  req = {
    connect: { host: server.host, port: proxy.port, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile },
    folders: ['Same'], include: new Set(['VEVENT']), cancelled: 'remove', maxPartBytes: 10 << 20,
  };
});
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

describe('two processes syncing one folder into one cache', () => {
  it('an incremental sync whose rows another process started over meanwhile starts over itself; both feeds right', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shared-cache-')), 'cache.sqlite');
    const app = new SyncCache(file);
    const cron = new SyncCache(file);
    let b: ReturnType<typeof syncHeldAt> | undefined;
    try {
      expect(modeOf(await syncFromImap({ ...req, cache: app }))).toBe('full');
      for (let i = 0; i < 3; i++) server.addMessage('Same', invitation());
      const fresh = await syncFromImap(req);
      expect(fresh.report.eventsOut).toBe(TOTAL + 3);
      // The app has listed the folder and found 3 new messages; it stalls before fetching them.
      const a = syncHeldAt(app, (p) => p.total === 3);
      await a.held;
      // Meanwhile a cron run with --full starts the folder over and stalls with one batch stored.
      b = syncHeldAt(cron, (p) => p.done >= 500, { full: true });
      await b.held;
      a.release();
      const ra = await a.done;
      // Before: the app committed its plan over the cron run's first batch, 700 events short, and
      // every later sync served that calendar as "unchanged".
      expect(ra.report.eventsOut).toBe(fresh.report.eventsOut);
      expect(ra.ics).toBe(fresh.ics);
      // Its 3, then (starting over from the cron run's 500) the 700 nobody had stored yet.
      expect(ra.report.folders[0].messagesFetched).toBe(3 + TOTAL + 3 - 500 - 3);
      b.release();
      const rb = await b.done;
      expect(rb.ics).toBe(fresh.ics);
      const later = await syncFromImap({ ...req, cache: app });
      expect(modeOf(later)).toBe('unchanged');
      expect(later.ics).toBe(fresh.ics);
    } finally {
      // A failed assertion must not leave the cron run stalled on its connection.
      b?.release();
      await b?.done.catch(() => undefined);
      app.close();
      cron.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('an unchanged folder whose rows another process starts over before they are merged is synced again, not merged half', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shared-cache-lazy-')), 'cache.sqlite');
    const app = new SyncCache(file);
    const cron = new SyncCache(file);
    const both = { ...req, folders: ['Same', 'Other'] };
    let a: ReturnType<typeof syncHeldAt> | undefined;
    let b: ReturnType<typeof syncHeldAt> | undefined;
    try {
      await syncFromImap({ ...both, cache: app });
      server.addMessage('Other', invitation());
      const fresh = await syncFromImap(both);
      // 'Same' is found unchanged (its rows to be read later, for the merge); the app stalls on 'Other'.
      a = syncHeldAt(app, (p) => p.folder === 'Other', { folders: both.folders });
      await a.held;
      // Meanwhile a cron run with --full starts 'Same' over and stalls with one batch stored.
      b = syncHeldAt(cron, (p) => p.done >= 500, { full: true });
      await b.held;
      a.release();
      const ra = await a.done;
      // Before: the app merged the 500 rows the cron run had stored so far.
      expect(ra.report.eventsOut).toBe(fresh.report.eventsOut);
      expect(ra.ics).toBe(fresh.ics);
      expect(ra.report.folders.map((f) => [f.folder, f.syncMode])).toEqual([['Same', 'incremental'], ['Other', 'incremental']]);
      b.release();
      expect((await b.done).ics).toBe((await syncFromImap(req)).ics);
    } finally {
      a?.release();
      b?.release();
      await Promise.all([a?.done.catch(() => undefined), b?.done.catch(() => undefined)]);
      app.close();
      cron.close();
    }
  });

  it('a folder fought over without end is reported (CACHE_BUSY) after a few fresh starts; its recorded state stays as it was', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shared-cache-fight-')), 'cache.sqlite');
    const cache = new SyncCache(file);
    try {
      await syncFromImap({ ...req, cache });
      server.addMessage('Same', invitation());
      const before = cache.folders.folderState({ account: `${server.user}@${server.host}:${proxy.port}`, folder: 'Same', scanKey: scanKeyOf({ maxPartBytes: req.maxPartBytes }) });
      expect(before?.complete).toBe(true);
      // Stands in for another process that changes the rows before every commit of this one.
      let commits = 0;
      cache.folders.commitFolder = (ref) => {
        commits += 1;
        throw new CacheConflictError(ref, 'another process changed them');
      };
      await expect(syncFromImap({ ...req, cache })).rejects.toMatchObject({ code: 'CACHE_BUSY', message: expect.stringMatching(/4 times in a row; another mailbox2ics process keeps syncing it/) });
      expect(commits).toBe(4);
      const after = cache.folders.folderState({ account: `${server.user}@${server.host}:${proxy.port}`, folder: 'Same', scanKey: scanKeyOf({ maxPartBytes: req.maxPartBytes }) });
      expect(after).toMatchObject({ uidNext: before!.uidNext, exists: before!.exists, complete: true });
    } finally {
      cache.close();
    }
  });
});
