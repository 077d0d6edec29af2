// Issue 12 items 1–5 on the local path: each hostile component of test/helpers/hostile-mails.ts next to
// four good invitations is refused or repaired and reported, nothing is forged, the good events come out
// unchanged. Uses only the sync entry point, so the same file runs against older code to show each case failing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/local-sync.ts';
import { MAX_COMPONENTS_PER_PART, MAX_NESTING_DEPTH, MAX_SUBCOMPONENTS } from '../../../electron/core/limits.ts';
import { SPLIT_ABOVE_CHARS } from '../../../electron/core/ical/split-calendar.ts';
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
  // All cases in one folder; a run that throws fails the tests that read it, not the file.
  const mixedRun = syncFromLocal({ ...settings, emlFiles: mixedFiles });
  mixedRun.catch(() => undefined);

  it('all together: every case reported once, with file and part', async () => {
    const mixed = await mixedRun;
    for (const c of cases) {
      const list = c.outcome === 'skipped' ? mixed.report.skipped.filter((x) => x.subject === c.name) : mixed.report.warnings.filter((x) => x.subject === c.name && c.says.test(x.message));
      expect(list, c.name).toHaveLength(1);
      expect(list[0]).toMatchObject({ section: '1', uid: GOOD_UIDS.length + 1 + cases.indexOf(c) });
    }
    expect(mixed.report.skipped).toHaveLength(cases.filter((c) => c.outcome === 'skipped').length);
  });

  it('all together: the good events come out byte for byte as without the hostile mails, and the feed is one well-formed calendar', async () => {
    const mixed = await mixedRun;
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

  it('all together: no forged UID or summary reaches the feed', async () => {
    const mixed = await mixedRun;
    const uids = [...blocksByUid(mixed.ics).keys()];
    for (const c of cases) for (const f of c.forged ?? []) expect(uids, c.name).not.toContain(f);
    expect(mixed.ics).not.toMatch(/PWNED/);
  });

  for (const c of cases) {
    it(`item ${c.item}, ${c.name}: ${c.outcome === 'skipped' ? 'refused' : 'taken with a warning'}, reported with file, part and reason; the good events unchanged`, async () => {
      // On its own next to the good mails, so one case that breaks the run fails only its own test.
      const own = files([...goodInvitations(), c.mail]);
      const { ics, report } = await syncFromLocal({ ...settings, emlFiles: own });
      const blocks = blocksByUid(ics);
      const goodBlocks = blocksByUid(good.ics);
      for (const uid of GOOD_UIDS) expect(blocks.get(uid), uid).toBe(goodBlocks.get(uid));
      for (const f of c.forged ?? []) expect([...blocks.keys()]).not.toContain(f);
      if (c.outcome === 'skipped') {
        expect(report.skipped, JSON.stringify(report.skipped.map((x) => x.reason))).toHaveLength(1);
        expect(report.skipped[0]).toMatchObject({ file: own[GOOD_UIDS.length], section: '1', subject: c.name });
        expect(report.skipped[0].reason).toMatch(c.says);
        expect(report.skipped[0].reason).toContain(c.uid);
        expect([...blocks.keys()]).not.toContain(c.uid);
      } else {
        expect(report.skipped).toEqual([]);
        const w = report.warnings.filter((x) => x.subject === c.name && c.says.test(x.message));
        expect(w, JSON.stringify(report.warnings)).toHaveLength(1);
        expect(w[0]).toMatchObject({ section: '1', uid: GOOD_UIDS.length + 1 });
        expect([...blocks.keys()]).toContain(c.uid);
      }
    });
  }

  it('item 2: control characters are gone from the value, the rest of it kept', async () => {
    const mixed = await mixedRun;
    const block = blocksByUid(mixed.ics).get('control-chars@evil.example')!;
    expect(block).toMatch(/^DESCRIPTION:abcde\r$/m);
    expect(mixed.ics).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
  });

  it('item 4: DTEND before DTSTART is removed, so the event takes no time (RFC 5545 default)', async () => {
    const mixed = await mixedRun;
    const block = blocksByUid(mixed.ics).get('dtend-before-dtstart@evil.example')!;
    expect(block).toMatch(/^DTSTART:20260301T100000Z\r$/m);
    expect(block).not.toMatch(/^DTEND/m);
  });

  it('item 5: the rest of a part with a non-content line is kept', async () => {
    const mixed = await mixedRun;
    expect(blocksByUid(mixed.ics).get('line-without-colon@evil.example')).toMatch(/^LOCATION:kept\r$/m);
  });
});

describe('documented limits (electron/core/limits.ts)', () => {
  const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${body}END:VCALENDAR\r\n`;
  const ev = (uid: string, inner = '') => `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nSUMMARY:s\r\n${inner}END:VEVENT\r\n`;
  const alarm = 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n';
  const run = (ics: string) => syncFromLocal({ ...settings, emlFiles: files([...goodInvitations(), Buffer.from(`From: m@evil.example\r\nSubject: limit\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar\r\n\r\n${ics}`)]) });

  // Tiny components, so the part stays under the 1 MB above which a part is read in slices of 500.
  const tiny = (n: number) => 'BEGIN:X-T\r\nEND:X-T\r\n'.repeat(n);

  it(`a part of more than ${MAX_COMPONENTS_PER_PART} components read at once is skipped whole; the good events are written`, async () => {
    const text = wrap(`${ev('one@evil.example')}${tiny(MAX_COMPONENTS_PER_PART - 1)}`);
    expect(text.length).toBeLessThan(SPLIT_ABOVE_CHARS);
    const { ics, report } = await run(text);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0].reason).toBe(`more than ${MAX_COMPONENTS_PER_PART} components in one part (the limit)`);
    expect(report.skipped[0]).toMatchObject({ subject: 'limit', section: '1' });
    expect([...blocksByUid(ics).keys()].sort()).toEqual(GOOD_UIDS);
  });

  it(`exactly ${MAX_COMPONENTS_PER_PART} components (the VCALENDAR one of them) are taken`, async () => {
    const { ics, report } = await run(wrap(`${ev('one@ok.example')}${tiny(MAX_COMPONENTS_PER_PART - 2)}`));
    expect(report.skipped).toEqual([]);
    expect([...blocksByUid(ics).keys()]).toContain('one@ok.example');
  });

  it(`a component of more than ${MAX_SUBCOMPONENTS} sub-components is skipped, its neighbours in the part are written`, async () => {
    const { ics, report } = await run(wrap(ev('alarms@evil.example', alarm.repeat(MAX_SUBCOMPONENTS + 1)) + ev('neighbour@ok.example', alarm.repeat(MAX_SUBCOMPONENTS))));
    expect(report.skipped.map((s) => s.reason)).toEqual([`VEVENT "alarms@evil.example": VEVENT has more than ${MAX_SUBCOMPONENTS} sub-components (the limit)`]);
    expect([...blocksByUid(ics).keys()]).toContain('neighbour@ok.example');
  });

  it('repairs are listed for the first 20 components of a part and counted for the rest', async () => {
    const same = (i: number) => `BEGIN:VEVENT\r\nUID:same-${i}@ok.example\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T100000Z\r\nSUMMARY:s\r\nEND:VEVENT\r\n`;
    const { report } = await run(wrap(Array.from({ length: 25 }, (_, i) => same(i)).join('')));
    const w = report.warnings.filter((x) => x.subject === 'limit').map((x) => x.message);
    expect(w).toHaveLength(21);
    expect(w[0]).toMatch(/same-0@ok\.example: DTEND 20260301T100000Z is the same as DTSTART/);
    expect(w[20]).toBe('repaired: and 5 more repairs of the same part');
    expect(report.eventsOut).toBe(25 + GOOD_UIDS.length);
  });

  it(`nesting up to ${MAX_NESTING_DEPTH} levels is taken, one more is not`, async () => {
    const nest = (levels: number) => `${'BEGIN:X-NEST\r\n'.repeat(levels)}${'END:X-NEST\r\n'.repeat(levels)}`;
    // VCALENDAR (1) > VEVENT (2) > X-NEST…: 6 levels of X-NEST make 8.
    const { ics, report } = await run(wrap(ev('deep-ok@ok.example', nest(MAX_NESTING_DEPTH - 2)) + ev('deep-bad@evil.example', nest(MAX_NESTING_DEPTH - 1))));
    expect(report.skipped.map((s) => s.reason)).toEqual([`VEVENT "deep-bad@evil.example": components nested ${MAX_NESTING_DEPTH + 1} levels deep (the limit is ${MAX_NESTING_DEPTH})`]);
    expect([...blocksByUid(ics).keys()]).toContain('deep-ok@ok.example');
  });
});
