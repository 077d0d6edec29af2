// Two profiles over one folder with different server filters, on one cache, against the real
// Dovecot: run one after the other and at the same time (as the scheduler runs them), each feed
// equals a fresh stateless scan with its own settings, and neither makes the other rescan.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { syncFromImap, type ImapSyncRequest, type SyncResult } from '../../../electron/core/sync/run-sync.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';

/** The folder: 4,000 invitations, one in 15 from the allowed team (267 of them). */
const TOTAL = 4000;
const ALLOWED = Math.ceil(TOTAL / 15);

let server: DovecotServer;
let all: ImapSyncRequest;
let allowed: ImapSyncRequest;

const events = (r: SyncResult) => r.report.eventsOut;
const mode = (r: SyncResult) => r.report.folders.map((f) => f.syncMode).join(',');
const newCache = (name: string) => new SyncCache(path.join(mkdtempSync(path.join(tmpdir(), `shared-${name}-`)), 'cache.sqlite'));

function invitation(i: number): Buffer {
  const from = i % 15 === 0 ? 'Team <lead@team.example.com>' : `Someone <user${i}@elsewhere.example.org>`;
  const ics = vcal('REQUEST', vevent({ uid: `shared-${i}@example.com`, summary: `Event ${i}`, start: '20260110T100000Z' }));
  return buildMail({ subject: `Invitation ${i}`, from, date: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), calendars: [{ method: 'REQUEST', ics }] });
}

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Shared');
  server.addMessages('Shared', Array.from({ length: TOTAL }, (_, i) => ({ raw: invitation(i) })));
  all = {
    connect: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile },
    folders: ['Shared'], include: new Set(['VEVENT']), cancelled: 'remove', maxPartBytes: 10 << 20,
  };
  allowed = { ...all, serverFilter: buildServerFilter({ allowSenders: ['team.example.com'] }) };
});
afterAll(async () => {
  await server?.stop();
});

describe('two profiles sharing a folder', () => {
  it('one after the other: each rescans only once, and each feed is its own', async () => {
    const [freshAll, freshAllowed] = [await syncFromImap(all), await syncFromImap(allowed)];
    expect([events(freshAll), events(freshAllowed)]).toEqual([TOTAL, ALLOWED]);
    const cache = newCache('seq');
    try {
      const runs: string[] = [];
      for (let round = 0; round < 3; round++) {
        const a = await syncFromImap({ ...all, cache });
        const b = await syncFromImap({ ...allowed, cache });
        expect(a.ics).toBe(freshAll.ics);
        expect(b.ics).toBe(freshAllowed.ics);
        runs.push(`${mode(a)}/${mode(b)}`);
      }
      // Before: every sync found the other profile's scan key and rescanned all 4,000 messages.
      expect(runs).toEqual(['full/full', 'unchanged/unchanged', 'unchanged/unchanged']);
    } finally {
      cache.close();
    }
  });

  it('at the same time (the scheduler runs profiles concurrently): both feeds right, then and on every later sync', async () => {
    const [freshAll, freshAllowed] = [await syncFromImap(all), await syncFromImap(allowed)];
    const cache = newCache('concurrent');
    try {
      for (let round = 0; round < 3; round++) {
        if (round === 2) {
          // New mail for both profiles, and one message of the team gone.
          server.addMessage('Shared', invitation(Math.ceil(TOTAL / 15) * 15));
          server.addMessage('Shared', invitation(TOTAL + 1));
          server.removeMessageFile('Shared', 15);
        }
        const [a, b] = await Promise.all([syncFromImap({ ...all, cache }), syncFromImap({ ...allowed, cache })]);
        const [wantA, wantB] = round < 2 ? [freshAll, freshAllowed] : [await syncFromImap(all), await syncFromImap(allowed)];
        // Before: 2,600-odd of the 4,000 events, or the allow-list bypassed (1,200 where 267 pass),
        // and the later "unchanged" syncs kept serving that calendar.
        expect({ round, all: events(a), allowed: events(b) }).toEqual({ round, all: events(wantA), allowed: events(wantB) });
        expect(a.ics).toBe(wantA.ics);
        expect(b.ics).toBe(wantB.ics);
      }
    } finally {
      cache.close();
    }
  });

  it('the same folder synced twice at once in one process (window scan beside the schedule) is scanned once', async () => {
    const cache = newCache('same');
    try {
      const [a, b] = await Promise.all([syncFromImap({ ...allowed, cache }), syncFromImap({ ...allowed, cache })]);
      const fresh = await syncFromImap(allowed);
      expect(a.ics).toBe(fresh.ics);
      expect(b.ics).toBe(fresh.ics);
      // The second waited for the first and found nothing to fetch.
      expect([mode(a), mode(b)].sort()).toEqual(['full', 'unchanged']);
      expect(a.report.folders[0].messagesFetched + b.report.folders[0].messagesFetched).toBe(fresh.report.folders[0].messagesWithCalendar);
    } finally {
      cache.close();
    }
  });
});
