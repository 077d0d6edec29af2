// The same VTIMEZONE in many invitations is kept once: prepared parts share its text and meaning.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { preparePart } from '../../../electron/core/ical/prepare.ts';
import { relieveHeap } from '../../../electron/core/memory/heap-relief.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const MB = 1024 * 1024;
const live = () => {
  relieveHeap(1); // a full collection (the heap always grew by a byte since the last one)
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
});
