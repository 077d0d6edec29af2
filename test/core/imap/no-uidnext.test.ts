// A server that leaves UIDNEXT out of EXAMINE (RFC 3501 allows it), made from the real Dovecot by the
// fault proxy rewriting its plain-text responses: cached syncs work, never claim "unchanged" without
// evidence, and pick up new, expunged and swapped mail. Without UIDVALIDITY nothing is cached at all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { connectImap, disconnect } from '../../../electron/core/imap/connect.ts';
import { syncFromImap, type ImapSyncRequest, type SyncResult } from '../../../electron/core/sync/run-sync.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';

let server: DovecotServer;
let noUidNext: FaultProxy;
let noUidValidity: FaultProxy;
let n = 0;

const strip = (code: string) => (line: string) => (line.startsWith(`* OK [${code} `) ? '' : line);

function invitation(from = 'lead@team.example.com'): Buffer {
  n += 1;
  return buildMail({ subject: `Invitation ${n}`, from, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `nouidnext-${n}@example.com`, summary: `Event ${n}` })) }] });
}

const request = (proxy: FaultProxy, folder: string): ImapSyncRequest => ({
  connect: { host: server.host, port: proxy.port, security: 'plaintext', username: server.user, password: server.password },
  folders: [folder], include: new Set(['VEVENT']), cancelled: 'remove', maxPartBytes: 10 << 20,
});
const modeOf = (r: SyncResult) => r.report.folders.map((f) => `${f.syncMode}:${f.messagesFetched}:${f.messagesExpunged}`).join(',');

beforeAll(async () => {
  server = await startDovecot();
  noUidNext = await startFaultProxy({ targetHost: server.host, targetPort: server.imapPort, rewriteServerLines: strip('UIDNEXT') });
  noUidValidity = await startFaultProxy({ targetHost: server.host, targetPort: server.imapPort, rewriteServerLines: strip('UIDVALIDITY') });
});
afterAll(async () => {
  await noUidNext?.stop();
  await noUidValidity?.stop();
  await server?.stop();
});

describe('a server that omits UIDNEXT', () => {
  it('really omits it: the client sees no UIDNEXT through the proxy', async () => {
    server.createFolder('Probe');
    server.addMessage('Probe', invitation());
    const client = await connectImap(request(noUidNext, 'Probe').connect);
    try {
      const lock = await client.getMailboxLock('Probe', { readOnly: true });
      try {
        expect(client.mailbox && client.mailbox.exists).toBe(1);
        expect(client.mailbox && client.mailbox.uidNext).toBeUndefined();
        expect(client.mailbox && client.mailbox.uidValidity).toBeDefined();
      } finally {
        lock.release();
      }
    } finally {
      await disconnect(client);
    }
  });

  it('cached syncs work and pick up new, expunged and swapped mail, each equal to a stateless scan', async () => {
    server.createFolder('Events');
    for (let i = 0; i < 6; i++) server.addMessage('Events', invitation(i % 2 ? 'x@elsewhere.example.org' : undefined));
    const cache = new SyncCache(path.join(mkdtempSync(path.join(tmpdir(), 'nouidnext-')), 'cache.sqlite'));
    const all = request(noUidNext, 'Events');
    const team = { ...all, serverFilter: buildServerFilter({ allowSenders: ['team.example.com'] }) };
    const both = async (req: ImapSyncRequest) => {
      const cached = await syncFromImap({ ...req, cache });
      const fresh = await syncFromImap(req);
      expect(cached.ics).toBe(fresh.ics);
      expect(cached.report.eventsOut).toBe(fresh.report.eventsOut);
      expect(cached.report.folders[0].messagesFilteredOut).toBe(fresh.report.folders[0].messagesFilteredOut);
      return cached;
    };
    try {
      // Before: "NOT NULL constraint failed: folders.uid_next" on the first cached sync.
      expect(modeOf(await both(all))).toBe('full:6:0');
      expect(modeOf(await both(team))).toBe('full:3:0');
      // Nothing changed: learned from a UID SEARCH, never claimed from a missing UIDNEXT.
      const quiet = await both(all);
      expect(modeOf(quiet)).toBe('incremental:0:0');
      expect(quiet.report.eventsOut).toBe(6);
      expect(modeOf(await both(team))).toBe('incremental:0:0');

      server.addMessage('Events', invitation());
      expect(modeOf(await both(all))).toBe('incremental:1:0');
      server.removeMessageFile('Events', 0);
      const gone = await both(all);
      expect(modeOf(gone)).toBe('incremental:0:1');
      expect(gone.ics).not.toContain('nouidnext-2@example.com');
      // One in, one out: EXISTS is the same, and there is no UIDNEXT to tell.
      server.addMessage('Events', invitation());
      server.removeMessageFile('Events', 0);
      const swapped = await both(all);
      expect(modeOf(swapped)).toBe('incremental:1:1');
      expect(swapped.report.eventsOut).toBe(6);
      // The filtered profile catches up on everything at once.
      expect(modeOf(await both(team))).toBe('incremental:2:1');
    } finally {
      cache.close();
    }
  });
});

describe('a server that omits UIDVALIDITY', () => {
  it('is scanned in full every time and nothing of it is cached: its UIDs promise nothing', async () => {
    server.createFolder('NoIds');
    for (let i = 0; i < 3; i++) server.addMessage('NoIds', invitation());
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nouidvalidity-')), 'cache.sqlite');
    const cache = new SyncCache(file);
    const req = request(noUidValidity, 'NoIds');
    try {
      for (let round = 0; round < 2; round++) {
        if (round) server.addMessage('NoIds', invitation());
        const cached = await syncFromImap({ ...req, cache });
        expect(cached.ics).toBe((await syncFromImap(req)).ics);
        expect(modeOf(cached)).toBe(`stateless:${3 + round}:0`);
      }
    } finally {
      cache.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM feeds').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
