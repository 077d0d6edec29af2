// What a scan keeps of a message's headers is the headers' own text: imapflow hands the subject and
// sender out as slices of the FETCH response line, which holds the whole ENVELOPE (every recipient).
import v8 from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFromImap, type ImapSyncRequest } from '../../../electron/core/sync/run-sync.ts';
import { relieveHeap } from '../../../electron/core/memory/heap-relief.ts';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';

const MB = 1024 * 1024;
const live = () => {
  // Twice: the first call of a process only takes its measure.
  relieveHeap(1);
  relieveHeap(1);
  return v8.getHeapStatistics().used_heap_size;
};

let server: DovecotServer;
const COUNT = 150;
// 40 KB of recipients in every ENVELOPE: what a meeting with a few hundred attendees carries.
const recipients = Array.from({ length: 1_000 }, (_, i) => `attendee-${i}@example.com`).join(', ');

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Events');
  for (let i = 0; i < COUNT; i++) {
    server.addMessage('Events', buildMail({ subject: `Quarterly all-hands meeting, session ${i + 1}`, to: recipients, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `hm-${i}@example.com`, summary: `Session ${i + 1}` })) }] }));
  }
});
afterAll(async () => {
  await server?.stop();
});

const request = (): ImapSyncRequest => ({
  include: new Set(['VEVENT'] as const), cancelled: 'remove', maxPartBytes: 1 << 20, folders: ['Events'],
  connect: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile },
});

describe('headers kept by a scan', () => {
  it(`${COUNT} invitations with 40 KB of recipients each: the result holds their subjects, under 1 MB, not their ENVELOPEs (6 MB)`, async () => {
    // The first sync pays the IMAP client's and the merge's first-use allocations; it is kept to the
    // end, so that nothing it held is let go while the second is measured.
    const first = await syncFromImap(request());
    const before = live();
    const result = await syncFromImap(request());
    const grown = live() - before;
    expect(first.items).toHaveLength(COUNT);
    expect(result.items).toHaveLength(COUNT);
    expect(result.items[0].source.subject).toBe('Quarterly all-hands meeting, session 1');
    expect(grown).toBeLessThan(1 * MB);
  });
});
