// Server-side filters against the real Dovecot: SEARCH decides what is fetched, the sender
// allow-list is exact (no substring tricks), and event filters apply to the merged result.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { syncFromImap } from '../../../electron/core/sync/run-sync.ts';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';
import { buildEventFilter } from '../../../electron/core/filters/event-filter.ts';
import type { ConnectOptions } from '../../../electron/core/imap/connect.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';

let server: DovecotServer;
let conn: ConnectOptions;
const settings = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const, maxPartBytes: 10 << 20 };

beforeAll(async () => {
  server = await startDovecot();
  conn = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile };
  const add = (from: string, subject: string, uid: string, date: string, summary = subject) =>
    server.addMessage('Filtered', buildMail({ from, subject, date: new Date(date), calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary, start: '20260610T100000Z', end: '20260610T110000Z' })) }] }), { date: new Date(date) });
  server.createFolder('Filtered');
  add('Boss <boss@example.com>', 'Invitation: Planning', 'p@x', '2026-02-01T10:00:00Z');
  add('Spam <win@evil-example.com>', 'Invitation: You won', 's@x', '2026-02-02T10:00:00Z');
  add('Colleague <col@dept.example.com>', 'Invitation: Standup', 'c@x', '2026-03-01T10:00:00Z', 'Daily standup');
  add('Partner <p@partner.org>', 'Meeting request', 'm@x', '2026-01-15T10:00:00Z');
});
afterAll(async () => {
  await server?.stop();
});

const summaries = (ics: string) => [...ics.matchAll(/^SUMMARY:(.*)\r$/gm)].map((m) => m[1]).sort();

describe('server-side filters over IMAP', () => {
  it('the sender allow-list keeps the domain and its subdomains, never look-alikes', async () => {
    const { ics, report } = await syncFromImap({ ...settings, connect: conn, folders: ['Filtered'], serverFilter: buildServerFilter({ allowSenders: ['example.com'] }) });
    expect(summaries(ics)).toEqual(['Daily standup', 'Invitation: Planning']);
    expect(report.folders[0]).toMatchObject({ messages: 4, messagesFilteredOut: 2, calendarParts: 2 });
  });

  it('subject and date criteria become SEARCH (INTERNALDATE)', async () => {
    const r1 = await syncFromImap({ ...settings, connect: conn, folders: ['Filtered'], serverFilter: buildServerFilter({ subject: 'Invitation', since: '2026-02-02' }) });
    expect(summaries(r1.ics)).toEqual(['Daily standup', 'Invitation: You won']);
    expect(r1.report.folders[0].messagesFilteredOut).toBe(2);
    const r2 = await syncFromImap({ ...settings, connect: conn, folders: ['Filtered'], serverFilter: buildServerFilter({ before: '2026-02-01' }) });
    expect(summaries(r2.ics)).toEqual(['Meeting request']);
  });

  it('event filters drop merged events and are counted', async () => {
    const { ics, report } = await syncFromImap({ ...settings, connect: conn, folders: ['Filtered'], eventFilter: buildEventFilter({ exclude: ['summary=glob:*won*'], match: ['summary=invitation|standup'] }) });
    expect(summaries(ics)).toEqual(['Daily standup', 'Invitation: Planning']);
    expect(report.folders[0]).toMatchObject({ eventsOut: 2, filteredOut: 2 });
  });

  it('with the cache, the count of messages the SEARCH leaves out follows the folder when the stored feed is reused', async () => {
    server.createFolder('FilteredCached');
    const put = (subject: string, calendar: boolean) =>
      server.addMessage('FilteredCached', buildMail({ subject, calendars: calendar ? [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `${subject}@x`, summary: subject })) }] : [] }));
    put('Invitation: kept', true);
    put('Other', true);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'filtered-cache-')), 'cache.sqlite');
    const req = { ...settings, connect: conn, folders: ['FilteredCached'], serverFilter: buildServerFilter({ subject: 'Invitation' }) };
    /** A one-shot sync against the cache file, checked against a stateless one. */
    const both = async () => {
      const cache = new SyncCache(file);
      try {
        const cached = await syncFromImap({ ...req, cache });
        const fresh = await syncFromImap(req);
        expect(cached.ics).toBe(fresh.ics);
        expect(cached.report.folders[0].messagesFilteredOut).toBe(fresh.report.folders[0].messagesFilteredOut);
        return cached.report.folders[0];
      } finally {
        cache.close();
      }
    };
    expect(await both()).toMatchObject({ syncMode: 'full', messages: 2, messagesFilteredOut: 1 });
    // Left out by the SEARCH: no row, the feed's content unchanged, the count one higher.
    put('Unrelated', false);
    expect(await both()).toMatchObject({ syncMode: 'incremental', messages: 3, messagesFilteredOut: 2, messagesFetched: 0 });
  });
});
