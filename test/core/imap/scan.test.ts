// The IMAP pipeline against a real private Dovecot: folders in every namespace, read-only scans,
// only calendar sections downloaded, and every kind of bad part skipped with a reason.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { connectImap, disconnect, type ConnectOptions } from '../../../electron/core/imap/connect.ts';
import { listFolders } from '../../../electron/core/imap/folders.ts';
import { syncFromImap } from '../../../electron/core/sync/run-sync.ts';
import { AppError } from '../../../electron/core/errors.ts';

let server: DovecotServer;
let conn: ConnectOptions;
const settings = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const, maxPartBytes: 10 * 1024 * 1024 };

const invite = (uid: string, summary: string, extra: Partial<Parameters<typeof vevent>[0]> = {}) =>
  vcal('REQUEST', vevent({ uid, summary, ...extra }));

function seed(s: DovecotServer) {
  const d = s.delimiter;
  s.createFolder(`Work${d}Events`);
  s.createFolder(`Public Folders${d}Events`);
  s.createFolder('Empty');
  // INBOX: a plain mail, an invitation with a big PDF, a nested forwarded invitation, TNEF, broken parts.
  s.addMessage('INBOX', buildMail({ subject: 'Newsletter', text: 'No calendar here.' }));
  s.addMessage('INBOX', buildMail({
    subject: 'Invitation with agenda',
    calendars: [{ method: 'REQUEST', ics: invite('pdf@example.com', 'Meeting with agenda') }],
    attachments: [{ contentType: 'application/pdf', filename: 'agenda.pdf', data: Buffer.alloc(3 * 1024 * 1024, 7) }],
  }));
  const inner = buildMail({ subject: 'Original invitation', calendars: [{ method: 'REQUEST', ics: invite('nested@example.com', 'Forwarded meeting') }] });
  s.addMessage('INBOX', buildMail({ subject: 'Fwd: Original invitation', messages: [inner] }));
  s.addMessage('INBOX', Buffer.from([
    'From: Exchange <exchange@example.com>', 'To: a@example.com', 'Subject: TNEF invitation', 'Date: Mon, 05 Jan 2026 09:00:00 +0000', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="zz"', '', '--zz', 'Content-Type: text/plain', '', 'see attachment', '--zz',
    'Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="winmail.dat"', '',
    Buffer.from('not really tnef').toString('base64'), '--zz--', '',
  ].join('\r\n')));
  s.addMessage('INBOX', buildMail({ subject: 'Broken calendar', calendars: [{ method: 'REQUEST', ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:broken@example.com\r\nDTSTART:2026' }] }));
  const good = Buffer.from(invite('truncated@example.com', 'Truncated')).toString('base64');
  s.addMessage('INBOX', Buffer.from([
    'From: a@example.com', 'To: b@example.com', 'Subject: Truncated base64', 'Date: Mon, 05 Jan 2026 09:00:00 +0000', 'MIME-Version: 1.0',
    'Content-Type: text/calendar; charset=utf-8; method=REQUEST', 'Content-Transfer-Encoding: base64', '', good.slice(0, Math.floor(good.length / 2) + 1), '',
  ].join('\r\n')));
  s.addMessage('INBOX', buildMail({ subject: 'Odd charset', calendars: [{ method: 'REQUEST', charset: 'iso-8859-1', encoding: 'quoted-printable', ics: invite('charset@example.com', 'Café Zürich') }] }));
  s.addMessage('INBOX', Buffer.from(buildMail({ subject: 'Unknown charset', calendars: [{ method: 'REQUEST', charset: 'iso-8859-1', encoding: '8bit', ics: invite('unknowncs@example.com', 'Résumé') }] }).toString('latin1').replace('charset=iso-8859-1', 'charset=x-klingon'), 'latin1'));
  s.addMessage('INBOX', buildMail({ subject: 'Huge calendar', calendars: [{ method: 'PUBLISH', ics: invite('huge@example.com', 'Huge', { extra: [`DESCRIPTION:${'x'.repeat(70)}`.repeat(1)] }) + ' '.repeat(200_000) }] }));
  s.addMessage('INBOX', buildMail({ subject: 'Read already', calendars: [{ method: 'REQUEST', ics: invite('seen@example.com', 'Seen one') }] }), { flags: ['\\Seen'] });
  s.addMessage(`Work${d}Events`, buildMail({ subject: 'Work event', calendars: [{ method: 'REQUEST', ics: invite('work@example.com', 'Work event') }] }));
  s.addMessage(`Public Folders${d}Events`, buildMail({ subject: 'Public event', calendars: [{ method: 'PUBLISH', filename: 'event.ics', contentType: 'application/octet-stream', ics: invite('public@example.com', 'Public event') }] }));
}

beforeAll(async () => {
  server = await startDovecot();
  seed(server);
  conn = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile };
});
afterAll(async () => {
  await server?.stop();
});

function maildirListing(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\/(cur|new)\//.test(p)) out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

describe('folders', () => {
  it('lists nested and public folders with delimiter and counts', async () => {
    const client = await connectImap(conn);
    try {
      const folders = await listFolders(client);
      const byPath = new Map(folders.map((f) => [f.path, f]));
      expect(byPath.get('INBOX')?.messages).toBe(10);
      expect(byPath.get('Work/Events')).toMatchObject({ delimiter: '/', messages: 1, selectable: true });
      expect(byPath.get('Public Folders/Events')).toMatchObject({ messages: 1 });
    } finally {
      await disconnect(client);
    }
  });

  it('an unknown folder is FOLDER_NOT_FOUND naming the closest folders', async () => {
    const err = await syncFromImap({ ...settings, connect: conn, folders: ['Work/Event'] }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('FOLDER_NOT_FOUND');
    expect(err.message).toMatch(/Folder "Work\/Event" does not exist on the server\. Closest existing folders: "Work\/Events"/);
  });
});

describe('scan', () => {
  it('merges every folder, skips bad parts with reasons, never changes the mailbox', async () => {
    const before = maildirListing(server.rootDir);
    const { ics, report } = await syncFromImap({ ...settings, maxPartBytes: 100_000, connect: conn, folders: ['INBOX', 'Work/Events', 'Public Folders/Events'] });
    const summaries = [...ics.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1].trim()).sort();
    expect(summaries).toEqual(['Café Zürich', 'Forwarded meeting', 'Meeting with agenda', 'Public event', 'Résumé', 'Seen one', 'Work event']);

    const inbox = report.folders.find((f) => f.folder === 'INBOX')!;
    expect(inbox.messages).toBe(10);
    const reasons = inbox.skipped.map((s) => `${s.uid}|${s.subject}|${s.reason}`);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/^4\|TNEF invitation\|calendar data in TNEF \(winmail.dat\), not extracted$/),
      expect.stringMatching(/^5\|Broken calendar\|not valid iCalendar/),
      expect.stringMatching(/^6\|Truncated base64\|.*truncated base64/),
      expect.stringMatching(/^9\|Huge calendar\|calendar part is \d+ bytes, over the limit of 100000 bytes/),
    ]));
    expect(inbox.skipped).toHaveLength(4);
    expect(inbox.warnings.map((w) => w.message)).toContain('unknown charset "x-klingon"; decoded as windows-1252');
    // Only the calendar sections were downloaded: the 3 MB PDF and the 200 KB oversized part were not.
    expect(report.bytesDownloaded).toBeGreaterThan(0);
    expect(report.bytesDownloaded).toBeLessThan(60_000);
    // Read-only: Dovecot renames a Maildir file when its flags change; nothing moved or was renamed.
    expect(maildirListing(server.rootDir)).toEqual(before);
  });

  it('flags are unchanged after a scan (EXAMINE + BODY.PEEK)', async () => {
    const flagsNow = async () => {
      const c = new ImapFlow({ host: server.host, port: server.imapsPort, secure: true, auth: { user: server.user, pass: server.password }, tls: { ca: server.pki.caPem }, logger: false });
      await c.connect();
      const lock = await c.getMailboxLock('INBOX', { readOnly: true });
      const out: string[] = [];
      try {
        for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.push(`${m.uid}:${[...(m.flags ?? [])].sort().join(' ')}`);
      } finally {
        lock.release();
        await c.logout();
      }
      return out;
    };
    const before = await flagsNow();
    expect(before.some((f) => f.includes('\\Seen'))).toBe(true);
    expect(before.filter((f) => f.includes('\\Seen'))).toHaveLength(1);
    await syncFromImap({ ...settings, connect: conn, folders: ['INBOX'] });
    expect(await flagsNow()).toEqual(before);
  });

  it('STARTTLS on the plain port works', async () => {
    const { report } = await syncFromImap({ ...settings, connect: { ...conn, port: server.imapPort, security: 'starttls' }, folders: ['Work/Events'] });
    expect(report.eventsOut).toBe(1);
  });
});

describe('connection failures are clear errors', () => {
  it('wrong password → LOGIN_REJECTED naming the user', async () => {
    const err = await connectImap({ ...conn, password: 'wrong' }).catch((e) => e);
    expect(err.code).toBe('LOGIN_REJECTED');
    expect(err.message).toMatch(/Login as "alice" was rejected by 127\.0\.0\.1:\d+/);
  });

  it('untrusted certificate → TLS_UNTRUSTED with the SHA-256 fingerprint and a --ca-file hint', async () => {
    const err = await connectImap({ ...conn, caFile: undefined }).catch((e) => e);
    expect(err.code).toBe('TLS_UNTRUSTED');
    expect(err.message).toContain(server.pki.fingerprint256);
    expect(err.message).toMatch(/--ca-file/);
  });

  it('host-name mismatch → TLS_HOSTNAME', async (ctx) => {
    if (!server.mismatchHost) ctx.skip();
    const err = await connectImap({ ...conn, host: server.mismatchHost! }).catch((e) => e);
    expect(err.code).toBe('TLS_HOSTNAME');
    expect(err.message).toMatch(/not valid for the host name/);
  });

  it('connection refused → CONNECTION_REFUSED', async () => {
    const err = await connectImap({ ...conn, port: 1 }).catch((e) => e);
    expect(err.code).toBe('CONNECTION_REFUSED');
    expect(err.message).toMatch(/127\.0\.0\.1:1 was refused/);
  });
});
