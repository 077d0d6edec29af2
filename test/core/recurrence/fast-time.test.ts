// FastTime.clone gives what ical.js's own clone gives: the same fields, zone, normalisation and instant,
// for date-times and dates, UTC, floating and zoned times, and times whose fields await normalisation.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { FastTime } from '../../../electron/core/recurrence/fast-time.ts';

const view = (t: ICAL.Time) => ({ s: t.toString(), unix: t.toUnixTime(), isDate: t.isDate, zone: t.zone?.tzid, dow: t.dayOfWeek() });

describe('FastTime', () => {
  it('clones as ical.js clones, including fields not yet normalised', () => {
    const cal = ICAL.Component.fromString(['BEGIN:VCALENDAR', 'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE', 'END:VCALENDAR'].join('\r\n'));
    const berlin = new ICAL.Timezone(cal.getFirstSubcomponent('vtimezone')!);
    const samples: ICAL.Time[] = [
      ICAL.Time.fromDateTimeString('2026-03-29T02:30:00'),
      ICAL.Time.fromDateTimeString('2026-03-01T10:00:00Z'),
      ICAL.Time.fromDateString('2024-02-29'),
      new ICAL.Time({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, berlin),
      new ICAL.Time({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, berlin),
    ];
    // Fields set past their range, awaiting normalisation: a date-time rolls over; a date is left to ical.js.
    const rolled = ICAL.Time.fromDateTimeString('2026-12-31T23:00:00');
    rolled.hour = 49;
    rolled.minute = 75;
    samples.push(rolled);
    const pendingDate = ICAL.Time.fromDateString('2026-01-31');
    pendingDate.day = 45;
    samples.push(pendingDate);
    // A date given an hour past 24: ical.js's clone rolls it into the next day before it becomes a date again.
    const dateWithHour = ICAL.Time.fromDateString('2026-01-31');
    (dateWithHour as unknown as { _time: { hour: number } })._time.hour = 30;
    dateWithHour.day = 31;
    samples.push(dateWithHour);
    const stepped = ICAL.Time.fromDateTimeString('2026-01-31T10:00:00');
    stepped.adjust(0, 30, 0, 0); // normalised by adjust, no setter since
    samples.push(stepped);
    for (const t of samples) {
      // ical.js's clone first: reading the source normalises it, after which its clone can differ.
      const expected = view(t.clone());
      const fast = FastTime.of(t);
      const again = fast.clone();
      expect(view(fast), expected.s).toEqual(expected);
      expect(view(again)).toEqual(expected);
      expect(fast).toBeInstanceOf(ICAL.Time);
      // A clone is its own: changing it leaves the source as it was.
      const before = t.toString();
      fast.day += 3;
      expect(t.toString()).toBe(before);
    }
  });

  it('walks a rule to the same instants as a plain ICAL.Time start', () => {
    const rule = ICAL.Recur.fromString('FREQ=WEEKLY;BYDAY=MO,WE,FR;INTERVAL=2;UNTIL=20270101T000000Z');
    const start = ICAL.Time.fromDateTimeString('2026-01-05T09:00:00Z');
    const walk = (dtstart: ICAL.Time) => {
      const it = rule.iterator(dtstart);
      const out: string[] = [];
      for (let t = it.next(); t; t = it.next()) out.push(t.toString());
      return out;
    };
    const plain = walk(start);
    expect(plain.length).toBeGreaterThan(70);
    expect(walk(FastTime.of(start))).toEqual(plain);
  });
});
