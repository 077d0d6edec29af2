// Subject, sender and date (ENVELOPE) are fetched only for messages that have calendar parts (with
// those parts, in the same FETCH) or something to report, never in the structure pass, unless a sender
// allow-list must see the sender first. The scripted server records every command it is sent.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';
import { syncFromImap, type ImapSyncRequest } from '../../../electron/core/sync/run-sync.ts';
import { makeTestPki, type TestPki } from '../../helpers/certs.ts';
import { startHostileImapServer, type HostileServer, type SeenCommand } from '../../helpers/hostile-imap-server.ts';
import { singlePartInvite } from '../../helpers/hostile-mail.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';

let pki: TestPki;
const servers: HostileServer[] = [];
beforeAll(() => {
  pki = makeTestPki(path.join(mkdtempSync(path.join(tmpdir(), 'headers-')), 'pki'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const PLAIN = [1, 2, 4];
const INVITES = [3, 5];
const OVERSIZED = 6;
const big = vcal('REQUEST', vevent({ uid: 'big@x', summary: 'Big', extra: [`DESCRIPTION:${'x'.repeat(4000)}`] }));

async function serve(): Promise<HostileServer> {
  const messages = [
    ...PLAIN.map((uid) => ({ uid, raw: buildMail({ subject: `Plain ${uid}`, text: 'Nothing to see.' }) })),
    ...INVITES.map((uid) => ({ uid, raw: singlePartInvite(`u${uid}`, `Invitation ${uid}`) })),
    { uid: OVERSIZED, raw: buildMail({ subject: 'Oversized invitation', calendars: [{ method: 'REQUEST', ics: big }] }) },
  ].sort((a, b) => a.uid - b.uid);
  const s = await startHostileImapServer({ folders: { Events: messages }, tls: { key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) } });
  servers.push(s);
  return s;
}

const request = (s: HostileServer, extra: Partial<ImapSyncRequest> = {}): ImapSyncRequest => ({
  include: new Set(['VEVENT'] as const), cancelled: 'remove', maxPartBytes: 2_000, folders: ['Events'],
  connect: { host: s.host, port: s.port, security: 'tls', username: s.user, password: s.password, caFile: pki.caFile }, ...extra,
});

const fetches = (s: HostileServer) => s.commands.filter((c) => c.name === 'UID FETCH');
/** The UIDs a UID FETCH's set names (e.g. "1:6" or "3,5"). */
const uidsOf = (c: SeenCommand) => c.args.split(' ')[0].split(',').flatMap((r) => {
  const [a, b] = r.split(':').map(Number);
  return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
});

describe('headers only where there is something to show', () => {
  it('structure pass without ENVELOPE; ENVELOPE with the calendar parts, and alone for a message that only has a report', async () => {
    const s = await serve();
    const { report, items } = await syncFromImap(request(s));
    const [structures, ...rest] = fetches(s);
    expect(structures.args).toMatch(/BODYSTRUCTURE/);
    expect(structures.args).not.toMatch(/ENVELOPE/);
    const withEnvelope = rest.filter((c) => /ENVELOPE/.test(c.args));
    expect(withEnvelope.flatMap(uidsOf).sort()).toEqual([...INVITES, OVERSIZED].sort());
    // The invitations' headers come in the same command as their parts.
    const partFetch = rest.find((c) => /BODY\.PEEK\[/.test(c.args))!;
    expect(partFetch.args).toMatch(/ENVELOPE/);
    expect(uidsOf(partFetch)).toEqual(INVITES);
    for (const uid of PLAIN) expect(rest.some((c) => uidsOf(c).includes(uid)), `UID ${uid}`).toBe(false);
    // What the output and the report show still has the messages' subjects, senders and dates.
    expect(items.map((i) => [i.source.uid, i.source.subject, i.source.from, i.source.date])).toEqual(
      INVITES.map((uid) => [uid, `Invitation ${uid}`, 'organizer@example.com', expect.stringMatching(/^\d{4}-/)]),
    );
    expect(report.skipped).toEqual([expect.objectContaining({ folder: 'Events', uid: OVERSIZED, subject: 'Oversized invitation', section: '2', reason: expect.stringMatching(/over the limit of 2000 bytes/) })]);
  });

  it('with a sender allow-list, ENVELOPE comes in the structure pass (the sender is checked before any download)', async () => {
    const s = await serve();
    const { items } = await syncFromImap(request(s, { serverFilter: buildServerFilter({ allowSenders: ['example.com'] }) }));
    const [structures, ...rest] = fetches(s);
    expect(structures.args).toMatch(/ENVELOPE/);
    expect(rest.some((c) => /ENVELOPE/.test(c.args))).toBe(false);
    expect(items.map((i) => i.source.subject)).toEqual(INVITES.map((uid) => `Invitation ${uid}`));
  });
});
