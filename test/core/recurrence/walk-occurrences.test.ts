// Occurrence walks near a range: the same occurrences as a naive walk of every rule from DTSTART,
// over many random series (all frequencies, INTERVAL, BY parts, COUNT, UNTIL, TZID times across
// DST, floating and all-day times, EXDATE, RDATE, overrides), and the budgets that stop hostile rules.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { budgetedIterator } from '../../../electron/core/recurrence/budgeted-iterator.ts';
import { ExpansionBudget } from '../../../electron/core/recurrence/expansion-budget.ts';
import { normalizedRule, walkOccurrences, type SeriesOccurrence } from '../../../electron/core/recurrence/walk-occurrences.ts';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';
ICAL.TimezoneService.remove('Europe/Berlin');
ICAL.TimezoneService.register(new ICAL.Timezone(ICAL.Component.fromString(BERLIN)), 'Europe/Berlin');

const ms = (t: ICAL.Time) => t.toJSDate().getTime();
const overlapsRange = (o: { start: ICAL.Time; end: ICAL.Time }, r: { start: number; end: number }) => ms(o.start) < r.end && Math.max(ms(o.end), ms(o.start) + 1) > r.start;
const keyOf = (o: SeriesOccurrence) => `${o.recurrenceId.toUnixTime()} ${ms(o.start)}-${ms(o.end)} ${o.item.summary}`;
const component = (lines: string[]) => ICAL.Component.fromString(['BEGIN:VEVENT', 'UID:s@example.com', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n'));
const budget = (maxSteps: number) => new ExpansionBudget({ maxSteps, maxMs: Infinity, clock: () => 0 });
// Enough for every random series that matches at all; a rule that never matches costs the reference this much.
const big = () => budget(30_000);

/** The reference: every rule walked from DTSTART by ical.js, up to `until`, as a set with DTSTART and RDATEs, minus EXDATEs. */
function naive(master: ICAL.Component, overrides: ICAL.Component[], range: { start: number; end: number }, until: number, spent = big()): string[] | null {
  const event = new ICAL.Event(master);
  for (const o of overrides) event.relateException(o);
  const items = new Map<number, { time: ICAL.Time; end?: ICAL.Time }>();
  const add = (time: ICAL.Time, end?: ICAL.Time) => {
    if (!items.has(time.toUnixTime())) items.set(time.toUnixTime(), { time, end });
  };
  add(event.startDate);
  for (const p of master.getAllProperties('rdate')) for (const v of p.getValues() as Array<ICAL.Time | ICAL.Period>) v instanceof ICAL.Period ? add(v.start, v.getEnd()) : add(v);
  try {
    for (const p of master.getAllProperties('rrule')) {
      const it = budgetedIterator(normalizedRule(p.getFirstValue() as ICAL.Recur), event.startDate, spent);
      for (let t = it.next(); t && ms(t) < until; t = it.next()) add(t.clone());
    }
  } catch (err) {
    // A rule that never matches, or one ical.js refuses ("Malformed values in BYDAY part"): no reference.
    if (err instanceof Error) return null;
    throw err;
  }
  const ex = master.getAllProperties('exdate').flatMap((p) => p.getValues()) as ICAL.Time[];
  const out: string[] = [];
  for (const { time, end } of items.values()) {
    if (ex.some((x) => (x.isDate && !time.isDate ? x.year === time.year && x.month === time.month && x.day === time.day : x.compare(time) === 0))) continue;
    const d = event.getOccurrenceDetails(time);
    const o = { recurrenceId: time, start: d.startDate, end: end && d.item === event ? end : d.endDate, item: d.item };
    if (overlapsRange(o, range)) out.push(keyOf(o));
  }
  return out.sort();
}

function fast(master: ICAL.Component, overrides: ICAL.Component[], range: { start: number; end: number }, budget = big()) {
  const seen: string[] = [];
  const outcome = walkOccurrences(master, overrides, range, budget, (o) => {
    if (overlapsRange(o, range)) seen.push(keyOf(o));
  });
  return { keys: seen.sort(), outcome, steps: budget.steps };
}

/** mulberry32: a small seeded generator, so every run tests the same series. */
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T,>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const chance = (p: number) => next() < p;
  const subset = <T,>(xs: readonly T[], max: number): T[] => {
    const n = int(1, max);
    const out = new Set<T>();
    while (out.size < n) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, chance, subset };
}

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'DAILY', 'DAILY', 'WEEKLY', 'WEEKLY', 'WEEKLY', 'MONTHLY', 'MONTHLY', 'YEARLY'] as const;
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** How far before the range DTSTART may lie, per frequency, so the naive walk stays affordable. */
const LEAD: Record<string, number> = { SECONDLY: 2 * 3_600_000, MINUTELY: 4 * DAY, HOURLY: 120 * DAY, DAILY: 5 * 365 * DAY, WEEKLY: 8 * 365 * DAY, MONTHLY: 30 * 365 * DAY, YEARLY: 60 * 365 * DAY };
const SPAN: Record<string, number> = { SECONDLY: 3_600_000, MINUTELY: 2 * DAY, HOURLY: 10 * DAY, DAILY: 60 * DAY, WEEKLY: 90 * DAY, MONTHLY: 400 * DAY, YEARLY: 800 * DAY };

type Zone = 'utc' | 'berlin' | 'floating' | 'date';

/** A property value in the series' own zone at an instant (wall clock for Berlin and floating). */
function stamp(instant: number, zone: Zone): string {
  if (zone === 'date') {
    const d = new Date(instant);
    return `VALUE=DATE:${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  }
  const t = ICAL.Time.fromJSDate(new Date(instant), zone === 'utc');
  const w = zone === 'berlin' ? t.convertToZone(ICAL.TimezoneService.get('Europe/Berlin')!) : t;
  const text = `${w.year}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
  return zone === 'utc' ? `${text}Z` : zone === 'berlin' ? `TZID=Europe/Berlin:${text}` : text;
}
const prop = (name: string, value: string) => (value.startsWith('VALUE=') || value.startsWith('TZID=') ? `${name};${value}` : `${name}:${value}`);

function randomRule(r: ReturnType<typeof rng>, freq: string, zone: Zone, dtstart: number, rangeEnd: number): string {
  const parts = [`FREQ=${freq}`];
  if (r.chance(0.5)) parts.push(`INTERVAL=${r.chance(0.8) ? r.int(2, 4) : r.int(5, 40)}`);
  const sub = freq === 'SECONDLY' || freq === 'MINUTELY' || freq === 'HOURLY';
  if (r.chance(0.45)) {
    const days = r.subset(DAYS, 5);
    parts.push(`BYDAY=${(freq === 'MONTHLY' || freq === 'YEARLY') && r.chance(0.5) ? days.map((d) => `${r.pick([1, 2, -1, 3, 5])}${d}`).join(',') : days.join(',')}`);
  }
  if (freq !== 'WEEKLY' && r.chance(0.3)) parts.push(`BYMONTHDAY=${r.subset([1, 2, 5, 13, 15, 28, 29, 30, 31, ...(r.chance(0.3) ? [-1, -2] : [])], 3).join(',')}`);
  if (r.chance(0.25)) parts.push(`BYMONTH=${r.subset([1, 2, 3, 4, 6, 7, 10, 11, 12], 4).sort((a, b) => (r.chance(0.9) ? a - b : b - a)).join(',')}`);
  if (zone !== 'date' && !sub && r.chance(0.25)) parts.push(`BYHOUR=${r.subset([0, 2, 3, 8, 9, 13, 17, 23], 3).join(',')}`);
  if (zone !== 'date' && freq !== 'SECONDLY' && freq !== 'MINUTELY' && r.chance(0.15)) parts.push(`BYMINUTE=${r.subset([0, 15, 30, 59], 2).join(',')}`);
  if (zone !== 'date' && freq === 'SECONDLY' && r.chance(0.3)) parts.push(`BYMINUTE=${r.subset([0, 1, 2, 30, 59], 3).join(',')}`);
  if (freq === 'MONTHLY' && parts.some((p) => p.startsWith('BYDAY=')) && r.chance(0.3)) parts.push(`BYSETPOS=${r.pick([1, -1, 2])}`);
  if (r.chance(0.2)) parts.push(`WKST=${r.pick(['MO', 'SU', 'WE'])}`);
  if (r.chance(0.2)) parts.push(`COUNT=${r.int(1, 4000)}`);
  else if (r.chance(0.25)) {
    const until = dtstart + r.next() * (rangeEnd + 100 * DAY - dtstart);
    parts.push(`UNTIL=${zone === 'date' ? stamp(until, 'date').slice('VALUE=DATE:'.length) : stamp(until, 'utc')}`);
  }
  return parts.join(';');
}

/** A random series near a random range, with EXDATEs, RDATEs and overrides taken from its own occurrences. */
function randomCase(seed: number) {
  const r = rng(seed);
  const freq = r.pick(FREQS);
  const zone: Zone = (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY' || freq === 'YEARLY') && r.chance(0.12) ? 'date' : r.pick(['utc', 'berlin', 'berlin', 'floating'] as const);
  const rangeStart = Date.UTC(2025, 0, 1) + r.int(0, 700) * DAY + (freq === 'SECONDLY' || freq === 'MINUTELY' ? r.int(0, 86_399) * 1000 : 0);
  const range = { start: rangeStart, end: rangeStart + Math.max(1000, Math.floor(r.next() * SPAN[freq])) };
  // Mostly long before the range; sometimes inside it or after it.
  let start = r.chance(0.85) ? range.start - Math.floor(r.next() * LEAD[freq]) : range.start + Math.floor((r.next() * 1.2 - 0.1) * (range.end - range.start));
  // Times near the DST changes (02:30 on the last Sunday of March does not exist in Berlin).
  if (zone !== 'date') start = Math.floor(start / 1000) * 1000 - (r.chance(0.2) ? (start % 3_600_000) - 1_800_000 : 0);
  const sub = freq === 'SECONDLY' || freq === 'MINUTELY' || freq === 'HOURLY';
  const dur = zone === 'date' ? r.int(1, 3) * DAY : sub ? r.pick([0, 1000, 15 * 60_000]) : r.pick([0, 1000, 15 * 60_000, 3_600_000, 5 * 3_600_000, 2 * DAY]);
  // Overrides move occurrences by these (small for the fine frequencies, so the reference stays affordable).
  const shifts = sub ? [-3_600_000, -15 * 60_000, 60_000, 3_600_000] : [-2 * 3_600_000, 3_600_000, DAY, -3 * DAY, 10 * DAY];
  const rule = randomRule(r, freq, zone, start, range.end);
  const base = [prop('DTSTART', stamp(start, zone)), prop('DTEND', stamp(start + dur, zone)), `RRULE:${rule}`, 'SUMMARY:Series'];
  if (r.chance(0.15)) base.push(`RRULE:FREQ=${r.pick(['DAILY', 'WEEKLY', 'MONTHLY'])};INTERVAL=${r.int(1, 9)}${r.chance(0.5) ? ';BYDAY=' + r.subset(DAYS, 3).join(',') : ''}`);
  for (let i = r.int(0, 3); i > 0; i--) base.push(prop('RDATE', stamp(r.chance(0.5) ? range.start + r.next() * (range.end - range.start) : start + r.next() * (range.end - start), zone)));
  if (zone !== 'date' && r.chance(0.15)) base.push(`RDATE;VALUE=PERIOD:${stamp(range.start - 5 * DAY, 'utc')}/${stamp(range.start + DAY, 'utc')}`);

  // EXDATEs and overrides on real occurrences: walk the plain series once to find some.
  const plain = component(base);
  const occurrences: ICAL.Time[] = [];
  try {
    walkOccurrences(plain, [], { start: range.start - (sub ? 3_600_000 : 30 * DAY), end: range.end + (sub ? 3_600_000 : 30 * DAY) }, budget(50_000), (o) => {
      occurrences.push(o.recurrenceId);
      return occurrences.length >= 400;
    });
  } catch {
    /* the reference decides what a broken rule gives */
  }
  const lines = [...base];
  const overrides: ICAL.Component[] = [];
  if (occurrences.length) {
    for (let i = r.int(0, 3); i > 0; i--) lines.push(prop('EXDATE', stamp(ms(r.pick(occurrences)), zone)));
    if (zone !== 'date' && r.chance(0.2)) lines.push(`EXDATE;VALUE=DATE:${stamp(ms(r.pick(occurrences)), 'date').slice('VALUE=DATE:'.length)}`);
    const rid = (t: ICAL.Time) => prop('RECURRENCE-ID', t.isDate ? `VALUE=DATE:${t.year}${pad(t.month)}${pad(t.day)}` : stamp(ms(t), zone));
    for (let i = r.int(0, 3); i > 0; i--) {
      const t = r.pick(occurrences);
      const moved = ms(t) + r.pick(shifts);
      overrides.push(component([rid(t), prop('DTSTART', stamp(moved, zone)), prop('DTEND', stamp(moved + 3_600_000, zone)), 'SUMMARY:Moved']));
    }
    if (r.chance(0.1)) {
      const t = r.pick(occurrences);
      const moved = ms(t) + r.pick(shifts.slice(0, 3));
      overrides.push(component([`${rid(t).replace(/^RECURRENCE-ID/, 'RECURRENCE-ID;RANGE=THISANDFUTURE')}`, prop('DTSTART', stamp(moved, zone)), prop('DTEND', stamp(moved + 2 * 3_600_000, zone)), 'SUMMARY:From here on']));
    }
  }
  // An occurrence from long before the range moved into it (the walk near the range never meets its RECURRENCE-ID).
  if (r.chance(0.3)) {
    const first = component(base);
    const early: ICAL.Time[] = [];
    try {
      walkOccurrences(first, [], { start: -Infinity, end: Infinity }, budget(50_000), (o) => {
        early.push(o.recurrenceId);
        return early.length >= 3;
      });
    } catch {
      /* as above */
    }
    const t = early[early.length - 1];
    if (t && ms(t) < range.start - 40 * DAY) {
      const into = range.start + Math.floor((range.end - range.start) / 2);
      overrides.push(component([prop('RECURRENCE-ID', t.isDate ? `VALUE=DATE:${t.year}${pad(t.month)}${pad(t.day)}` : stamp(ms(t), zone)), prop('DTSTART', stamp(into, zone)), prop('DTEND', stamp(into + 3_600_000, zone)), 'SUMMARY:Pulled in']));
    }
  }
  // The reference walks up to here: past the range by the largest shift and length, and a margin.
  return { master: component(lines), overrides, range, rule, zone, until: range.end + (sub ? 2 * 3_600_000 : 15 * DAY) };
}

// WALK_CASES=5000 (and WALK_FROM=seed) run a deeper sweep by hand; the suite runs seeds 1–300, always the same.
const CASES = Number(process.env.WALK_CASES ?? 300);
const FROM = Number(process.env.WALK_FROM ?? 1);

describe('occurrence walk near a range', () => {
  it(`gives exactly the occurrences of a naive walk from DTSTART, over ${CASES} random series`, { timeout: Math.max(600_000, CASES * 2_000) }, () => {
    let compared = 0;
    let withOccurrences = 0;
    let jumped = 0;
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const c = randomCase(seed);
      const reference = big();
      const expected = naive(c.master, c.overrides, c.range, c.until, reference);
      if (!expected) continue;
      const where = `seed ${seed}: ${c.rule} (${c.zone}) in ${new Date(c.range.start).toISOString()}..${new Date(c.range.end).toISOString()}\n${c.master.toString()}\n${c.overrides.map((o) => o.toString()).join('\n')}`;
      let got: ReturnType<typeof fast>;
      try {
        got = fast(c.master, c.overrides, c.range);
      } catch (err) {
        throw new Error(`${where}\n${(err as Error).stack}`);
      }
      expect(got.outcome.complete, where).toBe(true);
      expect(got.keys, where).toEqual(expected);
      compared++;
      if (expected.length) withOccurrences++;
      if (got.steps * 10 < reference.steps) jumped++;
    }
    // Most random rules can be compared (a few never match, which the reference cannot walk), most have
    // occurrences in the range, and many were reached by starting near it (in a tenth of the steps of the reference).
    const counts = `compared ${compared}, with occurrences ${withOccurrences}, reached by starting near the range ${jumped}`;
    expect(compared, counts).toBeGreaterThan(CASES * 0.8);
    expect(withOccurrences, counts).toBeGreaterThan(CASES * 0.4);
    expect(jumped, counts).toBeGreaterThan(CASES * 0.15);
  });

  it('a daily stand-up since 2005 is found in a 2026 week in a few hundred steps, with the right occurrences', () => {
    const standup = component(['DTSTART;TZID=Europe/Berlin:20050103T093000', 'DTEND;TZID=Europe/Berlin:20050103T094500', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'SUMMARY:Stand-up']);
    // The week of the change to summer time: 09:30 Berlin is 08:30 UTC before it, 07:30 after.
    const range = { start: Date.UTC(2026, 2, 23), end: Date.UTC(2026, 3, 4) };
    const got = fast(standup, [], range, budget(500));
    expect(got.outcome).toEqual({ complete: true, stopped: false });
    expect(got.steps).toBeLessThan(500); // a walk from 2005 needs over 5,000
    expect(got.keys.map((k) => new Date(Number(k.split(' ')[1].split('-')[0])).toISOString())).toEqual([
      '2026-03-23T08:30:00.000Z', '2026-03-24T08:30:00.000Z', '2026-03-25T08:30:00.000Z', '2026-03-26T08:30:00.000Z', '2026-03-27T08:30:00.000Z',
      '2026-03-30T07:30:00.000Z', '2026-03-31T07:30:00.000Z', '2026-04-01T07:30:00.000Z', '2026-04-02T07:30:00.000Z', '2026-04-03T07:30:00.000Z',
    ]);
    expect(got.keys).toEqual(naive(standup, [], range, range.end + DAY));
  });

  it('a rule that never matches costs only the range when the range has an end', () => {
    const never = component(['DTSTART:20250101T090000Z', 'DTEND:20250101T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'SUMMARY:Never']);
    const got = fast(never, [], { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) }, budget(2_000));
    expect(got.outcome).toEqual({ complete: true, stopped: false });
    expect(got.keys).toEqual([]);
    expect(got.steps).toBeLessThan(800); // the days from DTSTART to the range's end, not a search for 30 February
  });

  it('with no end to search to, a rule that never matches stops at its step budget and says so', () => {
    const never = component(['DTSTART:20250101T090000Z', 'DTEND:20250101T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'SUMMARY:Never']);
    const got = fast(never, [], { start: Date.UTC(2026, 0, 1), end: Infinity }, budget(20_000));
    expect(got.outcome).toEqual({ complete: false, stopped: false, reason: 'its recurrence rule was given up after 20,000 steps (it never matches, or repeats too often)' });
    expect(got.steps).toBe(20_001);
  });

  it('a huge INTERVAL is charged before ical.js loops through it day by day', { timeout: 30_000 }, () => {
    const far = component(['DTSTART:20250101T090000Z', 'RRULE:FREQ=DAILY;INTERVAL=2000000000', 'SUMMARY:Far']);
    const got = fast(far, [], { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) }, budget(50_000));
    expect(got.outcome.complete).toBe(false);
  });

  it('RDATEs count against the budget too', () => {
    const rdates = Array.from({ length: 2_000 }, (_, i) => `RDATE:${stamp(Date.UTC(2020, 0, 1) + i * DAY, 'utc')}`);
    const many = component(['DTSTART:20191231T090000Z', ...rdates, 'SUMMARY:Many']);
    const got = fast(many, [], { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) }, budget(1_000));
    expect(got.outcome.complete).toBe(false);
    expect(fast(many, [], { start: Date.UTC(2020, 0, 1), end: Date.UTC(2020, 0, 11) }, budget(3_000)).keys).toHaveLength(10);
  });

  it('the time budget reads the injected clock', () => {
    let now = 0;
    const clock = () => (now += 10); // every reading: 10 ms later
    const never = component(['DTSTART:20250101T090000Z', 'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30', 'SUMMARY:Never']);
    const got = fast(never, [], { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) }, new ExpansionBudget({ maxSteps: 1e9, maxMs: 100, clock }));
    expect(got.outcome).toMatchObject({ complete: false, reason: 'its recurrence rule was given up after 100 ms (it never matches, or repeats too often)' });
    expect(got.steps).toBeLessThanOrEqual(256 * 11);
  });

  it('BY lists are sets: an unsorted BYHOUR gives what the sorted one gives', () => {
    const a = component(['DTSTART:20260105T090000Z', 'RRULE:FREQ=DAILY;BYHOUR=17,9,9', 'SUMMARY:A']);
    const b = component(['DTSTART:20260105T090000Z', 'RRULE:FREQ=DAILY;BYHOUR=9,17', 'SUMMARY:A']);
    const range = { start: Date.UTC(2026, 0, 10, 12), end: Date.UTC(2026, 0, 12, 12) };
    expect(fast(a, [], range).keys).toEqual(fast(b, [], range).keys);
    expect(fast(b, [], range).keys).toHaveLength(4);
  });
});
