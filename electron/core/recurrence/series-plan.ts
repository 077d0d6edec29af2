// What walking one recurring component needs that does not depend on the range asked about: the
// ical.js Event with its own overrides, EXDATEs, DTSTART and RDATEs, the normalised rules, how far an
// occurrence can reach. Built once per series and reused by every walk; never changes the component.
import ICAL from 'ical.js';

export interface Item {
  time: ICAL.Time;
  /** An RDATE;VALUE=PERIOD carries its own end. */
  end?: ICAL.Time;
}

export interface OccurrenceDetails {
  startDate: ICAL.Time;
  endDate: ICAL.Time;
  item: ICAL.Event;
}

/** An override that does not move the future: what the walk reads of it, each kept once read. */
export interface FarOverride {
  x: ICAL.Event;
  rid?: ICAL.Time;
  at?: number;
  ridUnix?: number;
  excluded?: boolean;
  start?: number;
  end?: number;
}

export interface SeriesPlan {
  event: ICAL.Event;
  dtstart: ICAL.Time;
  excluded: (t: ICAL.Time) => boolean;
  /** The master's length, and what RANGE=THISANDFUTURE overrides shift and stretch (ms). */
  back: number;
  ahead: number;
  /** All-day dates are read in UTC by the preview and in the process zone by the filter: a day either side. */
  pad: number;
  rules: ICAL.Recur[];
  /** DTSTART and every RDATE, by instant (the walk only reads them). */
  explicit: Item[];
  exceptions: ICAL.Event[];
  /** The overrides without RANGE=THISANDFUTURE (one may move an occurrence from afar into a range). */
  far: FarOverride[];
  /** DTSTART's and the RDATEs' instants (s), read by the first walk that needs them. */
  explicitUnix?: number[];
  /** event.getOccurrenceDetails, the same answers without its per-call work where it has none to do. */
  details: (occurrence: ICAL.Time) => OccurrenceDetails;
}

export const DAY_MS = 86_400_000;
export const ms = (t: ICAL.Time) => t.toJSDate().getTime();

/**
 * The rule with its numeric BY lists sorted and without repeats. RFC 5545 makes them sets, but
 * ical.js walks them as given: BYHOUR=17,9 answers 17:00 before 9:00 (so a walk stopping at the
 * range's end would miss one), and an unsorted BYMONTH jumps back in time.
 */
export function normalizedRule(rule: ICAL.Recur): ICAL.Recur {
  const parts = rule.parts as Record<string, unknown[]>;
  const unsorted = (v: unknown[]) => v.every((x) => typeof x === 'number') && v.some((x, i) => i > 0 && (x as number) <= (v[i - 1] as number));
  const names = Object.keys(parts).filter((n) => n !== 'BYDAY' && Array.isArray(parts[n]) && unsorted(parts[n]));
  if (!names.length) return rule;
  const copy = rule.clone();
  for (const n of names) (copy.parts as Record<string, number[]>)[n] = [...new Set(parts[n] as number[])].sort((a, b) => a - b);
  return copy;
}

const ymd = (t: ICAL.Time) => `${t.year}-${t.month}-${t.day}`;

/** EXDATE as ical.js reads it: a DATE excludes every occurrence on that day, a DATE-TIME its instant. */
function exclusion(master: ICAL.Component): (t: ICAL.Time) => boolean {
  const values = master.getAllProperties('exdate').flatMap((p) => p.getValues()) as ICAL.Time[];
  const instants = new Set(values.map((v) => v.toUnixTime()));
  const days = new Set(values.filter((v) => v.isDate).map(ymd));
  if (!values.length) return () => false;
  if (!days.size) return (t) => instants.has(t.toUnixTime());
  return (t) => instants.has(t.toUnixTime()) || (!t.isDate && days.has(ymd(t)));
}

/** DTSTART and every RDATE: finite, all taken (an RDATE period may be long), by instant. */
function explicitItems(event: ICAL.Event, master: ICAL.Component): Item[] {
  const items: Item[] = [{ time: event.startDate }];
  for (const p of master.getAllProperties('rdate')) {
    for (const v of p.getValues() as Array<ICAL.Time | ICAL.Period>) items.push(v instanceof ICAL.Period ? { time: v.start, end: v.getEnd() } : { time: v });
  }
  return items.sort((a, b) => a.time.compare(b.time));
}

/**
 * getOccurrenceDetails as ical.js 2.2 computes it (event.ts): the override named by the instant's own
 * string or its UTC string, else a RANGE=THISANDFUTURE one, else the master moved by its duration.
 * The UTC string is only worked out when an override is keyed by one (a key ending in Z: the UTC
 * string of a DATE-TIME always does, of a DATE is its own string), and the duration once.
 */
function fastDetails(event: ICAL.Event): (occurrence: ICAL.Time) => OccurrenceDetails {
  // A null-prototype object keyed by RECURRENCE-ID string (typed as an array by ical.js).
  const exceptions = event.exceptions as unknown as Record<string, ICAL.Event>;
  const utcKeyed = Object.keys(exceptions).some((k) => k.endsWith('Z'));
  const ranged = event.rangeExceptions.length > 0;
  let duration: ICAL.Duration | undefined;
  return (occurrence) => {
    // Anything else ical.js's own answer handles (its range exceptions), and the same object shape.
    if (ranged) return event.getOccurrenceDetails(occurrence) as OccurrenceDetails;
    const id = occurrence.toString();
    const own = id in exceptions ? exceptions[id] : undefined;
    const item = own ?? (utcKeyed ? exceptions[occurrence.convertToZone(ICAL.Timezone.utcTimezone).toString()] : undefined);
    if (item) return { startDate: item.startDate, endDate: item.endDate, item };
    duration ??= event.duration;
    const end = occurrence.clone();
    end.addDuration(duration);
    return { startDate: occurrence, endDate: end, item: event };
  };
}

/** Everything about one series a walk needs that does not depend on the range; throws as ical.js does on dates it cannot read. */
export function planSeries(master: ICAL.Component, overrides: ICAL.Component[]): SeriesPlan {
  // Its own overrides only: left to itself, ical.js relates every RECURRENCE-ID component of the
  // whole calendar, of any UID (quadratic over a feed, and another series' override could replace an occurrence).
  const event = new ICAL.Event(master, { exceptions: overrides.filter((o) => o.hasProperty('recurrence-id')) });
  const dtstart = event.startDate;
  const excluded = exclusion(master);
  const pad = dtstart.isDate ? DAY_MS : 1000;
  let back = Math.max(0, ms(event.endDate) - ms(dtstart));
  let ahead = 0;
  const exceptions = Object.values(event.exceptions);
  for (const x of exceptions) {
    if (!x.modifiesFuture()) continue;
    const shift = ms(x.startDate) - ms(x.recurrenceId);
    back = Math.max(back, shift + Math.max(0, ms(x.endDate) - ms(x.startDate)));
    ahead = Math.max(ahead, -shift);
  }
  const rules = master.getAllProperties('rrule').map((p) => normalizedRule(p.getFirstValue() as ICAL.Recur));
  const explicit = explicitItems(event, master);
  const far = exceptions.filter((x) => !x.modifiesFuture()).map((x) => ({ x }));
  return { event, dtstart, excluded, back, ahead, pad, rules, explicit, exceptions, far, details: fastDetails(event) };
}
