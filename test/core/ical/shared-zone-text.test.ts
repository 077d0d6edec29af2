// The same VTIMEZONE in many invitations is kept once, and prepared once: parts share its record.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { preparePart } from '../../../electron/core/ical/prepare.ts';
import { relieveHeap } from '../../../electron/core/memory/heap-relief.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const MB = 1024 * 1024;
const live = () => {
  // A full collection (the heap always grew by a byte since the last one); twice, as the first
  // call of a process only takes its measure.
  relieveHeap(1);
  relieveHeap(1);
  return v8.getHeapStatistics().used_heap_size;
};

describe('prepared zones', () => {
  it('1,000 invitations carrying one 20 KB VTIMEZONE keep its text once, not 1,000 times (20 MB)', () => {
    const note = 'X-NOTE:' + 'the organisation writes a long note into its zone. '.repeat(400);
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Corp/Zone', note, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
    const before = live();
    const kept = [];
    for (let i = 0; i < 1_000; i++) {
      const rec = preparePart({ text: vcal('REQUEST', zone, vevent({ uid: `z-${i}@example.com`, start: 'TZID=Corp/Zone:20260101T090000', end: 'TZID=Corp/Zone:20260101T100000' })) });
      expect(rec.zones[0].text.length).toBeGreaterThan(20_000);
      kept.push(rec);
    }
    const grown = live() - before;
    expect(kept.length).toBe(1_000);
    expect(grown).toBeLessThan(8 * MB);
  });

  it('a zone accepted once is not vetted, checked and signed again: the next part with the same text gets the same record; another text its own', () => {
    const zone = (offset: string) => ['BEGIN:VTIMEZONE', 'TZID:Memo/Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
    const part = (offset: string, uid: string) => preparePart({ text: vcal('REQUEST', zone(offset), vevent({ uid, start: 'TZID=Memo/Zone:20260101T090000', end: 'TZID=Memo/Zone:20260101T100000' })) });
    const a = part('+0300', 'm-a@example.com');
    const b = part('+0300', 'm-b@example.com');
    const c = part('-0200', 'm-c@example.com');
    expect(b.zones[0]).toBe(a.zones[0]);
    expect(c.zones[0]).not.toBe(a.zones[0]);
    expect(c.zones[0].text).toContain('TZOFFSETTO:-0200');
    expect(c.zones[0].sig).not.toBe(a.zones[0].sig);
    // What it remembers is what a fresh preparation gives.
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(part('+0300', 'm-b@example.com'))));
  });

  it('a refused zone is worked out again each time, never remembered as accepted', () => {
    const bad = ['BEGIN:VTIMEZONE', 'TZID:Bad/Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
    for (const uid of ['r-1@example.com', 'r-2@example.com']) {
      const rec = preparePart({ text: vcal('REQUEST', bad, vevent({ uid })) });
      expect(rec.zones).toEqual([]);
      expect(rec.refused.map((r) => r.kind)).toEqual(['vtimezone']);
    }
  });
});

describe('prepared records', () => {
  it('keep no piece of the text they were read from: 300 parts with 40 KB beside their event hold less than 2 MB, not 12 MB', () => {
    // ical.js hands out TZIDs, addresses and forms as slices of the text it parsed; a record keeping
    // one kept the whole part (here the calendar-level note) alive.
    const note = 'X-WR-CALDESC:' + 'a long description of the calendar that no event carries. '.repeat(700);
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Corp/Headquarters-Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
    const before = live();
    const kept = [];
    for (let i = 0; i < 300; i++) {
      const text = vcal('REQUEST', `${note}\r\n${zone}`, vevent({ uid: `k-${i}@example.com`, start: 'TZID=Corp/Headquarters-Zone:20260101T090000', end: 'TZID=Corp/Headquarters-Zone:20260101T100000', recurrenceId: `TZID=Corp/Headquarters-Zone:2026010${1 + (i % 9)}T090000`, extra: [`ORGANIZER:mailto:organizer-${i % 3}@example.com`] }));
      expect(text.length).toBeGreaterThan(40_000);
      const rec = preparePart({ text });
      expect(rec.comps[0].organizer).toBe(`organizer-${i % 3}@example.com`);
      expect(rec.comps[0].tzids).toEqual(['Corp/Headquarters-Zone']);
      kept.push(rec);
    }
    const grown = live() - before;
    expect(kept.length).toBe(300);
    expect(grown).toBeLessThan(2 * MB);
  });
});
