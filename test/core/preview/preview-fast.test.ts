// The preview's fast answers (one index reused across questions in any order, remembered zone
// offsets and per-series work) are the answers the straightforward expansion gave, recorded with a
// fresh index for each question: tricky feeds (DST, all-day, EXDATE, RDATE, far overrides, COUNT and
// UNTIL, caps and budgets that cut the answer) and the bench profiles.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it, vi } from 'vitest';
import { MAX_ZONE_OFFSETS_REMEMBERED } from '../../../electron/core/limits.ts';
import { feedIndex, forgetFeedIndex } from '../../../electron/core/preview/feed-index.ts';
import { expandOccurrences, toPreviewEvents, type ExpandOptions } from '../../../electron/core/preview/preview-events.ts';
import { offsetsRemembered, rememberOffsets } from '../../../electron/core/recurrence/memo-timezone.ts';
import { itemsOf } from '../../bench/preview-profile.ts';
import { BERLIN, FAST_GOLDEN_FILE, TRICKY_FEEDS, optionsOf, rangesOf } from '../../helpers/preview-tricky-feeds.ts';

// Recorded (TZ=America/New_York, as the suite runs) from the expansion before these changes, each
// question with a fresh index: { "<feed> <options> <from>..<to>": { sha256, occurrences, ... } }.
const golden = JSON.parse(readFileSync(FAST_GOLDEN_FILE, 'utf8')) as Record<string, { sha256: string; occurrences: number }>;

function answer(ics: string, a: string, b: string, opts: ExpandOptions): unknown {
  try {
    return expandOccurrences(ics, new Date(a), new Date(b), opts);
  } catch (err) {
    return { error: String((err as Error).message) };
  }
}
const digest = (r: unknown) => createHash('sha256').update(JSON.stringify(r)).digest('hex');

/** A fixed shuffle (the same order every run, so a failure can be replayed). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('fast preview answers against the recorded straightforward ones', () => {
  for (const [name, ics] of TRICKY_FEEDS) {
    it(`${name}: every question in shuffled order, twice, from one index`, () => {
      const questions = optionsOf(name).flatMap(([o, opts]) => rangesOf(name).map(([a, b]) => ({ key: `${name} ${o} ${a}..${b}`, a, b, opts })));
      forgetFeedIndex();
      let checked = 0;
      for (const round of [1, 2]) {
        for (const q of shuffled(questions, round * 7 + name.length)) {
          const want = golden[q.key];
          expect(want, `${q.key} recorded`).toBeDefined();
          expect({ q: q.key, round, sha: digest(answer(ics, q.a, q.b, q.opts)) }).toEqual({ q: q.key, round, sha: want.sha256 });
          checked++;
        }
      }
      expect(checked).toBe(2 * questions.length);
    });
  }

  it('gives the same answers after another feed replaced the index, and with the real (processor-time) budgets', () => {
    const [[dstName, dst], [allDayName, allDay]] = TRICKY_FEEDS;
    const ranges = rangesOf(dstName);
    forgetFeedIndex();
    for (const [a, b] of ranges) answer(dst, a, b, {});
    for (const [a, b] of [...ranges].reverse()) {
      // The other feed's index replaces this one's, then this one comes back.
      expect(digest(answer(allDay, a, b, {}))).toBe(golden[`${allDayName} default steps ${a}..${b}`].sha256);
      expect(digest(answer(dst, a, b, {}))).toBe(golden[`${dstName} default steps ${a}..${b}`].sha256);
    }
  });

  it('records answers that say what was cut (the test covers the incomplete cases)', () => {
    const keys = Object.keys(golden);
    expect(keys.length).toBe(TRICKY_FEEDS.reduce((n, [name]) => n + optionsOf(name).length * rangesOf(name).length, 0));
    const reasons = new Set(keys.flatMap((k) => (golden[k] as unknown as { reasons: string[] }).reasons));
    for (const r of [/^more than 1,000 occurrences/, /^more than 3 occurrences/, /holds more than 40 occurrences/, /holds more than 20,000 occurrences/, /given up after 120 steps/, /after 300 steps in all/]) {
      expect([...reasons].some((x) => r.test(x)), String(r)).toBe(true);
    }
  });
});

describe('remembered zone offsets', () => {
  it("answers every wall-clock time as ical.js's own zone does (DST gaps and overlaps included)", () => {
    const vtz = ICAL.Component.fromString(BERLIN);
    expect(vtz.name).toBe('vtimezone');
    const plain = new ICAL.Timezone(vtz);
    const memo = new ICAL.Timezone(vtz);
    rememberOffsets(memo);
    rememberOffsets(memo); // twice is once
    let checked = 0;
    for (let pass = 0; pass < 2; pass++) {
      // Every 30 minutes of 2026 (twice: the second pass answers from the memo), and odd fields.
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 1_800_000) {
        const d = new Date(t);
        const tt = new ICAL.Time({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 }, memo);
        expect(memo.utcOffset(tt)).toBe(plain.utcOffset(tt));
        checked++;
      }
    }
    for (const fields of [{ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, { year: 2600, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 }]) {
      const tt = new ICAL.Time(fields, memo);
      expect(memo.utcOffset(tt)).toBe(plain.utcOffset(tt));
      expect(memo.utcOffset(tt)).toBe(plain.utcOffset(tt));
    }
    expect(checked).toBe(2 * 365 * 48);
  });
});

describe("the sync's preview rows", () => {
  it('leave the index of the feed they parsed, so the first occurrences answer parses nothing and answers as a fresh index does', () => {
    for (const [name, ics] of TRICKY_FEEDS.slice(0, 3)) {
      const [[a, b]] = rangesOf(name);
      const items = itemsOf(ics);
      forgetFeedIndex();
      const parse = vi.spyOn(ICAL, 'parse');
      try {
        toPreviewEvents(items, ics, undefined);
        expect(parse).toHaveBeenCalledTimes(1);
        const primed = feedIndex(ics);
        expect(digest(answer(ics, a, b, optionsOf(name)[0][1]))).toBe(golden[`${name} default steps ${a}..${b}`].sha256);
        expect(parse).toHaveBeenCalledTimes(1);
        expect(feedIndex(ics)).toBe(primed);
      } finally {
        parse.mockRestore();
      }
    }
  });
});

describe('remembered zone offsets, bounded', () => {
  it(`keep at most MAX_ZONE_OFFSETS_REMEMBERED (${MAX_ZONE_OFFSETS_REMEMBERED}) offsets per zone, and go on answering right`, () => {
    const plain = new ICAL.Timezone(ICAL.Component.fromString(BERLIN));
    const memo = new ICAL.Timezone(ICAL.Component.fromString(BERLIN));
    rememberOffsets(memo);
    const start = Date.UTC(2026, 2, 29, 0, 0, 0);
    for (let i = 0; i < MAX_ZONE_OFFSETS_REMEMBERED + 5_000; i++) {
      const d = new Date(start + i * 1000);
      const tt = new ICAL.Time({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }, memo);
      if (i % 997 === 0 || i > MAX_ZONE_OFFSETS_REMEMBERED - 3) expect(memo.utcOffset(tt)).toBe(plain.utcOffset(tt));
      else memo.utcOffset(tt);
      expect(offsetsRemembered(memo)).toBeLessThanOrEqual(MAX_ZONE_OFFSETS_REMEMBERED);
    }
    expect(offsetsRemembered(memo)).toBe(5_000);
  });
});

describe('the feed index, dropped', () => {
  it("leaves nothing of the parsed feed in ical.js's zone service (its registered zones are copies)", () => {
    const [, dst] = TRICKY_FEEDS[0];
    forgetFeedIndex();
    toPreviewEvents(itemsOf(dst), dst, undefined);
    const index = feedIndex(dst);
    expect(index.zones.map(([tzid]) => tzid)).toEqual(['Europe/Berlin', 'America/New_York']);
    for (const [tzid] of index.zones) {
      const registered = ICAL.TimezoneService.get(tzid) as ICAL.Timezone;
      // Its component stands alone: no parent chain back to the feed's VCALENDAR.
      expect(registered.component?.name).toBe('vtimezone');
      expect(registered.component?.parent).toBeNull();
    }
  });
});
