// A VTIMEZONE block read before is not parsed again (prepared-zones.ts, pre-scan.ts): the record of every part
// must be exactly the one a first reading gives, whatever was read before it and wherever the block
// stands: nested where it does not belong, in a bare component, twice, beside other definitions of
// the same TZID, in a part the parser first rejects, at the component limit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparePart } from '../../../electron/core/ical/prepare.ts';
import { forgetZoneBlocks, zoneBlockReuse } from '../../../electron/core/ical/prepared-zones.ts';
import { MAX_COMPONENTS_PER_PART } from '../../../electron/core/limits.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
function icsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? icsFiles(p) : name.endsWith('.ics') ? [p] : [];
  });
}

const record = (text: string, mimeMethod?: string) => JSON.stringify(preparePart({ text, mimeMethod }));
/** The record of `text` read first (nothing remembered), and after `primers` were read. */
function both(text: string, primers: string[]): { fresh: string; primed: string; hits: number } {
  forgetZoneBlocks();
  const fresh = record(text);
  forgetZoneBlocks();
  for (const p of primers) record(p);
  const before = zoneBlockReuse.hits;
  const primed = record(text);
  return { fresh, primed, hits: zoneBlockReuse.hits - before };
}

const zone = (tzid: string, offset: string, extra: string[] = []) => ['BEGIN:VTIMEZONE', `TZID:${tzid}`, ...extra, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
const A = zone('Corp/Alpha', '+0300');
const B = zone('Corp/Beta', '-0500');
const A_OTHER = zone('Corp/Alpha', '+0900');
const ev = (uid: string, tzid = 'Corp/Alpha') => vevent({ uid, start: `TZID=${tzid}:20260301T090000`, end: `TZID=${tzid}:20260301T100000` });
const part = (...blocks: string[]) => vcal('REQUEST', blocks.join('\r\n'));
/** Two calendars (read whole, not in slices): their two BEGIN lines, A's two and the events' make the limit, plus `over`. */
const atLimit = (over: number) => part(A, ...Array.from({ length: MAX_COMPONENTS_PER_PART - 5 + over }, (_, i) => `BEGIN:VEVENT\r\nUID:limit-${i}@x\r\nDTSTAMP:20260101T000000Z\r\nEND:VEVENT`)) + part(ev('second@x'));

describe('reused zone blocks', () => {
  it('every fixture calendar reads the same after itself and after all the others, and the blocks are reused', () => {
    const texts = icsFiles(FIXTURES).map((f) => readFileSync(f, 'utf8'));
    expect(texts.length).toBeGreaterThan(50);
    forgetZoneBlocks();
    const fresh = texts.map((t) => {
      forgetZoneBlocks();
      return record(t);
    });
    forgetZoneBlocks();
    for (const t of texts) record(t);
    const before = zoneBlockReuse.hits;
    texts.forEach((t, i) => expect(record(t), `fixture ${i}`).toBe(fresh[i]));
    expect(zoneBlockReuse.hits - before).toBeGreaterThan(20);
  });

  it('a block read before is reused in a plain invitation, and the record is the same', () => {
    const r = both(part(A, ev('a-1@x')), [part(A, ev('a-0@x'))]);
    expect(r.hits).toBe(1);
    expect(r.primed).toBe(r.fresh);
    expect(JSON.parse(r.primed).zones).toHaveLength(1);
  });

  const cases: Array<[string, string]> = [
    ['nested inside a VEVENT, where it does not belong', part(ev('n-1@x').replace('END:VEVENT', `${A}\r\nEND:VEVENT`))],
    ['in a bare component list (no VCALENDAR)', `${A}\r\n${ev('bare-1@x')}\r\n`],
    ['twice in one part', part(A, A, ev('t-1@x'))],
    ['between two other definitions of its TZID (the last one counts)', part(A_OTHER, A, A_OTHER, ev('o-1@x'))],
    ['before, between and after other zones', part(B, A, B, ev('m-1@x', 'Corp/Beta'))],
    ['alone in its calendar', part(A)],
    ['in two calendars of one part', `${part(A, ev('c-1@x'))}${part(B, A, ev('c-2@x'))}`],
    ['written with a lower-case BEGIN line', part(A.replace('BEGIN:VTIMEZONE', 'begin:vtimezone'), ev('l-1@x'))],
    ['folded differently', part(A.replace('TZID:Corp/Alpha', 'TZID:Corp/\r\n Alpha'), ev('f-1@x'))],
    ['with a line the parser rejects elsewhere in the part (the part is read twice)', part(A, ev('p-1@x').replace('SUMMARY:Meeting', 'SUMMARY:Meeting\r\nX-BROKEN;=:value'))],
    ['with a line of its own the parser rejects', part(A.replace('END:STANDARD', 'X-BAD;=x:1\r\nEND:STANDARD'), ev('b-1@x'))],
    ['with an empty parameter to repair', part(A.replace('TZID:Corp/Alpha', 'TZID;;X-A=1:Corp/Alpha'), ev('r-1@x'))],
    ['in a part at the component limit', atLimit(0)],
    ['in a part over the component limit only with its sub-components', atLimit(1)],
    ['with an unclosed block after it', part(A, 'BEGIN:VTIMEZONE\r\nTZID:Corp/Open', ev('u-1@x'))],
  ];
  for (const [what, text] of cases) {
    it(`${what}: the same record as a first reading, after the plain blocks and after itself`, () => {
      const primers = [part(A, ev('prime@x')), part(B, ev('prime-b@x', 'Corp/Beta'))];
      expect(both(text, primers).primed).toBe(both(text, []).fresh);
      // Read once already: a block it holds that needed a repair must be repaired (and said) again.
      const again = both(text, [text, ...primers]);
      expect(again.primed).toBe(again.fresh);
    });
  }

  it('the component limit counts a reused block\'s sub-components', () => {
    const at = both(atLimit(0), [part(A, ev('prime@x'))]);
    expect(at.hits).toBe(1);
    expect(JSON.parse(at.primed).error).toBeUndefined();
    const over = both(atLimit(1), [part(A, ev('prime@x'))]);
    expect(over.hits).toBe(1);
    expect(JSON.parse(over.primed).error).toMatch(/more than .* components/);
    expect(over.primed).toBe(over.fresh);
  });
});
