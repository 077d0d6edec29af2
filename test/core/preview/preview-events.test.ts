// The preview model on real merged calendars: UTC instants from TZID times, all-day dates, series
// expanded across a DST change with an override and an EXDATE, endless rules bounded, change status
// against the previous snapshot, the source message, and snapshots through the SQLite cache.
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { expandOccurrences, toPreviewEvents } from '../../../electron/core/preview/preview-events.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { OccurrenceSchema, PreviewEventSchema } from '../../../electron/shared/ipc-contract.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';

let uidCounter = 0;
const part = (ics: string, method = 'REQUEST', extra: Partial<CalendarPart['source']> = {}): CalendarPart => ({
  source: { folder: 'Team', uid: ++uidCounter, subject: `Mail ${uidCounter}`, from: 'boss@corp.example', date: new Date(Date.UTC(2026, 0, 1, 0, uidCounter)).toISOString(), ...extra },
  section: '2',
  mimeMethod: method,
  text: ics,
});
const build = (parts: CalendarPart[], cancelled: 'remove' | 'keep' = 'keep') => buildCalendar(parts, ['Team'], { include: new Set(['VEVENT']), cancelled });

const series = part(vcal('REQUEST', BERLIN,
  vevent({ uid: 'weekly@x', summary: 'Weekly', start: 'TZID=Europe/Berlin:20260316T100000', end: 'TZID=Europe/Berlin:20260316T110000', rrule: 'FREQ=WEEKLY;COUNT=6', extra: ['EXDATE;TZID=Europe/Berlin:20260406T100000'] }),
  vevent({ uid: 'weekly@x', summary: 'Weekly (moved)', recurrenceId: 'TZID=Europe/Berlin:20260330T100000', start: 'TZID=Europe/Berlin:20260331T150000', end: 'TZID=Europe/Berlin:20260331T160000' }),
));
const allDay = part(vcal('PUBLISH', vevent({ uid: 'holiday@x', summary: 'Holiday', start: 'VALUE=DATE:20260501', end: 'VALUE=DATE:20260502' })), 'PUBLISH', { subject: 'Holidays', from: 'hr@corp.example' });
const endless = part(vcal('REQUEST', vevent({ uid: 'daily@x', summary: 'Daily', start: '20200101T080000Z', end: '20200101T081500Z', rrule: 'FREQ=DAILY' })));

describe('preview events', () => {
  it('gives UTC instants for TZID times, dates for all-day events, and the source message', () => {
    const b = build([series, allDay]);
    const { events } = toPreviewEvents(b.items, b.ics, undefined);
    events.forEach((e) => PreviewEventSchema.parse(e));
    const byKey = Object.fromEntries(events.map((e) => [e.key, e]));
    // 10:00 Berlin in March before the DST change is 09:00 UTC.
    expect(byKey['weekly@x']).toMatchObject({ start: '2026-03-16T09:00:00.000Z', end: '2026-03-16T10:00:00.000Z', recurring: true, allDay: false, change: 'new', source: { folder: 'Team', subject: 'Mail 1' } });
    expect(byKey['holiday@x']).toMatchObject({ start: '2026-05-01T00:00:00.000Z', end: '2026-05-02T00:00:00.000Z', allDay: true, source: { subject: 'Holidays', from: 'hr@corp.example' } });
    const moved = events.find((e) => e.recurrenceId);
    expect(moved).toMatchObject({ summary: 'Weekly (moved)', start: '2026-03-31T13:00:00.000Z', key: `weekly@x|${moved!.recurrenceId}` });
  });

  it('expands a series across the DST change with its override and EXDATE', () => {
    const b = build([series]);
    const { occurrences: occ, incomplete } = expandOccurrences(b.ics, new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'));
    expect(incomplete).toEqual([]);
    occ.forEach((o) => OccurrenceSchema.parse(o));
    expect(occ.map((o) => [o.start, o.summary])).toEqual([
      ['2026-03-16T09:00:00.000Z', 'Weekly'],
      ['2026-03-23T09:00:00.000Z', 'Weekly'],
      ['2026-03-31T13:00:00.000Z', 'Weekly (moved)'], // the override, in summer time
      // 2026-04-06 is an EXDATE
      ['2026-04-13T08:00:00.000Z', 'Weekly'], // 10:00 CEST = 08:00 UTC
      ['2026-04-20T08:00:00.000Z', 'Weekly'],
    ]);
    expect(occ[2].key).toMatch(/^weekly@x\|/);
  });

  it('bounds an endless rule and keeps only the range', () => {
    const b = build([endless]);
    const t = performance.now();
    const { occurrences: occ } = expandOccurrences(b.ics, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(occ).toHaveLength(365);
    expect(occ[0].start).toBe('2026-01-01T08:00:00.000Z');
    expect(performance.now() - t).toBeLessThan(20_000); // a hang guard, not a speed target
  });

  it('says what is new, updated, cancelled or removed since the previous snapshot', () => {
    const a = part(vcal('REQUEST', vevent({ uid: 'a@x', summary: 'A' })));
    const b = part(vcal('REQUEST', vevent({ uid: 'b@x', summary: 'B' })));
    const c = part(vcal('REQUEST', vevent({ uid: 'c@x', summary: 'C' })));
    const first = build([a, b, c]);
    const p1 = toPreviewEvents(first.items, first.ics, undefined);
    const again = build([a, b, c]);
    expect(toPreviewEvents(again.items, again.ics, p1.snapshot).events.map((e) => e.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const aUpdate = part(vcal('REQUEST', vevent({ uid: 'a@x', summary: 'A, moved', sequence: 1, dtstamp: '20260102T000000Z' })));
    const bCancel = part(vcal('CANCEL', vevent({ uid: 'b@x', summary: 'B', sequence: 1, dtstamp: '20260102T000000Z', status: 'CANCELLED' })), 'CANCEL');
    const d = part(vcal('REQUEST', vevent({ uid: 'd@x', summary: 'D' })));
    const second = build([a, b, aUpdate, bCancel, d]); // c is gone
    const p2 = toPreviewEvents(second.items, second.ics, p1.snapshot);
    expect(Object.fromEntries(p2.events.map((e) => [e.uid, e.change]))).toEqual({ 'a@x': 'updated', 'b@x': 'cancelled', 'd@x': 'new' });
    expect(p2.removed).toBe(1);
    expect(p2.events.find((e) => e.uid === 'a@x')!.source.subject).toBe(aUpdate.source.subject);
    // A new DTSTAMP alone is not a change.
    const restamped = build([part(vcal('REQUEST', vevent({ uid: 'd@x', summary: 'D', dtstamp: '20260301T000000Z' })))]);
    const p3 = toPreviewEvents(restamped.items, restamped.ics, p2.snapshot);
    expect(p3.events[0].change).toBe('unchanged');
  });

  it('snapshots survive in the cache', () => {
    const cache = new SyncCache(':memory:');
    const b = build([allDay]);
    const { snapshot } = toPreviewEvents(b.items, b.ics, undefined);
    cache.putSnapshot('profile:team', snapshot);
    expect(cache.getSnapshot('profile:team')).toEqual(snapshot);
    expect(cache.getSnapshot('profile:other')).toBeUndefined();
    cache.close();
  });
});
