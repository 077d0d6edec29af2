// Hostile mail (issue 12, items 8–10), each message between two good invitations, read twice from the
// same Maildir files: over IMAP from a real Dovecot, and locally (--maildir). Both runs end, keep every
// good event unchanged, take what can be reached, report the rest with folder, UID, part and reason,
// and agree with each other.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawImap } from '../../helpers/raw-imap.ts';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import * as H from '../../helpers/hostile-mail.ts';
import { eventsByUid } from '../../helpers/ics-events.ts';
import { syncFromImap, type SyncResult } from '../../../electron/core/sync/run-sync.ts';
import { syncFromLocal } from '../../../electron/core/sync/local-sync.ts';
import { connectImap, disconnect, type ConnectOptions } from '../../../electron/core/imap/connect.ts';
import { findCalendarSections } from '../../../electron/core/imap/body-structure.ts';
import { scanMime } from '../../../electron/core/mime/mime-scan.ts';
import { MAX_HEADER_LINE_BYTES } from '../../../electron/core/limits.ts';

const settings = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const, maxPartBytes: 10 * 1024 * 1024 };

let server: DovecotServer;
let conn: ConnectOptions;

/** Each case: a folder holding good invitation A (UID 1), the hostile message (UID 2), good invitation B (UID 3). */
const CASES: Record<string, Buffer> = {
  Deep30: H.deepMultipart('deep30-top', 'deep30-bottom', 30),
  Deep150: H.deepMultipart('deep150-top', 'deep150-bottom', 150),
  DeepForward8: H.deepForward('fwd8-top', 'fwd8-bottom', 8),
  NoBoundary: H.noBoundary('nb'),
  MissingBoundary: H.missingBoundary('mb-top', 'mb-lost'),
  HugeHeader: H.hugeHeaderLine('hh', 10 * 1024 * 1024),
  Fwd1Single: H.forwarded('f1s', 1, 'single'),
  Fwd2Single: H.forwarded('f2s', 2, 'single'),
  Fwd3Single: H.forwarded('f3s', 3, 'single'),
  Fwd1Multi: H.forwarded('f1m', 1, 'multipart'),
  Fwd3Multi: H.forwarded('f3m', 3, 'multipart'),
  Charset: H.unknownCharset('cs', 'Résumé – Café'),
};

beforeAll(async () => {
  server = await startDovecot();
  for (const [name, raw] of Object.entries(CASES)) {
    server.addMessages(name, [{ raw: H.singlePartInvite(`${name}-a`) }, { raw }, { raw: H.mixed(`B ${name}`, [H.calendarPart(`${name}-b`)]) }]);
  }
  server.addMessages('GoodOnly', [{ raw: H.singlePartInvite('g-a') }, { raw: H.mixed('B', [H.calendarPart('g-b')]) }]);
  conn = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile };
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function both(folder: string, maxPartBytes = settings.maxPartBytes): Promise<{ imap: SyncResult; local: SyncResult }> {
  const imap = await syncFromImap({ ...settings, maxPartBytes, connect: conn, folders: [folder] });
  const local = await syncFromLocal({ ...settings, maxPartBytes, maildirs: [server.folderDir(folder)] });
  return { imap, local };
}

const skips = (r: SyncResult) => r.report.skipped.map((s) => ({ uid: s.uid, section: s.section, reason: s.reason }));
const warnings = (r: SyncResult) => r.report.warnings.map((w) => ({ uid: w.uid, section: w.section, message: w.message }));
const uids = (r: SyncResult) => [...eventsByUid(r.ics).keys()].sort();

/** Both good invitations of the folder come out exactly as a run of good mail alone writes them. */
function expectGoodEvents(r: SyncResult, name: string): void {
  const events = eventsByUid(r.ics);
  for (const tag of [`${name}-a`, `${name}-b`]) {
    const text = events.get(`${tag}@good.example`);
    expect(text, tag).toBeDefined();
    expect(text!.replace(tag, 'TAG').replace(tag, 'TAG')).toBe(GOOD_SHAPE);
  }
}
let GOOD_SHAPE = '';

describe('hostile mail over IMAP and locally (items 8–10)', () => {
  it('a good-only folder gives the reference shape of a good event', async () => {
    const { imap, local } = await both('GoodOnly');
    expect(imap.ics).toBe(local.ics);
    GOOD_SHAPE = eventsByUid(imap.ics).get('g-a@good.example')!.replace('g-a', 'TAG').replace('g-a', 'TAG');
    expect(GOOD_SHAPE).toContain('SUMMARY:Good TAG');
    expect(imap.report.skipped).toEqual([]);
  });

  it('a structure deeper than the nesting limit: the top-level calendar is taken, the deep part reported (item 8)', async () => {
    const { imap, local } = await both('Deep30');
    for (const r of [imap, local]) {
      expectGoodEvents(r, 'Deep30');
      expect(uids(r)).toContain('deep30-top@good.example');
      expect(uids(r)).not.toContain('deep30-bottom@good.example');
      expect(skips(r)).toEqual([{ uid: 2, section: ['3', ...Array(19).fill('1')].join('.'), reason: 'multipart/mixed nested more than 20 levels deep; its parts were not searched' }]);
    }
    expect(imap.ics).toBe(local.ics);
  });

  it('a structure imapflow cannot read (BODYSTRUCTURE NIL, 150 deep) is read whole; same result as locally (item 8)', async () => {
    const { imap, local } = await both('Deep150');
    for (const r of [imap, local]) {
      expectGoodEvents(r, 'Deep150');
      expect(uids(r)).toContain('deep150-top@good.example');
      expect(skips(r)).toEqual([{ uid: 2, section: ['3', ...Array(19).fill('1')].join('.'), reason: 'multipart/mixed nested more than 20 levels deep; its parts were not searched' }]);
    }
    expect(warnings(imap)).toEqual([{ uid: 2, section: undefined, message: expect.stringMatching(/^the server's description of this message's structure could not be read \(nested too deeply\); the whole message \(\d+ bytes\) was read instead$/) }]);
    expect(imap.ics).toBe(local.ics);
  });

  it('a structure imapflow cannot read, in a message over --max-part-size, is reported (item 8)', async () => {
    const imap = await syncFromImap({ ...settings, maxPartBytes: 4096, connect: conn, folders: ['Deep150'] });
    expect(uids(imap)).toEqual(['Deep150-a@good.example', 'Deep150-b@good.example']);
    expect(skips(imap)).toEqual([{ uid: 2, section: undefined, reason: expect.stringMatching(/^the server's description of this message's structure could not be read \(nested too deeply, or missing\), and the message is \d+ bytes, over the limit of 4096 bytes \(--max-part-size\) for reading it whole; not searched$/) }]);
  });

  it('forwards deeper than the attached-message limit: the top-level calendar is taken, the deep one reported (item 8)', async () => {
    const { imap, local } = await both('DeepForward8');
    for (const r of [imap, local]) {
      expectGoodEvents(r, 'DeepForward8');
      expect(uids(r)).toContain('fwd8-top@good.example');
      expect(skips(r)).toEqual([{ uid: 2, section: '3.1.1.1.1.1', reason: 'attached message more than 5 attached messages deep; not searched' }]);
    }
    expect(imap.ics).toBe(local.ics);
  });

  it('a multipart without a boundary, and one whose boundary never occurs, are reported (item 8)', async () => {
    const none = await both('NoBoundary');
    for (const r of [none.imap, none.local]) {
      expectGoodEvents(r, 'NoBoundary');
      expect(skips(r)).toEqual([{ uid: 2, section: undefined, reason: 'multipart/mixed without a usable boundary (none given): its parts cannot be told apart; not searched' }]);
    }
    const missing = await both('MissingBoundary');
    for (const r of [missing.imap, missing.local]) {
      expectGoodEvents(r, 'MissingBoundary');
      expect(uids(r)).toContain('mb-top@good.example');
      expect(skips(r)).toEqual([{ uid: 2, section: '3', reason: 'multipart/mixed without a usable boundary ("never-used" never occurs in it): its parts cannot be told apart; not searched' }]);
    }
  });

  it('a 10 MB header line: locally the field is dropped and the calendar taken; over IMAP Dovecot cannot read the header and the part is reported (item 8)', async () => {
    const { imap, local } = await both('HugeHeader');
    expectGoodEvents(local, 'HugeHeader');
    expect(uids(local)).toContain('hh@good.example');
    expect(skips(local)).toEqual([]);
    expect(warnings(local)).toEqual([{ uid: 2, section: '1', message: `a x-junk header line of ${10 * 1024 * 1024 + 'X-Junk: '.length} bytes (over the limit of ${MAX_HEADER_LINE_BYTES} bytes) was ignored` }]);
    expectGoodEvents(imap, 'HugeHeader');
    expect(skips(imap)).toEqual([{ uid: 2, section: '1', reason: "the server reports no content type for this part (its header could not be read, e.g. far too long); not searched" }]);
  });

  for (const [folder, tag, levels, inner] of [['Fwd1Single', 'f1s', 1, 'single'], ['Fwd2Single', 'f2s', 2, 'single'], ['Fwd3Single', 'f3s', 3, 'single'], ['Fwd1Multi', 'f1m', 1, 'multipart'], ['Fwd3Multi', 'f3m', 3, 'multipart']] as const) {
    it(`an invitation forwarded ${levels} level(s) deep (${inner}-part inner message) is taken from section ${H.forwardedSection(levels, inner)} on both paths (item 9)`, async () => {
      const { imap, local } = await both(folder);
      for (const r of [imap, local]) {
        expectGoodEvents(r, folder);
        expect(skips(r)).toEqual([]);
        expect(uids(r)).toContain(`${tag}@good.example`);
        expect(eventsByUid(r.ics).get(`${tag}@good.example`)!.replace(tag, 'TAG').replace(tag, 'TAG')).toBe(GOOD_SHAPE);
      }
      expect(imap.ics).toBe(local.ics);
      // The section both paths compute is the one Dovecot serves the calendar under.
      const section = H.forwardedSection(levels, inner);
      const client = await connectImap(conn);
      try {
        await client.mailboxOpen(folder, { readOnly: true });
        const msg = await client.fetchOne('2', { bodyStructure: true }, { uid: true });
        expect(msg && msg.bodyStructure && findCalendarSections(msg.bodyStructure).calendar.map((c) => c.section)).toEqual([section]);
      } finally {
        await disconnect(client);
      }
      const raw = await RawImap.connectTls({ host: server.host, port: server.imapsPort, ca: readFileSync(server.pki.caFile), servername: 'localhost' });
      try {
        await raw.command(`LOGIN ${server.user} ${server.password}`);
        await raw.command(`EXAMINE ${folder}`);
        expect((await raw.command(`UID FETCH 2 (BODY.PEEK[${section}])`)).text).toMatch(new RegExp(`BODY\\[${section.replace(/\./g, '\\.')}\\] \\{\\d+\\}\\r\\nBEGIN:VCALENDAR\\r\\n`));
      } finally {
        await raw.close();
      }
      const file = readdirSync(path.join(server.folderDir(folder), 'cur')).sort()[1];
      expect((await scanMime(readFileSync(path.join(server.folderDir(folder), 'cur', file)), settings.maxPartBytes)).calendar.map((c) => c.section)).toEqual([section]);
    });
  }

  it('an unknown charset gives the same warning and the same text on both paths (item 10)', async () => {
    const { imap, local } = await both('Charset');
    for (const r of [imap, local]) {
      expectGoodEvents(r, 'Charset');
      expect(r.ics).toContain('SUMMARY:Résumé – Café\r\n');
      expect(warnings(r)).toEqual([{ uid: 2, section: '1', message: 'unknown charset "x-klingon"; decoded as windows-1252' }]);
    }
    expect(imap.ics).toBe(local.ics);
  });
});
