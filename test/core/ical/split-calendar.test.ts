// A very large calendar part is prepared slice by slice (item 15 of issue 12): the record must be the
// one a whole parse gives, for every real-world fixture cut as finely as possible, and anything the
// splitter does not fully understand must be left whole.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSlices, preparePart } from '../../../electron/core/ical/prepare.ts';
import { SPLIT_ABOVE_CHARS, splitLargeCalendar } from '../../../electron/core/ical/split-calendar.ts';
import { REAL_DIR, realFixtures } from '../../helpers/real-fixtures.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const BERLIN = ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE'].join('\r\n');

describe('slicing a large calendar part', () => {
  it('gives the record of a whole parse for every real-world fixture, one component per slice', () => {
    let sliced = 0;
    for (const rel of realFixtures().filter((f) => f.endsWith('.ics'))) {
      const text = readFileSync(path.join(REAL_DIR, rel), 'utf8');
      const slices = splitLargeCalendar(text, 0, 1);
      if (!slices) continue;
      sliced += 1;
      expect(prepareSlices({ mimeMethod: undefined }, slices), rel).toEqual(preparePart({ text, mimeMethod: undefined }));
    }
    expect(sliced).toBeGreaterThanOrEqual(5); // the fixtures with two or more components in one plain VCALENDAR
  });

  it('keeps METHOD, every VTIMEZONE, alarms and overrides; a part over the threshold is sliced by preparePart itself', () => {
    const events = Array.from({ length: 9000 }, (_, i) => vevent({ uid: `e${i % 4000}@example.com`, summary: `E ${i}`, start: 'TZID=Europe/Berlin:20260310T100000', end: 'TZID=Europe/Berlin:20260310T110000', sequence: i, ...(i % 4000 === 7 ? { recurrenceId: 'TZID=Europe/Berlin:20260310T100000' } : {}), extra: i % 3 ? [] : ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'END:VALARM'] }));
    const text = vcal('REQUEST', BERLIN, ...events.slice(0, 4500), BERLIN.replace('Europe/Berlin', 'Europe/Paris'), ...events.slice(4500));
    expect(text.length).toBeGreaterThan(SPLIT_ABOVE_CHARS);
    const whole = prepareSlices({ mimeMethod: undefined }, [text]);
    expect(whole.comps).toHaveLength(9000);
    expect(whole.zones.map((z) => z.tzid)).toEqual(['Europe/Berlin', 'Europe/Paris']);
    expect(preparePart({ text, mimeMethod: undefined })).toEqual(whole);
    expect(prepareSlices({ mimeMethod: 'PUBLISH' }, splitLargeCalendar(text, 0, 777)!)).toEqual(preparePart({ text, mimeMethod: 'PUBLISH' }));
  });

  it('leaves whole what it does not fully understand', () => {
    const ev = vevent({ uid: 'a@example.com' });
    const cases = {
      small: vcal(undefined, ev, ev),
      'two calendars': vcal(undefined, ev, ev) + vcal(undefined, ev, ev),
      'a folded BEGIN line': vcal(undefined, ev, ev).replace('BEGIN:VEVENT', 'BEGIN:VEV\r\n ENT'),
      'a property between components': vcal(undefined, ev, 'X-AFTER:1', ev),
      'text after the calendar': vcal(undefined, ev, ev) + 'trailing\r\n',
      'an unfinished component': vcal(undefined, ev, ev).replace(/END:VEVENT\r\nEND:VCALENDAR/, 'END:VCALENDAR'),
      'mismatched END': vcal(undefined, ev, ev.replace('END:VEVENT', 'END:VTODO')),
      'bare components': `${ev}\r\n${ev}\r\n`,
    };
    expect(splitLargeCalendar(cases.small)).toBeUndefined();
    for (const [what, text] of Object.entries(cases)) {
      if (what !== 'small') expect(splitLargeCalendar(text, 0, 1), what).toBeUndefined();
    }
    expect([...splitLargeCalendar(vcal(undefined, ev, ev, ev), 0, 2)!]).toHaveLength(2);
  });
});
