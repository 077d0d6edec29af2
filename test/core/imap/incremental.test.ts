// Incremental sync against the real Dovecot: after additions, expunges, moves between folders and a
// UIDVALIDITY reset the cached result is byte-identical to a fresh full scan; no change fetches nothing.
import { mkdtempSync, readFileSync, readdirSync, rmSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { syncFromImap, type ImapSyncRequest } from '../../../electron/core/sync/run-sync.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { ConnectionPool } from '../../../electron/core/imap/connection-pool.ts';
import { connectImap } from '../../../electron/core/imap/connect.ts';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';

let server: DovecotServer;
let cache: SyncCache;
let req: ImapSyncRequest;
let n = 0;

function invitation(uid: string, seq = 0, method = 'REQUEST') {
  n += 1;
  return buildMail({ subject: `${method} ${uid} #${seq}`, date: new Date(Date.UTC(2026, 0, 1, 0, n)), calendars: [{ method, ics: vcal(method, vevent({ uid, summary: `Event ${uid} v${seq}`, sequence: seq, dtstamp: `2026010${Math.min(seq, 8) + 1}T000000Z` })) }] });
}

async function both() {
  const cached = await syncFromImap({ ...req, cache });
  const fresh = await syncFromImap(req);
  expect(cached.ics).toBe(fresh.ics);
  return cached;
}

const modes = (r: Awaited<ReturnType<typeof both>>) => Object.fromEntries(r.report.folders.map((f) => [f.folder, `${f.syncMode}:${f.messagesFetched}:${f.messagesExpunged}`]));

beforeAll(async () => {
  server = await startDovecot();
  cache = new SyncCache(path.join(mkdtempSync(path.join(tmpdir(), 'cache-')), 'cache.sqlite'));
  server.createFolder('A');
  server.createFolder('B');
  for (let i = 0; i < 12; i++) server.addMessage('A', invitation(`a${i}@example.com`));
  server.addMessage('A', buildMail({ subject: 'plain mail' }));
  for (let i = 0; i < 5; i++) server.addMessage('B', invitation(`b${i}@example.com`));
  req = {
    connect: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile },
    folders: ['A', 'B'], include: new Set(['VEVENT']), cancelled: 'remove', maxPartBytes: 10 << 20,
  };
});
afterAll(async () => {
  cache?.close();
  await server?.stop();
});

describe('incremental sync', () => {
  it('first run scans everything, a re-run with no change fetches no message data', async () => {
    const first = await both();
    expect(modes(first)).toEqual({ A: 'full:13:0', B: 'full:5:0' });
    const again = await both();
    expect(modes(again)).toEqual({ A: 'unchanged:0:0', B: 'unchanged:0:0' });
    // EXAMINE responses only: no FETCH, no SEARCH.
    expect(again.report.bytesDownloaded).toBeLessThan(first.report.bytesDownloaded / 10);
    // The reused feed reports what the first run reported (events, messages with calendars, skips).
    const facts = (r: typeof first) => r.report.folders.map((f) => [f.eventsOut, f.messagesWithCalendar, f.calendarParts, f.skipped.length, f.warnings.length]);
    expect(facts(again)).toEqual(facts(first));
    expect(again.items).toEqual(first.items);
  });

  it('new messages (including an update and a cancellation) are the only ones fetched', async () => {
    server.addMessage('A', invitation('a1@example.com', 1));
    server.addMessage('A', invitation('a2@example.com', 1, 'CANCEL'));
    server.addMessage('B', invitation('b9@example.com'));
    const r = await both();
    expect(modes(r)).toEqual({ A: 'incremental:2:0', B: 'incremental:1:0' });
    expect(r.ics).toContain('SUMMARY:Event a1@example.com v1');
    expect(r.ics).not.toContain('a2@example.com');
  });

  it('expunged messages leave the calendar; a move between folders is an expunge plus an append', async () => {
    server.removeMessageFile('A', 0); // a0's only source
    const r1 = await both();
    expect(modes(r1)).toEqual({ A: 'incremental:0:1', B: 'unchanged:0:0' });
    expect(r1.ics).not.toContain('a0@example.com');
    // Move a3 from A to B, as a mail client's MOVE does on disk.
    const aCur = path.join(server.folderDir('A'), 'cur');
    const a3 = readdirSync(aCur).sort()[2];
    const raw = readFileSync(path.join(aCur, a3));
    expect(raw.toString()).toContain('a3@example.com');
    rmSync(path.join(aCur, a3));
    server.addMessage('B', raw);
    const r2 = await both();
    expect(modes(r2)).toEqual({ A: 'incremental:0:1', B: 'incremental:1:0' });
    expect(r2.ics).toContain('a3@example.com');
  });

  it('a UIDVALIDITY change rescans that folder from scratch', async () => {
    const dir = server.folderDir('B');
    for (const f of readdirSync(dir)) if (f.startsWith('dovecot')) rmSync(path.join(dir, f));
    // Fresh file names too, so Dovecot cannot recover the old UIDs from anywhere.
    const cur = path.join(dir, 'cur');
    for (const f of readdirSync(cur)) renameSync(path.join(cur, f), path.join(cur, `9${f}`));
    const r = await both();
    expect(modes(r).B).toMatch(/^full:\d+:0$/);
    expect(modes(r).A).toBe('unchanged:0:0');
  });

  it('changing the scan settings (a filter) rescans; --full forces a rescan', async () => {
    const filtered = { ...req, serverFilter: buildServerFilter({ subject: 'REQUEST' }) };
    const cached = await syncFromImap({ ...filtered, cache });
    expect(cached.report.folders.map((f) => f.syncMode)).toEqual(['full', 'full']);
    expect(cached.ics).toBe((await syncFromImap(filtered)).ics);
    const forced = await syncFromImap({ ...req, cache, full: true });
    expect(forced.report.folders.map((f) => f.syncMode)).toEqual(['full', 'full']);
    expect(forced.ics).toBe((await syncFromImap(req)).ics);
  });

  it('a kept-open connection logs in once and still sees a change that leaves the message count equal', async () => {
    // Its own folder: the UIDVALIDITY test above deletes Dovecot's index files behind its back,
    // after which a long-lived Dovecot session no longer notices Maildir files changed out of band.
    server.createFolder('C');
    for (let i = 0; i < 3; i++) server.addMessage('C', invitation(`c${i}@example.com`));
    // Logins counted where the pool makes them (the real connection): Dovecot logs a session only
    // some time after it ends, so its log cannot tell this test's sessions from the previous test's.
    let logins = 0;
    const pool = new ConnectionPool((o) => {
      logins += 1;
      return connectImap(o);
    });
    const own = { ...req, folders: ['C'], cache, pool };
    try {
      await syncFromImap(own);
      expect(pool.size).toBe(1);
      // The harness changes the Maildir behind Dovecot's back; Dovecot's open session notices that by
      // the directory's mtime in whole seconds, so let a second pass first (real mail arrives through
      // Dovecot itself).
      await new Promise((r) => setTimeout(r, 1100));
      // One message in, one out: EXISTS is the same, only a fresh EXAMINE's UIDNEXT tells.
      server.addMessage('C', invitation('c-kept@example.com'));
      server.removeMessageFile('C', 0);
      const again = await syncFromImap(own);
      expect(modes(again).C).toBe('incremental:1:1');
      expect(again.ics).toBe((await syncFromImap({ ...req, folders: ['C'] })).ics);
      const quiet = await syncFromImap(own);
      expect(modes(quiet)).toEqual({ C: 'unchanged:0:0' });
      // Three pooled syncs on one session; the comparison scan above logged in on its own.
      expect(logins).toBe(1);
    } finally {
      await pool.closeAll();
    }
    expect(pool.size).toBe(0);
  });

  it('a long-running process reports the same on every no-change sync and stores its feed for the next process when idle', async () => {
    server.createFolder('D');
    server.addMessage('D', invitation('d0@example.com'));
    server.addMessage('D', buildMail({ subject: 'winmail', attachments: [{ contentType: 'application/ms-tnef', filename: 'winmail.dat', data: Buffer.from('tnef') }] }));
    server.addMessage('D', buildMail({ subject: 'broken', calendars: [{ method: 'REQUEST', ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage' }] }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cache-app-')), 'cache.sqlite');
    const storedFeeds = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM feeds').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const app = new SyncCache(file, { deferFeedWrites: 60_000 });
    const pool = new ConnectionPool();
    const own = { ...req, folders: ['D'], cache: app, pool };
    let first: Awaited<ReturnType<typeof syncFromImap>>;
    try {
      first = await syncFromImap(own);
      expect(first.report.skipped.map((s) => s.subject).sort()).toEqual(['broken', 'winmail']);
      for (let i = 0; i < 3; i++) {
        const again = await syncFromImap(own);
        expect(modes(again)).toEqual({ D: 'unchanged:0:0' });
        expect(again.report.skipped).toEqual(first.report.skipped);
        expect(again.report.folders[0].messagesWithCalendar).toBe(first.report.folders[0].messagesWithCalendar);
        expect(again.ics).toBe(first.ics);
      }
      expect(storedFeeds()).toBe(0);
    } finally {
      await pool.closeAll();
      app.close();
    }
    expect(storedFeeds()).toBe(1);
    // The next process (a cron run of the CLI) finds it, and reports the same.
    const cli = new SyncCache(file);
    try {
      const r = await syncFromImap({ ...req, folders: ['D'], cache: cli });
      expect(modes(r)).toEqual({ D: 'unchanged:0:0' });
      expect(r.ics).toBe(first.ics);
      expect(r.report.skipped).toEqual(first.report.skipped);
    } finally {
      cli.close();
    }
  });

  it('only plain mail coming or going reuses the stored feed (no merge, no write); an invitation merges again; each equals a full scan', async () => {
    server.createFolder('P');
    server.addMessage('P', invitation('p1@example.com'));
    server.addMessage('P', buildMail({ subject: 'plain 1' }));
    server.addMessage('P', invitation('p2@example.com'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cache-plain-')), 'cache.sqlite');
    const own = { ...req, folders: ['P'] };
    /** One sync as a fresh process (a cron run of the CLI) at clock `now`; checked against a stateless scan. */
    const oneShot = async (now: number) => {
      const c = new SyncCache(file, { now: () => now });
      try {
        const cached = await syncFromImap({ ...own, cache: c });
        const fresh = await syncFromImap(own);
        expect(cached.ics).toBe(fresh.ics);
        const counts = (r: typeof fresh) => r.report.folders.map((f) => [f.messages, f.messagesWithCalendar, f.calendarParts, f.eventsOut, f.skipped.length]);
        expect(counts(cached)).toEqual(counts(fresh));
        return cached;
      } finally {
        c.close();
      }
    };
    const writtenAt = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT written_at FROM feeds').pluck().all();
      } finally {
        db.close();
      }
    };
    expect(modes(await oneShot(1000))).toEqual({ P: 'full:3:0' });
    expect(writtenAt()).toEqual([1000]);
    server.addMessage('P', buildMail({ subject: 'plain 2' }));
    server.addMessage('P', buildMail({ subject: 'plain 3' }));
    expect(modes(await oneShot(2000))).toEqual({ P: 'incremental:2:0' });
    expect(writtenAt()).toEqual([1000]);
    server.removeMessageFile('P', 1); // plain 1
    expect(modes(await oneShot(3000))).toEqual({ P: 'incremental:0:1' });
    expect(writtenAt()).toEqual([1000]);
    server.addMessage('P', invitation('p3@example.com'));
    const r = await oneShot(4000);
    expect(modes(r)).toEqual({ P: 'incremental:1:0' });
    expect(r.ics).toContain('p3@example.com');
    expect(writtenAt()).toEqual([4000]);
    // An invitation expunged: merged and written again too.
    server.removeMessageFile('P', 0); // p1
    const gone = await oneShot(5000);
    expect(gone.ics).not.toContain('p1@example.com');
    expect(writtenAt()).toEqual([5000]);
  });
});
