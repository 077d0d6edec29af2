// A hostile or broken IMAP server (the scripted one in test/helpers/hostile-imap-server.ts, over TLS):
// unsolicited and unasked-for FETCH responses, oversized literals, endless "* OK" lines and an absurd
// EXISTS. Each case sits next to good invitations: the run ends, the good events come out unchanged,
// and the bad item is reported with folder, UID, part and reason.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../helpers/certs.ts';
import { startHostileImapServer, type HostileScript, type HostileServer, type SeenCommand } from '../../helpers/hostile-imap-server.ts';
import { singlePartInvite } from '../../helpers/hostile-mail.ts';
import { eventsByUid } from '../../helpers/ics-events.ts';
import { syncFromImap, type ImapSyncRequest } from '../../../electron/core/sync/run-sync.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { ConnectionPool } from '../../../electron/core/imap/connection-pool.ts';

const settings = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const, maxPartBytes: 10 * 1024 * 1024 };
const GOOD = [11, 12, 14, 15];
const BAD = 13;

let pki: TestPki;
let dir: string;
const servers: HostileServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  pki = makeTestPki(path.join(dir, 'pki'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Four good invitations around UID 13 (also a good invitation, unless the script attacks it). */
async function serve(script: HostileScript = {}, uids = [...GOOD, BAD]): Promise<HostileServer> {
  const s = await startHostileImapServer({
    folders: { Events: uids.sort((a, b) => a - b).map((uid) => ({ uid, raw: singlePartInvite(`u${uid}`) })) },
    tls: { key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) },
    script,
  });
  servers.push(s);
  return s;
}

function request(s: HostileServer, extra: Partial<ImapSyncRequest> = {}): ImapSyncRequest {
  return { ...settings, connect: { host: s.host, port: s.port, security: 'tls', username: s.user, password: s.password, caFile: pki.caFile }, folders: ['Events'], ...extra };
}

/** What the good invitations give without anything hostile around. */
async function baseline(): Promise<Map<string, string>> {
  const { ics } = await syncFromImap(request(await serve({}, GOOD)));
  const events = eventsByUid(ics);
  expect([...events.keys()].sort()).toEqual(GOOD.map((u) => `u${u}@good.example`));
  return events;
}

function expectGoodUnchanged(ics: string, good: Map<string, string>): void {
  const got = eventsByUid(ics);
  for (const [uid, text] of good) expect(got.get(uid), uid).toBe(text);
}

const isFetch = (c: SeenCommand) => c.name === 'UID FETCH' || c.name === 'FETCH';
const isPartFetch = (c: SeenCommand) => c.name === 'UID FETCH' && /BODY\.PEEK\[/.test(c.args);
/** Whether a UID FETCH's set (e.g. "11:15" or "11,13") names this UID. */
const asksFor = (c: SeenCommand, uid: number) => c.args.split(' ')[0].split(',').some((r) => {
  const [a, b] = r.split(':').map(Number);
  return uid >= a && uid <= (b ?? a);
});

describe('a hostile IMAP server', () => {
  it('unsolicited FETCH responses (flag changes, with and without UID) are ignored, with and without the cache (item 11)', async () => {
    const good = await baseline();
    const flags = { inject: (c: SeenCommand) => (isFetch(c) ? ['* 2 FETCH (FLAGS (\\Seen))', `* 3 FETCH (UID ${BAD} FLAGS (\\Seen \\Flagged))`, '* 1 FETCH (UID 11 MODSEQ (99))'] : undefined) };
    const stateless = await syncFromImap(request(await serve(flags)));
    expect(eventsByUid(stateless.ics).size).toBe(5);
    expectGoodUnchanged(stateless.ics, good);
    expect(stateless.report.skipped).toEqual([]);
    const cache = new SyncCache(path.join(mkdtempSync(path.join(dir, 'cache-')), 'cache.sqlite'));
    try {
      const s = await serve(flags);
      const first = await syncFromImap(request(s, { cache }));
      expect(first.ics).toBe(stateless.ics);
      const again = await syncFromImap(request(s, { cache }));
      expect(again.ics).toBe(stateless.ics);
    } finally {
      cache.close();
    }
  });

  it('FETCH responses for a UID never asked for never reach the output (item 11)', async () => {
    const good = await baseline();
    const forged = singlePartInvite('forged', 'Forged').toString('latin1');
    const body = forged.slice(forged.indexOf('\r\n\r\n') + 4);
    const script: HostileScript = {
      extraFetch: (c) => {
        if (!isFetch(c)) return undefined;
        if (!/BODY\.PEEK\[/.test(c.args)) {
          return [Buffer.from(`* 9 FETCH (UID 999 RFC822.SIZE 900 INTERNALDATE "05-Jan-2026 09:00:00 +0000" ENVELOPE (NIL "Forged" NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE ("text" "calendar" ("charset" "utf-8") NIL NIL "7bit" ${body.length} 10 NIL NIL NIL NIL))\r\n`)];
        }
        return [Buffer.from(`* 9 FETCH (UID 999 BODY[1]<0> {${body.length}}\r\n${body})\r\n`), Buffer.from(`* 1 FETCH (UID 11 BODY[2] {${body.length}}\r\n${body})\r\n`)];
      },
    };
    const { ics, report } = await syncFromImap(request(await serve(script)));
    expect(ics).not.toContain('forged@good.example');
    expect(eventsByUid(ics).size).toBe(5);
    expectGoodUnchanged(ics, good);
    expect(report.skipped).toEqual([]);
  });

  it('a literal far over what BODYSTRUCTURE announced is refused at its announcement, not downloaded; the part is reported (item 12)', async () => {
    const good = await baseline();
    const announced = 64 * 1024 * 1024; // the part's BODYSTRUCTURE says a few hundred bytes
    const s = await serve({ hugeLiteral: (uid, section) => (uid === BAD && section === '1' ? announced : undefined) });
    const { ics, report } = await syncFromImap(request(s));
    expectGoodUnchanged(ics, good);
    expect(eventsByUid(ics).size).toBe(4);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ folder: 'Events', uid: BAD, section: '1' });
    expect(report.skipped[0].reason).toMatch(new RegExp(`announced a literal of ${announced} bytes, over the limit of \\d+ bytes while fetching calendar parts of folder "Events" \\(UID ${BAD}\\)`));
    // What the client let the server push before it hung up: socket buffers, not 64 MB.
    expect(s.hostileBytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  it('a literal over the announced size but under the literal limit is not taken (item 12)', async () => {
    const good = await baseline();
    const s = await serve({ hugeLiteral: (uid, section) => (uid === BAD && section === '1' ? 2 * 1024 * 1024 : undefined) });
    const { ics, report } = await syncFromImap(request(s));
    expectGoodUnchanged(ics, good);
    expect(report.skipped).toEqual([expect.objectContaining({ folder: 'Events', uid: BAD, section: '1', reason: expect.stringMatching(/^the part is larger than the \d+ bytes BODYSTRUCTURE announced \(the server sent at least \d+\); not taken$/) })]);
  });

  it('endless "* OK" lines in answer to one FETCH cost one command deadline: the message is reported, the rest comes out (item 13)', async () => {
    const good = await baseline();
    const s = await serve({ flood: (c) => isPartFetch(c) && asksFor(c, BAD) });
    const { ics, report } = await syncFromImap(request(s, { commandTimeoutMs: 3000 }));
    expectGoodUnchanged(ics, good);
    expect(eventsByUid(ics).size).toBe(4);
    expect(report.skipped).toEqual([expect.objectContaining({
      folder: 'Events', uid: BAD, section: '1',
      reason: `127.0.0.1:${s.port} did not finish fetching calendar parts of folder "Events" (UID ${BAD}) within 3 s (it kept the command open without completing it); skipped (tried again on the next sync)`,
    })]);
  }, 60_000);

  it('with the cache, a message the server broke a command for is not cached: the next sync takes it (item 13)', async () => {
    const good = await baseline();
    let hostile = true;
    const s = await serve({ flood: (c) => hostile && isPartFetch(c) && asksFor(c, BAD) });
    const cache = new SyncCache(path.join(mkdtempSync(path.join(dir, 'cache-')), 'cache.sqlite'));
    try {
      const first = await syncFromImap(request(s, { cache, commandTimeoutMs: 3000 }));
      expectGoodUnchanged(first.ics, good);
      expect(first.report.skipped).toEqual([expect.objectContaining({ folder: 'Events', uid: BAD, section: '1' })]);
      hostile = false;
      const second = await syncFromImap(request(s, { cache, commandTimeoutMs: 3000 }));
      expect(second.report.skipped).toEqual([]);
      expect([...eventsByUid(second.ics).keys()].sort()).toEqual([...GOOD, BAD].sort().map((u) => `u${u}@good.example`));
      expectGoodUnchanged(second.ics, good);
      const fetched = s.commands.filter((c) => isPartFetch(c) && c.args.startsWith(`${BAD} `));
      expect(fetched.length).toBeGreaterThanOrEqual(2); // tried alone in the first run, and again in the second
    } finally {
      cache.close();
    }
  }, 60_000);

  it('a kept connection gains no listener per sync (the deadline watch is removed after each)', async () => {
    const s = await serve();
    const pool = new ConnectionPool();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 12; i++) await syncFromImap(request(s, { pool }));
      await new Promise((r) => setImmediate(r));
      expect(s.connections).toBe(1);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await pool.closeAll();
    }
  }, 60_000);

  it('a kept connection whose CLOSE never finishes does not hold the next sync (item 13)', async () => {
    const good = await baseline();
    const s = await serve({ flood: (c) => c.name === 'CLOSE' });
    const pool = new ConnectionPool();
    try {
      await syncFromImap(request(s, { pool, commandTimeoutMs: 3000 }));
      const again = await syncFromImap(request(s, { pool, commandTimeoutMs: 3000 }));
      expectGoodUnchanged(again.ics, good);
      expect(s.commands.filter((c) => c.name === 'CLOSE')).toHaveLength(1);
    } finally {
      await pool.closeAll();
    }
  }, 60_000);

  it('endless "* OK" lines on EXAMINE end the run with SERVER_TIMEOUT naming the server and what it was doing (item 13)', async () => {
    const s = await serve({ flood: (c) => c.name === 'EXAMINE' });
    await expect(syncFromImap(request(s, { commandTimeoutMs: 2000 }))).rejects.toMatchObject({
      code: 'SERVER_TIMEOUT',
      message: `127.0.0.1:${s.port} did not finish opening folder "Events" within 2 s (it kept the command open without completing it). Nothing was written.`,
    });
  }, 30_000);

  it('endless "* OK" lines on the login end the run with SERVER_TIMEOUT (item 13)', async () => {
    const s = await serve({ flood: (c) => c.name === 'LOGIN' });
    await expect(syncFromImap(request(s, { commandTimeoutMs: 2000 }))).rejects.toMatchObject({
      code: 'SERVER_TIMEOUT', message: `127.0.0.1:${s.port} did not complete the login within 2 s (it kept the connection busy without finishing).`,
    });
  }, 30_000);

  it('the run deadline bounds the whole run, whatever the command deadline (item 13)', async () => {
    const s = await serve({ flood: (c) => c.name === 'UID FETCH' });
    await expect(syncFromImap(request(s, { commandTimeoutMs: 600_000, runTimeoutMs: 6000 }))).rejects.toMatchObject({
      code: 'SERVER_TIMEOUT',
      message: `The sync with 127.0.0.1:${s.port} did not finish within 6 s (the limit for a whole run); it was fetching message structures of folder "Events" (UID 11:15). Nothing was written.`,
    });
  }, 60_000);

  it('a server that floods every FETCH is given up on after a bounded number of reconnects, not tried message by message forever (item 13)', async () => {
    const s = await serve({ flood: (c) => c.name === 'UID FETCH' }, [...Array(12).keys()].map((i) => i + 1));
    await expect(syncFromImap(request(s, { commandTimeoutMs: 2000 }))).rejects.toMatchObject({
      code: 'SERVER_TIMEOUT',
      message: `127.0.0.1:${s.port} did not finish fetching message structures of folder "Events" (UID 8) within 2 s (it kept the command open without completing it); the server failed 9 times in this run, so the run was stopped. Nothing was written.`,
    });
    expect(s.connections).toBe(9);
  }, 60_000);

  it('EXISTS 4294967295 without the cache: the work follows what UID SEARCH lists (item 14)', async () => {
    const good = await baseline();
    const s = await serve({ exists: () => 4294967295 });
    const { ics, report } = await syncFromImap(request(s));
    expect(eventsByUid(ics).size).toBe(5);
    expectGoodUnchanged(ics, good);
    expect(s.commands.filter((c) => c.name === 'UID FETCH' || c.name === 'FETCH').length).toBeLessThanOrEqual(2);
    expect(report.folders[0].messages).toBe(5);
    expect(report.warnings).toContainEqual(expect.objectContaining({ folder: 'Events', message: 'the server announced 4294967295 messages but listed 5; the 5 listed were scanned' }));
  }, 60_000);
});
