// Bench of the preview's occurrences (the window's week and year views): the 10,000-event profile,
// a week (first answer after the sync's preview rows, which build the index; first answer without
// them, which parses the feed; the next weeks) and a year; and 100 weekly series over a year (all
// 5,214 must be there). Prints one JSON line per row.
import path from 'node:path';
import { forgetFeedIndex } from '../../electron/core/preview/feed-index.ts';
import { expandOccurrences, toPreviewEvents } from '../../electron/core/preview/preview-events.ts';
import { itemsOf, tenThousandProfile, weeklySeries } from './preview-profile.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000);

export function benchPreview(rounds = 3): Array<Record<string, unknown>> {
  const ics = tenThousandProfile();
  const items = itemsOf(ics);
  const rows: number[] = [];
  const first: number[] = [];
  const cold: number[] = [];
  const next: number[] = [];
  const year: number[] = [];
  let yearCount = 0;
  for (let r = 0; r < rounds; r++) {
    // As the window's "Sync now": the sync's preview rows, then the week the window shows.
    forgetFeedIndex();
    let t = performance.now();
    toPreviewEvents(items, ics, undefined);
    rows.push(performance.now() - t);
    t = performance.now();
    expandOccurrences(ics, day(60), day(67));
    first.push(performance.now() - t);
    // A feed asked about without the rows before it (the index forgotten): parses the feed.
    forgetFeedIndex();
    t = performance.now();
    expandOccurrences(ics, day(60), day(67));
    cold.push(performance.now() - t);
    for (let w = 1; w <= 5; w++) {
      t = performance.now();
      expandOccurrences(ics, day(60 + 7 * w), day(67 + 7 * w));
      next.push(performance.now() - t);
    }
    t = performance.now();
    const y = expandOccurrences(ics, day(0), day(365));
    year.push(performance.now() - t);
    yearCount = y.occurrences.length;
  }
  const weekly = weeklySeries(100);
  const wt: number[] = [];
  let got = 0;
  let incomplete = 0;
  for (let r = 0; r < rounds; r++) {
    forgetFeedIndex();
    const t = performance.now();
    const res = expandOccurrences(weekly, day(0), day(365));
    wt.push(performance.now() - t);
    got = res.occurrences.length;
    incomplete = res.incompleteTotal;
  }
  return [
    { row: "preview, one week, 10,000-event profile (first answer after the sync's preview rows)", ms: median(first), runs: first },
    { row: 'preview, one week, 10,000-event profile (next weeks: feed parsed once)', ms: median(next) },
    { row: 'preview, one year, 10,000-event profile', ms: median(year), occurrences: yearCount, runs: year },
    { row: 'preview, one year, 100 weekly series', ms: median(wt), occurrences: got, expected: 5_214, incomplete },
    { row: 'preview, one week, 10,000-event profile (first answer without the preview rows: parses the feed)', ms: median(cold) },
    { row: "sync's preview rows, 10,000-event profile (parse, rows, and the occurrence index)", ms: median(rows) },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const row of benchPreview(Number(process.env.BENCH_ROUNDS ?? 3))) console.log(JSON.stringify(row));
}
