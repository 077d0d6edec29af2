// Issue 12 items 1–5 on the local path: each hostile component of test/helpers/hostile-mails.ts next to
// four good invitations is refused or repaired and reported, nothing is forged, the good events come out
// unchanged. Uses only the sync entry point, so the same file runs against older code to show each case failing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/run-sync.ts';
import { GOOD_UIDS, goodInvitations, hostileCases, hostileTodo, type HostileCase } from '../../helpers/hostile-mails.ts';
import { topLevelBlocks } from '../../helpers/calendar-clients.ts';

const settings = { include: new Set(['VEVENT', 'VTODO'] as const), cancelled: 'remove' as const, maxPartBytes: 10 << 20 };

function files(mails: Buffer[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  return mails.map((m, i) => {
    const f = path.join(dir, `${String(i + 1).padStart(2, '0')}.eml`);
    writeFileSync(f, m);
    return f;
  });
}

/** The feed's components by UID, as text. */
function blocksByUid(ics: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of topLevelBlocks(ics)) if (b.kind !== 'VTIMEZONE') out.set(/^UID:(.*)$/m.exec(b.own.join('\n'))![1], b.text);
  return out;
}

const cases: HostileCase[] = [...hostileCases(), hostileTodo()];

describe('hostile components next to good invitations (local files)', async () => {
  const good = await syncFromLocal({ ...settings, emlFiles: files(goodInvitations()) });
  const mixedFiles = files([...goodInvitations(), ...cases.map((c) => c.mail)]);
  const mixed = await syncFromLocal({ ...settings, emlFiles: mixedFiles });

  it('the good events come out byte for byte as without the hostile mails, and the feed is one well-formed calendar', () => {
    const goodBlocks = blocksByUid(good.ics);
    expect([...goodBlocks.keys()].sort()).toEqual(GOOD_UIDS);
    const mixedBlocks = blocksByUid(mixed.ics);
    for (const uid of GOOD_UIDS) expect(mixedBlocks.get(uid)).toBe(goodBlocks.get(uid));
    // The zones the good events need, unchanged too.
    const zones = (ics: string) => topLevelBlocks(ics).filter((b) => b.kind === 'VTIMEZONE').map((b) => b.text);
    expect(zones(mixed.ics)).toEqual(zones(good.ics));
    // Structure: VCALENDAR once, whole components only, no line break other than CRLF.
    expect(mixed.ics.match(/^BEGIN:VCALENDAR\r$/gm)).toHaveLength(1);
    expect(mixed.ics.match(/^END:VCALENDAR\r$/gm)).toHaveLength(1);
    expect(mixed.ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(topLevelBlocks(mixed.ics).map((b) => b.kind).every((k) => ['VEVENT', 'VTODO', 'VTIMEZONE'].includes(k))).toBe(true);
    expect(mixed.ics.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(topLevelBlocks(mixed.ics).filter((b) => b.kind === 'VEVENT').length);
  });

  it('no forged UID or summary reaches the feed', () => {
    const uids = [...blocksByUid(mixed.ics).keys()];
    for (const c of cases) for (const f of c.forged ?? []) expect(uids, c.name).not.toContain(f);
    expect(mixed.ics).not.toMatch(/PWNED/);
  });

  for (const c of cases) {
    it(`item ${c.item}, ${c.name}: ${c.outcome === 'skipped' ? 'refused' : 'taken with a warning'}, reported with file, part and reason`, () => {
      const file = mixedFiles[GOOD_UIDS.length + cases.indexOf(c)];
      const uids = [...blocksByUid(mixed.ics).keys()];
      if (c.outcome === 'skipped') {
        const s = mixed.report.skipped.filter((x) => x.subject === c.name);
        expect(s, JSON.stringify(mixed.report.skipped.map((x) => x.reason))).toHaveLength(1);
        expect(s[0]).toMatchObject({ file, section: '1' });
        expect(s[0].reason).toMatch(c.says);
        expect(s[0].reason).toContain(c.uid);
        expect(uids).not.toContain(c.uid);
      } else {
        const w = mixed.report.warnings.filter((x) => x.subject === c.name);
        expect(w.map((x) => x.message).join('\n')).toMatch(c.says);
        expect(w[0]).toMatchObject({ section: '1' });
        expect(uids).toContain(c.uid);
      }
    });
  }

  it('item 2: control characters are gone from the value, the rest of it kept', () => {
    const block = blocksByUid(mixed.ics).get('control-chars@evil.example')!;
    expect(block).toMatch(/^DESCRIPTION:abcde\r$/m);
    expect(mixed.ics).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
  });

  it('item 4: DTEND before DTSTART is removed, so the event takes no time (RFC 5545 default)', () => {
    const block = blocksByUid(mixed.ics).get('dtend-before-dtstart@evil.example')!;
    expect(block).toMatch(/^DTSTART:20260301T100000Z\r$/m);
    expect(block).not.toMatch(/^DTEND/m);
  });

  it('item 5: the rest of a part with a non-content line is kept', () => {
    expect(blocksByUid(mixed.ics).get('line-without-colon@evil.example')).toMatch(/^LOCATION:kept\r$/m);
  });
});
