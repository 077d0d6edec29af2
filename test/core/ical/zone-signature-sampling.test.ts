// A zone's signature samples (zone-signature.ts sampledOffsets): asking ical.js only near the zone's changes
// must give exactly the samples of asking it every week, for real zones and for hostile ones (changes
// compared near noon, huge offsets, changes every week or month, lists of dates, equal starts,
// observances that cannot be expanded).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { sampledOffsets } from '../../../electron/core/ical/zone-signature.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Both samplings of one VTIMEZONE text, or the error each threw. */
function both(text: string): { fast: string; slow: string } {
  const comp = ICAL.Component.fromString(text);
  const run = (fast: boolean) => {
    try {
      return sampledOffsets(comp, fast).join(',');
    } catch (err) {
      return `threw: ${(err as Error).message}`;
    }
  };
  return { fast: run(true), slow: run(false) };
}

// A small deterministic generator: the same zones on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const two = (n: number) => String(n).padStart(2, '0');
const offset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${two(Math.floor(Math.abs(minutes) / 60))}${two(Math.abs(minutes) % 60)}`;

function observance(kind: 'STANDARD' | 'DAYLIGHT', from: number, to: number, start: string, extra: string[]): string {
  return [`BEGIN:${kind}`, `TZOFFSETFROM:${offset(from)}`, `TZOFFSETTO:${offset(to)}`, `DTSTART:${start}`, ...extra, `END:${kind}`].join('\r\n');
}

function zone(observances: string[]): string {
  return ['BEGIN:VTIMEZONE', 'TZID:Test/Zone', ...observances, 'END:VTIMEZONE', ''].join('\r\n');
}

/** A random zone: one to three observances, offsets up to ±14 hours, change times at any hour (noon
 * and near it often), yearly, monthly or weekly rules, date lists, starts before, in or after the window. */
function randomZone(r: () => number): string {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const offsets = [0, 60, 120, -300, -240, 330, 540, 600, 780, 840, -840, -600, -30, 45, 720, -720];
  const hours = [0, 1, 2, 3, 6, 9, 10, 11, 12, 13, 14, 23, pick([4, 5, 7, 8, 15, 16, 20])];
  const n = 1 + Math.floor(r() * 3);
  const obs: string[] = [];
  let prev = pick(offsets);
  for (let i = 0; i < n; i++) {
    const to = r() < 0.15 ? prev : pick(offsets);
    const year = pick([1970, 1985, 1990, 1999, 2007, 2030, 2044, 2050]);
    const start = `${year}${two(1 + Math.floor(r() * 12))}${two(1 + Math.floor(r() * 28))}T${two(pick(hours))}${two(pick([0, 0, 30, 59]))}00`;
    const kind = r() < 0.5 ? 'STANDARD' : 'DAYLIGHT';
    const rule = r();
    const extra =
      rule < 0.45 ? [`RRULE:FREQ=YEARLY;BYMONTH=${1 + Math.floor(r() * 12)};BYDAY=${pick(['-1SU', '1SU', '2SU', '1SA', '-1FR'])}`]
      : rule < 0.55 ? ['RRULE:FREQ=MONTHLY;BYMONTHDAY=15']
      : rule < 0.6 ? ['RRULE:FREQ=WEEKLY;COUNT=300']
      : rule < 0.7 ? [`RRULE:FREQ=YEARLY;UNTIL=${2000 + Math.floor(r() * 40)}0101T000000Z`]
      : rule < 0.8 ? [`RDATE:${[1995, 2010, 2026, 2033].map((y) => `${y}0${1 + Math.floor(r() * 9)}1${Math.floor(r() * 9)}T${two(pick(hours))}0000`).join(',')}`]
      : [];
    obs.push(observance(kind, prev, to, start, extra));
    prev = to;
  }
  return zone(obs);
}

describe('zone signature sampling', () => {
  it('asking near the changes gives the samples of asking every week, for every zone in the fixtures', () => {
    const blocks = new Set<string>();
    for (const f of filesUnder(FIXTURES)) {
      if (!/\.(ics|eml|txt|json|ts)$/i.test(f)) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE/g)) blocks.add(m[0].replace(/\r?\n/g, '\r\n'));
    }
    let compared = 0;
    for (const b of blocks) {
      let parsed = true;
      try {
        ICAL.Component.fromString(b);
      } catch {
        parsed = false;
      }
      if (!parsed) continue;
      const { fast, slow } = both(b);
      expect(fast, b).toBe(slow);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(15);
  });

  it('and for hostile zones: changes compared at noon, offsets of ±14 hours, changes every week or month, date lists', () => {
    const fixed = [
      // A change at local noon, and one an hour either side of it.
      zone([observance('STANDARD', 60, 0, '19901028T120000', ['RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']), observance('DAYLIGHT', 0, 60, '19900325T110000', ['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'])]),
      zone([observance('STANDARD', 60, 0, '19901028T130000', ['RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']), observance('DAYLIGHT', 0, 60, '19900325T120000', ['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'])]),
      // Falling back by 14 hours, across noon.
      zone([observance('STANDARD', 840, 0, '19950101T020000', ['RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1']), observance('DAYLIGHT', 0, 840, '19950701T020000', ['RRULE:FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1'])]),
      // A change every week (on the sampling day) and every month.
      zone([observance('STANDARD', 60, 0, '19900107T120000', ['RRULE:FREQ=WEEKLY;COUNT=2000']), observance('DAYLIGHT', 0, 60, '19900104T120000', ['RRULE:FREQ=WEEKLY;COUNT=2000'])]),
      zone([observance('STANDARD', 120, 60, '19900115T030000', ['RRULE:FREQ=MONTHLY']), observance('DAYLIGHT', 60, 120, '19900101T020000', ['RRULE:FREQ=MONTHLY'])]),
      // Two observances starting at the same moment, a list of dates, a change and its reverse within a week.
      zone([observance('STANDARD', 60, 0, '20000326T020000', []), observance('DAYLIGHT', 0, 60, '20000326T020000', [])]),
      zone([observance('DAYLIGHT', 0, 60, '19900101T000000', ['RDATE:19960315T120000,20100401T110000,20300101T130000'])]),
      zone([observance('DAYLIGHT', 0, 60, '20200301T020000', []), observance('STANDARD', 60, 0, '20200304T020000', [])]),
      // Only before the window, only after it, no observance that can be expanded.
      zone([observance('STANDARD', 0, 60, '19000101T000000', [])]),
      zone([observance('STANDARD', 0, 60, '20600101T000000', ['RRULE:FREQ=YEARLY'])]),
      zone(['BEGIN:STANDARD', 'TZOFFSETTO:+0100', 'END:STANDARD']),
    ];
    // ical.js expands a zone up to five years past the later of the year asked and this year, and again
    // from the start (holding the earlier changes twice) when a later year is asked: an ambiguous hour
    // just before such a year, asked while refining the first sample after it, is answered from the
    // changes held twice. A "daylight" change that falls back across noon on one of the last days
    // before each re-expansion (which day meets the refinement depends on the weekdays).
    const thisYear = new Date().getFullYear();
    const reExpanded = [5, 11, 17].map((n) => thisYear + n).filter((y) => y < 2045);
    // Falling back by two hours (compared at 11:00 and 13:00), by three (at 10:00 and 13:00: noon only
    // within the offset before the change) and by five (at 11:00 and 16:00: noon only within the offset after it).
    const boundary = reExpanded.flatMap((y) => [25, 26, 27, 28, 29, 30, 31].flatMap((d) => ([[120, '13'], [180, '13'], [300, '16']] as const).map(([from, hour]) => zone([
      observance('STANDARD', 0, 60, '19900101T000000', []),
      observance('DAYLIGHT', from, 0, `${y}12${d}T${hour}0000`, []),
    ]))));
    const r = rng(20261203);
    const zones = [...fixed, ...boundary, ...Array.from({ length: 120 }, () => randomZone(r))];
    let differ = 0;
    const diffs: string[] = [];
    for (const z of zones) {
      const { fast, slow } = both(z);
      if (fast !== slow) {
        differ += 1;
        diffs.push(z);
      }
    }
    expect(diffs).toEqual([]);
    expect(differ).toBe(0);
  });
});
