// Issue 12 items 1–5 on the local path: each hostile component of test/helpers/hostile-mails.ts next to
// four good invitations is refused or repaired and reported, nothing is forged, the good events come out
// unchanged; and every per-part and per-component step turns its own failure into a reported item.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import { checkComponentText } from '../../../electron/core/ical/output-check.ts';
import { TimezoneCollector } from '../../../electron/core/ical/timezones.ts';
import { preparePart, type PreparedPart } from '../../../electron/core/ical/prepare.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { toPreviewEvents } from '../../../electron/core/preview/preview-events.ts';
import { syncFromLocal } from '../../../electron/core/sync/run-sync.ts';
import type { EventFilter } from '../../../electron/core/filters/event-filter.ts';
import { GOOD_UIDS, goodInvitations, hostileCases, hostileTodo, type HostileCase } from '../../helpers/hostile-mails.ts';
import { topLevelBlocks } from '../../helpers/calendar-clients.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

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
    // Structure: VCALENDAR once, then whole components only, each passing the output check.
    expect(mixed.ics.match(/^BEGIN:VCALENDAR\r$/gm)).toHaveLength(1);
    expect(mixed.ics.match(/^END:VCALENDAR\r$/gm)).toHaveLength(1);
    for (const b of topLevelBlocks(mixed.ics)) expect(checkComponentText(b.text, b.kind).ok, b.text.slice(0, 200)).toBe(true);
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

const part = (prepared: PreparedPart | undefined, text: string, uid: number, extra: Partial<CalendarPart> = {}): CalendarPart => ({
  source: { folder: 'F', uid, subject: `mail ${uid}` },
  section: '2',
  text,
  ...(prepared ? { prepared } : {}),
  ...extra,
});
const ok = (uid: string, summary = 'Fine') => vcal('REQUEST', vevent({ uid, summary }));

describe('every step contains its own failure', () => {
  it('preparing a part that throws gives the part a reason instead of throwing', () => {
    // Not a string: any step of the reading may throw; the record says why.
    const rec = preparePart({ text: undefined as unknown as string });
    expect(rec.error).toMatch(/could not be read/);
  });

  it('a merge that throws costs only its UID: the UID is reported, every other event is written', () => {
    // A cached record whose text cannot be parsed (a corrupted cache row): the cancel-keep merge has to parse it.
    const good = part(undefined, ok('fine@x'), 1);
    const broken = preparePart({ text: ok('hurt@x', 'Hurt'), mimeMethod: 'REQUEST' });
    broken.comps[0].text = 'BEGIN:VEVENT\r\nUID:hurt@x' as never;
    const cancel = part(undefined, vcal('CANCEL', vevent({ uid: 'hurt@x', sequence: 1 })), 3, { mimeMethod: 'CANCEL' });
    const b = buildCalendar([good, part(broken, '', 2), cancel], ['F'], { include: new Set(['VEVENT']), cancelled: 'keep' });
    expect(b.ics).toContain('UID:fine@x');
    expect(b.ics).not.toContain('hurt@x');
    expect(b.skipped.map((s) => s.reason).join('\n')).toMatch(/VEVENT "hurt@x": could not be merged/);
    expect(b.skipped.find((s) => /hurt@x/.test(s.reason))).toMatchObject({ folder: 'F', section: '2' });
  });

  it('an event filter that throws keeps the event and says why', () => {
    const throwing: EventFilter = { isEmpty: false, signature: 'throws', keep: () => { throw new Error('boom'); } };
    const b = buildCalendar([part(undefined, ok('kept@x'), 1)], ['F'], { include: new Set(['VEVENT']), cancelled: 'remove', eventFilter: throwing });
    expect(b.ics).toContain('UID:kept@x');
    expect(b.warnings.map((w) => w.message).join('\n')).toMatch(/kept@x: the event filters could not be applied \(boom\); kept/);
  });

  it('a zone ical.js cannot load is reported by the collector instead of failing the build', () => {
    // Zone records come from the cache as they were prepared; one that no longer loads must not throw.
    const tz = new TimezoneCollector();
    tz.add('F UID 1 part 2', [{ tzid: 'Mars/Olympus', usable: true, sig: 'corrupted', text: 'not a VTIMEZONE' as never }], ['Mars/Olympus']);
    expect(() => tz.registerAll()).not.toThrow();
    expect(tz.problems.map((p) => p.reason).join('\n')).toMatch(/VTIMEZONE "Mars\/Olympus" could not be loaded/);
  });

  it('a preview row that cannot be read is shown as such; the other rows are intact', () => {
    const b = buildCalendar([part(undefined, ok('a@x', 'Alpha'), 1), part(undefined, ok('b@x', 'Beta'), 2)], ['F'], { include: new Set(['VEVENT']), cancelled: 'remove' });
    // A feed written by something else (or an older version) with an unreadable date in one row.
    const ics = b.ics.replace(/(UID:a@x\r\n(?:.*\r\n)*?)DTSTART:[^\r]*/, '$1DTSTART:2024x');
    expect(ics).toContain('DTSTART:2024x');
    const { events } = toPreviewEvents(b.items, ics, undefined);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ uid: 'a@x', summary: '', description: expect.stringMatching(/The preview could not read this item/) });
    expect(events[1]).toMatchObject({ uid: 'b@x', summary: 'Beta', start: '2026-01-10T10:00:00.000Z' });
  });
});

describe('the output check', () => {
  const base = 'BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\n';
  const check = (body: string) => checkComponentText(`${base}${body}END:VEVENT`, 'vevent');
  it('takes a plain component, folded lines included', () => {
    expect(check('SUMMARY:a long\r\n  folded line\r\n').ok).toBe(true);
  });
  it.each([
    ['a line break inside a value', 'X-A;VALUE=TEXT:1\nEND:VEVENT\r\n', /a line break inside line/],
    ['a second component', 'END:VEVENT\r\nBEGIN:VEVENT\r\nUID:y\r\n', /text after END:VEVENT|no END/],
    ['END:VCALENDAR', 'END:VCALENDAR\r\n', /END:VCALENDAR closes BEGIN:VEVENT/],
    ['a nested VEVENT', 'BEGIN:VEVENT\r\nUID:y\r\nEND:VEVENT\r\n', /a VEVENT inside VEVENT/],
    ['a value type that is not a token', 'X-A;VALUE=TEXT^nEND:x\r\n', /VALUE parameter that is not a value type/],
    ['a quote inside a quoted parameter', 'ATTENDEE;CN="a"b":mailto:x\r\n', /not a well-formed content line/],
    ['a control character', 'SUMMARY:a\x00b\r\n', /control character U\+0000/],
    ['an impossible date', 'DTEND:20261301T000000Z\r\n', /month 13/],
    ['a BEGIN with parameters', 'BEGIN;X=1:VALARM\r\nEND:VALARM\r\n', /a malformed BEGIN line/],
    ['a second UID', 'UID:y\r\n', /UID given twice/],
  ])('refuses %s', (_what, body, reason) => {
    const r = check(body);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(reason);
  });
});
