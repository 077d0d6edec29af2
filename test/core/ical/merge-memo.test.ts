// The merge memo: a long-running process re-merges after each change reusing what did not change.
// Whatever the changes (parts arriving anywhere, parts gone, zone definitions renamed, settings
// changed), a build with the memo must equal a build without one, and it must really reuse work.
// The corpus holds every golden case, the iTIP ones (binding, ranges, ADD, supersession) among them.
import { describe, expect, it } from 'vitest';
import { buildCalendar, type BuildOptions, type BuildResult } from '../../../electron/core/ical/build-calendar.ts';
import { MAX_MEMO_COMPONENTS_PER_PART, MergeMemo } from '../../../electron/core/ical/merge-memo.ts';
import { preparePart } from '../../../electron/core/ical/prepare.ts';
import { extractFromMessage } from '../../../electron/core/mime/extract-local.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { DEFAULT_MAX_PART_BYTES } from '../../../electron/core/limits.ts';
import { buildEventFilter } from '../../../electron/core/filters/event-filter.ts';
import { GOLDEN_CASES } from '../../fixtures/golden-cases.ts';
import { fixtureAsMail, realFixtures } from '../../helpers/real-fixtures.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const FOLDERS = ['Events', 'Public Folders/Team', 'INBOX'];
const comparable = (b: BuildResult) => ({ ...b, folders: [...b.folders] });

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// "Corp Time" defined two ways: which one keeps the name depends on which part comes first, so
// adding or removing one renames the other and re-derives every part that uses the name.
const corp = (offset: string) => ['BEGIN:VTIMEZONE', 'TZID:Corp Time', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
const zoneParts = (): Array<Omit<CalendarPart, 'source'>> => [
  { section: '2', text: vcal('REQUEST', corp('+0300'), vevent({ uid: 'corp-a', start: 'TZID=Corp Time:20260101T090000', end: 'TZID=Corp Time:20260101T100000' })) },
  { section: '2', text: vcal('REQUEST', corp('-0100'), vevent({ uid: 'corp-b', start: 'TZID=Corp Time:20260101T090000', end: 'TZID=Corp Time:20260101T100000' })) },
  { section: '2', text: vcal('REQUEST', vevent({ uid: 'corp-series', summary: 'Daily', start: '20260105T090000Z', end: '20260105T100000Z', rrule: 'FREQ=DAILY;COUNT=3' })) },
  { section: '2', text: vcal('REQUEST', vevent({ uid: 'corp-series', summary: 'Moved (local)', recurrenceId: 'TZID=Corp Time:20260105T120000', start: '20260105T150000Z', end: '20260105T160000Z', sequence: 1 })) },
  { section: '2', text: vcal('REQUEST', vevent({ uid: 'corp-series', summary: 'Moved (UTC)', recurrenceId: '20260105T130000Z', start: '20260105T150000Z', end: '20260105T160000Z', sequence: 2 })) },
  { section: '2', text: vcal('CANCEL', vevent({ uid: 'corp-series', recurrenceId: '20260106T090000Z', start: '20260106T090000Z', end: '20260106T100000Z', sequence: 3 })) },
];

/** Every golden and real-world part, spread over three folders, stored as the sync cache stores them. */
async function corpus(): Promise<CalendarPart[]> {
  const raws: Array<{ raw: Buffer; file?: string }> = [];
  for (const c of GOLDEN_CASES) for (const raw of c.mails) raws.push({ raw });
  for (const rel of realFixtures()) raws.push({ raw: fixtureAsMail(rel), file: rel });
  const parts: CalendarPart[] = [];
  for (const [i, { raw, file }] of raws.entries()) {
    const folder = FOLDERS[i % FOLDERS.length];
    const found = await extractFromMessage(raw, { folder, uid: i + 1, file }, DEFAULT_MAX_PART_BYTES, new Date(Date.UTC(2026, 0, 1, 0, i)));
    parts.push(...found.parts);
  }
  for (const [j, p] of zoneParts().entries()) parts.push({ ...p, source: { folder: FOLDERS[j % 2], uid: 10_000 + j, date: new Date(Date.UTC(2026, 1, 1, 0, j)).toISOString() } });
  return parts.map((p) => ({ ...p, text: '', prepared: JSON.parse(JSON.stringify(preparePart(p))) }));
}

/** The parts present, in the order the cache hands them out: folder order, then UID, then section. */
function ordered(all: CalendarPart[], present: Set<number>): CalendarPart[] {
  return [...present]
    .sort((a, b) => FOLDERS.indexOf(all[a].source.folder) - FOLDERS.indexOf(all[b].source.folder) || all[a].source.uid - all[b].source.uid || a - b)
    .map((i) => all[i]);
}

describe('merge memo', () => {
  it('equals a build without a memo over random additions, removals and setting changes, and reuses work', async () => {
    const all = await corpus();
    expect(all.length).toBeGreaterThan(60);
    const filter = buildEventFilter({ exclude: ['summary=glob:*cancel*'], window: '2000-01-01..2040-12-31' }, new Date('2026-01-01T00:00:00Z'));
    const settings: BuildOptions[] = [
      { include: new Set(['VEVENT'] as const), cancelled: 'remove' },
      { include: new Set(['VEVENT', 'VTODO', 'VJOURNAL'] as const), cancelled: 'keep' },
      { include: new Set(['VEVENT'] as const), cancelled: 'remove', eventFilter: filter },
      // The iTIP cases' organizer binding changes with the trusted senders.
      { include: new Set(['VEVENT'] as const), cancelled: 'keep', trustedSenders: ['example.com'] },
    ];
    let reusedParts = 0;
    let reusedGroups = 0;
    for (const seed of [1, 2, 3]) {
      const random = rng(seed);
      const memo = new MergeMemo();
      const present = new Set<number>();
      all.forEach((_, i) => random() < 0.6 && present.add(i));
      let opts = settings[0];
      for (let step = 0; step < 40; step++) {
        const roll = random();
        const absent = all.map((_, i) => i).filter((i) => !present.has(i));
        if (roll < 0.4) for (let k = 0; k < 1 + Math.floor(random() * 4) && absent.length; k++) present.add(absent.splice(Math.floor(random() * absent.length), 1)[0]);
        else if (roll < 0.75) for (let k = 0; k < 1 + Math.floor(random() * 3) && present.size; k++) present.delete([...present][Math.floor(random() * present.size)]);
        else if (roll < 0.85) opts = settings[Math.floor(random() * settings.length)];
        // else: nothing changed at all
        const parts = ordered(all, present);
        const withMemo = buildCalendar(parts, FOLDERS, opts, memo);
        expect(comparable(withMemo), `seed ${seed} step ${step}`).toEqual(comparable(buildCalendar(parts, FOLDERS, opts)));
        reusedParts += memo.lastBuild.partsReused;
        reusedGroups += memo.lastBuild.uidsReused;
      }
    }
    expect(reusedParts).toBeGreaterThan(1000);
    expect(reusedGroups).toBeGreaterThan(500);
  });

  it('re-derives the parts whose zone was renamed, and re-merges only the UIDs a change touches', async () => {
    const [a, b, master, local, utc, cancel] = zoneParts().map((p, i): CalendarPart => ({ ...p, source: { folder: 'F', uid: i + 1 } }));
    const unrelated: CalendarPart[] = Array.from({ length: 20 }, (_, i) => ({ section: '2', source: { folder: 'F', uid: 100 + i }, text: vcal('REQUEST', vevent({ uid: `plain-${i}`, summary: `Plain ${i}` })) }));
    const opts: BuildOptions = { include: new Set(['VEVENT'] as const), cancelled: 'remove' };
    const memo = new MergeMemo();
    const check = (parts: CalendarPart[]) => {
      const got = buildCalendar(parts, ['F'], opts, memo);
      expect(comparable(got)).toEqual(comparable(buildCalendar(parts, ['F'], opts)));
      return got;
    };
    check([a, b, master, local, utc, cancel, ...unrelated]);
    expect(memo.lastBuild).toMatchObject({ partsReused: 0, uidsReused: 0 });
    // Nothing changed: everything is reused.
    check([a, b, master, local, utc, cancel, ...unrelated]);
    expect(memo.lastBuild).toMatchObject({ partsDerived: 0, uidsMerged: 0 });
    // One new UID: only it is merged.
    const extra: CalendarPart = { section: '2', source: { folder: 'F', uid: 200 }, text: vcal('REQUEST', vevent({ uid: 'plain-new' })) };
    check([a, b, master, local, utc, cancel, ...unrelated, extra]);
    expect(memo.lastBuild).toMatchObject({ partsDerived: 1, uidsMerged: 1 });
    // The +03:00 "Corp Time" leaves: the -01:00 one takes the name; its part and the overrides that
    // use the name are derived again, the two overrides become one occurrence, nothing else is touched.
    const after = check([b, master, local, utc, cancel, ...unrelated, extra]);
    expect(memo.lastBuild.uidsMerged).toBe(2);
    expect(after.items.filter((i) => i.uid === 'corp-series' && i.recurrenceId).map((i) => i.source.uid)).toEqual([5]);
    expect(after.ics).toContain('TZOFFSETTO:-0100');
    expect(after.ics).not.toContain('Corp Time (2)');
  });

  it('does not keep a very large part between builds (nor its UIDs\' results), and still equals a build without a memo', () => {
    const opts: BuildOptions = { include: new Set(['VEVENT'] as const), cancelled: 'remove' };
    const n = MAX_MEMO_COMPONENTS_PER_PART + 1;
    const events = Array.from({ length: n }, (_, i) => vevent({ uid: `bulk-${i}`, summary: `Bulk ${i}`, start: '20260110T100000Z', end: '20260110T110000Z' }));
    const huge: CalendarPart = { section: '2', source: { folder: 'F', uid: 1 }, text: vcal('PUBLISH', ...events) };
    // A newer revision of one of its events comes in a small part: that UID's result is not kept either.
    const small: CalendarPart = { section: '2', source: { folder: 'F', uid: 2 }, text: vcal('REQUEST', vevent({ uid: 'bulk-0', summary: 'Bulk 0 again', start: '20260110T100000Z', end: '20260110T110000Z', sequence: 1 })) };
    const other: CalendarPart = { section: '2', source: { folder: 'F', uid: 3 }, text: vcal('REQUEST', vevent({ uid: 'solo', summary: 'Solo' })) };
    const parts = [huge, small, other].map((p) => ({ ...p, text: '', prepared: preparePart(p) }));
    const memo = new MergeMemo();
    for (let round = 0; round < 2; round++) {
      const got = buildCalendar(parts, ['F'], opts, memo);
      expect(comparable(got)).toEqual(comparable(buildCalendar(parts, ['F'], opts)));
      expect(got.eventsOut).toBe(n + 1);
    }
    expect([...memo.parts.keys()]).toEqual([parts[1], parts[2]]);
    expect([...memo.groups.keys()]).toEqual(['solo']);
    // Every build derives and merges the large part again; the small ones are reused.
    expect(memo.lastBuild).toMatchObject({ partsReused: 2, partsDerived: 1, uidsReused: 1, uidsMerged: n });
  });
});
