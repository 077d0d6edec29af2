// Every per-part and per-component step turns its own failure into a reported item (issue 12 item 3):
// preparing, merging, the event filter's entry, loading zones, and a preview row. Faults are injected
// as the cache could hand them over (a corrupted record) or through the filter port.
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import { TimezoneCollector } from '../../../electron/core/ical/timezones.ts';
import { preparePart, type PreparedPart } from '../../../electron/core/ical/prepare.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { toPreviewEvents } from '../../../electron/core/preview/preview-events.ts';
import type { EventFilter } from '../../../electron/core/filters/event-filter.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

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
