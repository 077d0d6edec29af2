// Prepared part records: what the sync cache stores per calendar part so a re-sync merges without
// parsing. A merge of stored records (JSON round trip, no text) must equal a merge of the texts, for
// every golden case and real-world fixture, and a record stays right when its companions change.
import { describe, expect, it } from 'vitest';
import { buildCalendar, type BuildResult } from '../../../electron/core/ical/build-calendar.ts';
import { PREPARED_VERSION, preparePart } from '../../../electron/core/ical/prepare.ts';
import { extractFromMessage } from '../../../electron/core/mime/extract-local.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { DEFAULT_MAX_PART_BYTES } from '../../../electron/core/limits.ts';
import { buildEventFilter } from '../../../electron/core/filters/event-filter.ts';
import { GOLDEN_CASES, goldenSettings } from '../../fixtures/golden-cases.ts';
import { fixtureAsMail, realFixtures } from '../../helpers/real-fixtures.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

/** As the sync cache stores a part: the prepared record through JSON, the text dropped. */
function stored(p: CalendarPart): CalendarPart {
  return { ...p, text: '', prepared: JSON.parse(JSON.stringify(preparePart(p))) };
}

async function partsOf(mails: Buffer[], folder: string): Promise<CalendarPart[]> {
  const parts: CalendarPart[] = [];
  for (const [i, raw] of mails.entries()) {
    const found = await extractFromMessage(raw, { folder, uid: i + 1 }, DEFAULT_MAX_PART_BYTES, new Date(Date.UTC(2026, 0, 1, 0, i)));
    parts.push(...found.parts);
  }
  return parts;
}

const comparable = (b: BuildResult) => ({ ...b, folders: [...b.folders] });

describe('prepared records', () => {
  it('a merge of stored records equals a merge of the texts (golden cases, both cancel policies, a filter)', async () => {
    const filter = buildEventFilter({ match: ['summary=.'], window: '2025-01-01..2027-12-31' }, new Date('2026-01-01T00:00:00Z'));
    for (const c of GOLDEN_CASES) {
      const parts = await partsOf(c.mails, 'INBOX');
      expect(parts.length, c.name).toBeGreaterThan(0);
      for (const cancelled of ['remove', 'keep'] as const) {
        for (const eventFilter of [undefined, filter]) {
          const opts = { ...goldenSettings(c), cancelled, eventFilter };
          const fromText = buildCalendar(parts, ['INBOX'], opts);
          expect(comparable(buildCalendar(parts.map(stored), ['INBOX'], opts)), `${c.name} ${cancelled}`).toEqual(comparable(fromText));
        }
      }
    }
  });

  it('a merge of stored records equals a merge of the texts for every real-world fixture, all together', async () => {
    const parts: CalendarPart[] = [];
    for (const [i, rel] of realFixtures().entries()) {
      const found = await extractFromMessage(fixtureAsMail(rel), { folder: 'Real', uid: i + 1, file: rel }, DEFAULT_MAX_PART_BYTES);
      parts.push(...found.parts);
    }
    expect(parts.length).toBeGreaterThan(40);
    const opts = { include: new Set(['VEVENT', 'VTODO', 'VJOURNAL'] as const), cancelled: 'keep' as const };
    const fromText = buildCalendar(parts, ['Real'], opts);
    expect(comparable(buildCalendar(parts.map(stored), ['Real'], opts))).toEqual(comparable(fromText));
    // And in another order (the companions of each record change: zone variants are named anew).
    const reversed = [...parts].reverse();
    expect(comparable(buildCalendar(reversed.map(stored), ['Real'], opts))).toEqual(comparable(buildCalendar(reversed, ['Real'], opts)));
  });

  it('a record computed alone is re-derived when a TZID ends up meaning another definition', () => {
    // "Corp Time" is defined differently by two senders; a third part uses it without a definition,
    // so it means whichever definition the output declares under that name.
    const def = (offset: string) => ['BEGIN:VTIMEZONE', 'TZID:Corp Time', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
    const part = (uid: number, ics: string): CalendarPart => stored({ source: { folder: 'F', uid }, section: '2', text: ics });
    const plus3 = part(1, vcal('REQUEST', def('+0300'), vevent({ uid: 'other-a', start: 'TZID=Corp Time:20260101T090000', end: 'TZID=Corp Time:20260101T100000' })));
    const minus1 = part(2, vcal('REQUEST', def('-0100'), vevent({ uid: 'other-b', start: 'TZID=Corp Time:20260101T090000', end: 'TZID=Corp Time:20260101T100000' })));
    const master = part(3, vcal('REQUEST', vevent({ uid: 'series', summary: 'Daily', start: '20260105T090000Z', end: '20260105T100000Z', rrule: 'FREQ=DAILY;COUNT=3' })));
    // The same occurrence twice: once by local time in "Corp Time", once (newer) in UTC.
    const local = part(4, vcal('REQUEST', vevent({ uid: 'series', summary: 'Moved (local)', recurrenceId: 'TZID=Corp Time:20260105T120000', start: '20260105T150000Z', end: '20260105T160000Z', sequence: 1 })));
    const utc13 = part(5, vcal('REQUEST', vevent({ uid: 'series', summary: 'Moved (UTC)', recurrenceId: '20260105T130000Z', start: '20260105T150000Z', end: '20260105T160000Z', sequence: 2 })));
    const opts = { include: new Set(['VEVENT'] as const), cancelled: 'remove' as const };
    const overrides = (parts: CalendarPart[]) => buildCalendar(parts, ['F'], opts).items.filter((i) => i.uid === 'series' && i.recurrenceId);
    // Output "Corp Time" is -01:00: 12:00 local = 13:00Z, the same occurrence: the newer one wins.
    expect(overrides([minus1, master, local, utc13]).map((i) => i.source.uid)).toEqual([5]);
    // Output "Corp Time" is +03:00 (first definition wins the name): 12:00 local = 09:00Z, two occurrences.
    expect(overrides([plus3, minus1, master, local, utc13]).map((i) => i.source.uid).sort()).toEqual([4, 5]);
  });

  it('records carry their version; an outdated one is prepared again from the text', () => {
    const p: CalendarPart = { source: { folder: 'F', uid: 1 }, section: '2', text: vcal('REQUEST', vevent({ uid: 'v', summary: 'Versioned' })) };
    expect(preparePart(p).v).toBe(PREPARED_VERSION);
    const outdated: CalendarPart = { ...p, prepared: { ...preparePart(p), v: PREPARED_VERSION - 1, comps: [] } };
    expect(buildCalendar([outdated], ['F'], { include: new Set(['VEVENT'] as const), cancelled: 'remove' }).ics).toContain('SUMMARY:Versioned');
  });
});
