// Local sources through the same extract → merge → write path: mbox (with >From quoting), Maildir,
// .eml files; plus the serializer's folding on long UTF-8 text.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/local-sync.ts';
import { readMbox } from '../../../electron/core/sources/local-mail.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';

const settings = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const, maxPartBytes: 10 << 20 };

describe('mbox', () => {
  it('splits on From_ lines, unquotes >From, and merges the invitations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mbox-'));
    const file = path.join(dir, 'Calendar.mbox');
    const m1 = buildMail({ subject: 'One', text: 'From the start\r\n>From quoted', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'one@example.com', summary: 'One' })) }] });
    const m2 = buildMail({ subject: 'Two', calendars: [{ method: 'REQUEST', encoding: 'quoted-printable', ics: vcal('REQUEST', vevent({ uid: 'two@example.com', summary: 'Two – zwei' })) }] });
    const quote = (m: Buffer) => m.toString('latin1').replace(/^(>*From )/gm, '>$1');
    writeFileSync(file, Buffer.from(`From alice@example.com Mon Jan  5 09:00:00 2026\n${quote(m1)}\nFrom bob@example.com Mon Jan  5 10:00:00 2026\n${quote(m2)}\n`, 'latin1'));
    const msgs = [];
    for await (const m of readMbox(file)) msgs.push(m);
    expect(msgs.map((m) => [m.folder, m.uid])).toEqual([['Calendar.mbox', 1], ['Calendar.mbox', 2]]);
    const first: Buffer[] = [];
    for await (const c of msgs[0].open()) first.push(c);
    expect(Buffer.concat(first).toString('latin1')).toContain('\r\n>From quoted');
    const { ics, report } = await syncFromLocal({ ...settings, mboxes: [file] });
    expect([...ics.matchAll(/^SUMMARY:(.*)\r$/gm)].map((m) => m[1])).toEqual(['One', 'Two – zwei']);
    expect(report.folders[0]).toMatchObject({ folder: 'Calendar.mbox', messages: 2, calendarParts: 2, eventsOut: 2 });
  });

  it('a file that is not an mbox is a clear error naming it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mbox-')), 'notes.txt');
    writeFileSync(file, 'just text\n');
    await expect(syncFromLocal({ ...settings, mboxes: [file] })).rejects.toThrow(`${file} is not an mbox file`);
  });
});

describe('output folding', () => {
  it('folds at 75 octets without splitting a UTF-8 character, with CRLF everywhere', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fold-'));
    const file = path.join(dir, 'm.eml');
    const summary = 'Überprüfung der Größenänderungen – 東京オフィス会議 – ' + 'äöü€'.repeat(30);
    writeFileSync(file, buildMail({ subject: 'Fold', calendars: [{ ics: vcal('PUBLISH', vevent({ uid: 'fold@example.com', summary })) }] }));
    const { ics } = await syncFromLocal({ ...settings, emlFiles: [file] });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const bytes = Buffer.from(ics, 'utf8');
    let start = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        const line = bytes.subarray(start, i);
        expect(line.length).toBeLessThanOrEqual(75);
        expect(new TextDecoder('utf-8', { fatal: true }).decode(line)).toBeTypeOf('string');
        start = i + 2;
      }
    }
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`SUMMARY:${summary}\r\n`);
  });
});
