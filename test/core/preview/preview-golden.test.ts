// The preview's occurrences are the same with the feed index (parsed once per feed text, each series
// with its own overrides only) as recorded before it, over the sample mailbox and the real fixtures;
// another series' override never replaces an occurrence; 100 weekly series over a year are all there.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FEED_INDEX_IDLE_MS, feedIndex, forgetFeedIndex } from '../../../electron/core/preview/feed-index.ts';
import { expandOccurrences } from '../../../electron/core/preview/preview-events.ts';
import { GOLDEN_FILE, RANGES, goldenCalendars } from '../../helpers/preview-golden-cases.ts';
import { REAL_DIR } from '../../helpers/real-fixtures.ts';
import { tenThousandProfile, weeklySeries } from '../../bench/preview-profile.ts';

// Recorded (TZ=America/New_York, as the suite runs) with the expansion as it was before the index:
// the same answers, except google_birthday.ics over 1990–2030, where the old walk put the overrides
// of "BIRTHDAY_…" (another UID) into the series "2014_BIRTHDAY_…" (the test below).
const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, { sha256: string; occurrences: number }>;

function answer(ics: string, a: string, b: string): unknown {
  try {
    return expandOccurrences(ics, new Date(a), new Date(b));
  } catch (err) {
    return { error: String((err as Error).message) };
  }
}
const digest = (r: unknown) => createHash('sha256').update(JSON.stringify(r)).digest('hex');

describe('preview occurrences against the recorded answers', () => {
  it('gives every recorded answer, from a fresh index and from a reused one', async () => {
    const cases = await goldenCalendars();
    expect(cases.length).toBeGreaterThan(30);
    let checked = 0;
    for (const [name, ics] of cases) {
      forgetFeedIndex();
      for (const [a, b] of RANGES) {
        // The first range builds the index, the others reuse it; then each again after another feed.
        const want = golden[`${name} ${a}..${b}`];
        expect(want, `${name} ${a}..${b} recorded`).toBeDefined();
        const r = answer(ics, a, b);
        expect({ name, a, sha: digest(r) }).toEqual({ name, a, sha: want.sha256 });
        checked++;
      }
    }
    expect(checked).toBe(Object.keys(golden).length);
    // Interleaved with another feed (the index holds one): the sample's answers again.
    const [[name, sample]] = cases;
    for (const [a, b] of RANGES) {
      answer(cases[1][1], a, b);
      expect(digest(answer(sample, a, b))).toBe(golden[`${name} ${a}..${b}`].sha256);
    }
  });

  it("never lets another series' override replace an occurrence (google_birthday.ics: two UIDs, overrides on the same dates)", () => {
    const ics = readFileSync(path.join(REAL_DIR, 'ical.js/google_birthday.ics'), 'utf8');
    const { occurrences } = expandOccurrences(ics, new Date('2010-01-01T00:00:00Z'), new Date('2016-01-01T00:00:00Z'));
    const series = occurrences.filter((o) => o.key.startsWith('2014_BIRTHDAY_'));
    // Its own set: DTSTART 2014-12-10 and two RDATEs, no overrides of its own.
    expect(series.map((o) => [o.key, o.start.slice(0, 10)])).toEqual([
      ['2014_BIRTHDAY_79d389868f96182e@google.com', '2012-12-10'],
      ['2014_BIRTHDAY_79d389868f96182e@google.com', '2013-12-10'],
      ['2014_BIRTHDAY_79d389868f96182e@google.com', '2014-12-10'],
    ]);
    expect(occurrences.filter((o) => o.key.startsWith('BIRTHDAY_')).every((o) => o.key.includes('|'))).toBe(true);
  });

  it('shows all occurrences of 100 weekly series over a year (no cap cuts them)', () => {
    const { occurrences, incompleteTotal } = expandOccurrences(weeklySeries(100), new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    // Series i starts on 2025-12-29 + (i % 7) days: the number of that weekday's dates in 2026.
    let want = 0;
    for (let i = 0; i < 100; i++) for (let d = Date.UTC(2025, 11, 29 + (i % 7)); d < Date.UTC(2027, 0, 1); d += 7 * 86_400_000) if (d >= Date.UTC(2026, 0, 1)) want++;
    expect(want).toBe(5_214);
    expect(occurrences).toHaveLength(want);
    expect(incompleteTotal).toBe(0);
  });

  it('answers a week of the 10,000-event profile the same from a reused index as from a fresh one', () => {
    const ics = tenThousandProfile();
    const week = ['2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'] as const;
    forgetFeedIndex();
    const fresh = answer(ics, ...week);
    answer(ics, '2026-06-01T00:00:00Z', '2026-06-08T00:00:00Z');
    expect(answer(ics, ...week)).toEqual(fresh);
    // 100 series repeat weekly with an override each in 2024 and one in 2026 (week 120 after 2024-01-01).
    expect((fresh as { occurrences: unknown[] }).occurrences.length).toBeGreaterThan(900);
  });
});

describe('the feed index', () => {
  it('is reused for the same text, rebuilt for another, and dropped after FEED_INDEX_IDLE_MS unused', () => {
    vi.useFakeTimers();
    try {
      forgetFeedIndex();
      const a = weeklySeries(3);
      const first = feedIndex(a);
      expect(feedIndex(a)).toBe(first);
      vi.advanceTimersByTime(FEED_INDEX_IDLE_MS - 1_000);
      // Used again just before the end: kept for another FEED_INDEX_IDLE_MS.
      expect(feedIndex(a)).toBe(first);
      vi.advanceTimersByTime(FEED_INDEX_IDLE_MS - 1_000);
      expect(feedIndex(a)).toBe(first);
      vi.advanceTimersByTime(FEED_INDEX_IDLE_MS + 1);
      const again = feedIndex(a);
      expect(again).not.toBe(first);
      expect(again.groups.map((g) => g.uid)).toEqual(first.groups.map((g) => g.uid));
      expect(feedIndex(weeklySeries(4))).not.toBe(again);
    } finally {
      vi.useRealTimers();
    }
  });
});
