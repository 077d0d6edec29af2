// The parsed form of one feed the preview asks about again and again (every week or month the window
// shows): its VTIMEZONEs, its VEVENTs grouped by UID, single events' instants worked out once. Keyed by
// the feed's text, dropped after minutes unused; never changes the feed, never answers for another text.
import ICAL from 'ical.js';
import { rememberOffsets } from '../recurrence/memo-timezone.ts';
import { planSeries, type SeriesPlan } from '../recurrence/series-plan.ts';

/** One VEVENT that stands alone (no rule): its instants and what an occurrence of it shows. */
export interface SingleItem {
  key: string;
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  allDay: boolean;
  summary: string;
  cancelled: boolean;
}

/** A UID's components: a recurring master with its own overrides, or items that stand alone. */
export type Group =
  | {
      kind: 'series';
      uid: string;
      master: ICAL.Component;
      overrides: ICAL.Component[];
      summary: string;
      /** Planned with the index (its Event, EXDATEs, rules, RDATEs), reused by every range; dropped with the index. */
      plan?: SeriesPlan;
    }
  | { kind: 'singles'; uid: string; items: SingleItem[]; summary: string };

export interface FeedIndex {
  groups: Group[];
  /** The feed's own VTIMEZONEs, registered again before each answer (another feed may have replaced a TZID). */
  zones: Array<[string, ICAL.Timezone]>;
}

export function iso(t: ICAL.Time): string {
  if (t.isDate) return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}T00:00:00.000Z`;
  return t.toJSDate().toISOString();
}

export function text(comp: ICAL.Component, prop: string): string {
  const v = comp.getFirstPropertyValue(prop);
  return v === null || v === undefined ? '' : String(v);
}

export function endOf(comp: ICAL.Component, start: ICAL.Time | null): ICAL.Time | null {
  if (!start) return null;
  const dtend = comp.getFirstPropertyValue('dtend') ?? comp.getFirstPropertyValue('due');
  if (dtend instanceof ICAL.Time) return dtend;
  const dur = comp.getFirstPropertyValue('duration');
  const end = start.clone();
  if (dur instanceof ICAL.Duration) end.addDuration(dur);
  else if (start.isDate) end.day += 1;
  return end;
}

export const keyOf = (uid: string, recurrenceId?: string) => (recurrenceId ? `${uid}|${recurrenceId}` : uid);

/** One time's instant as the preview compares them: all-day dates in UTC. */
export const instantOf = (t: ICAL.Time): number => (t.isDate ? Date.parse(iso(t)) : t.toJSDate().getTime());

/** Instants as the preview compares them: all-day dates in UTC, an empty event one millisecond long. */
export function instants(s: ICAL.Time, e: ICAL.Time): { startMs: number; endMs: number } {
  const startMs = instantOf(s);
  return { startMs, endMs: Math.max(instantOf(e), startMs + 1) };
}

function single(key: string, comp: ICAL.Component, ev: ICAL.Event): SingleItem | null {
  const s = ev.startDate;
  if (!s) return null;
  const e = endOf(comp, s)!;
  return { key, ...instants(s, e), start: iso(s), end: iso(e), allDay: s.isDate, summary: ev.summary ?? '', cancelled: text(comp, 'status').toUpperCase() === 'CANCELLED' };
}

function registerZones(zones: FeedIndex['zones']): void {
  for (const [tzid, zone] of zones) {
    ICAL.TimezoneService.remove(tzid);
    ICAL.TimezoneService.register(zone, tzid);
  }
}

/** A series' plan made with the index (so the first answer finds it), or later by the answer that
 * then reports why its dates cannot be read. */
function planned(master: ICAL.Component, overrides: ICAL.Component[]): SeriesPlan | undefined {
  try {
    return planSeries(master, overrides);
  } catch {
    return undefined;
  }
}

function build(cal: ICAL.Component): FeedIndex {
  const zones: FeedIndex['zones'] = [];
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
    if (!tzid) continue;
    // Registered from a copy: ical.js's service holds registered zones for good, and the feed's own
    // VTIMEZONE would keep the whole parsed feed (its parent) alive after the index is dropped.
    zones.push([tzid, new ICAL.Timezone(ICAL.Component.fromString(vtz.toString()))]);
    // The zone the feed's own TZID times resolve to (ical.js looks in the calendar before the
    // registered zones): every occurrence asks it for offsets, again and again.
    try {
      const own = cal.getTimeZoneByID(tzid);
      if (own) rememberOffsets(own);
    } catch {
      // A VTIMEZONE without a TZID makes ical.js's lookup throw; its times fail as they did.
    }
  }
  registerZones(zones);
  const byUid = new Map<string, { master?: ICAL.Component; overrides: ICAL.Component[] }>();
  for (const c of cal.getAllSubcomponents('vevent')) {
    const uid = text(c, 'uid');
    const g = byUid.get(uid) ?? { overrides: [] };
    if (c.hasProperty('recurrence-id')) g.overrides.push(c);
    else g.master = c;
    byUid.set(uid, g);
  }
  const groups: Group[] = [];
  for (const [uid, g] of byUid) {
    const summary = text(g.master ?? g.overrides[0], 'summary');
    if (!g.master) {
      // Overrides whose series is not in the feed stand alone.
      const items = g.overrides.map((o) => single(keyOf(uid, String(o.getFirstPropertyValue('recurrence-id'))), o, new ICAL.Event(o)));
      groups.push({ kind: 'singles', uid, items: items.filter((i): i is SingleItem => i !== null), summary });
      continue;
    }
    // Its dates only (walkOccurrences relates the overrides): without options ical.js scans the
    // whole feed for RECURRENCE-IDs, once per series.
    const ev = new ICAL.Event(g.master, { exceptions: [] });
    if (!ev.startDate) continue;
    if (ev.isRecurring()) groups.push({ kind: 'series', uid, master: g.master, overrides: g.overrides, summary, plan: planned(g.master, g.overrides) });
    else groups.push({ kind: 'singles', uid, items: [single(uid, g.master, ev)!], summary });
  }
  return { groups, zones };
}

// One feed at a time: the window shows one profile's preview; a second profile's replaces it.
let last: { ics: string; index: FeedIndex } | undefined;

/** How long an index unused is kept: it holds the parsed feed (about 36 MB for 10,000 events), and the
 * window asks again within seconds while someone looks at the preview, not after minutes. */
export const FEED_INDEX_IDLE_MS = 5 * 60_000;
let idle: ReturnType<typeof setTimeout> | undefined;

function keepAWhile(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    last = undefined;
    idle = undefined;
  }, FEED_INDEX_IDLE_MS);
  // Never keeps a process (the CLI, a test) alive on its own.
  (idle as { unref?: () => void }).unref?.();
}

/**
 * The index of this feed text: built on first use (a single event whose dates cannot be read throws,
 * as the parse it replaces did), then reused while the same text is asked about.
 */
export function feedIndex(ics: string): FeedIndex {
  keepAWhile();
  if (last && last.ics === ics) {
    registerZones(last.index.zones);
    return last.index;
  }
  last = undefined;
  const index = build(new ICAL.Component(ICAL.parse(ics)));
  last = { ics, index };
  return index;
}

/**
 * Builds the index of this feed text from a parse the caller already made of exactly that text (the
 * sync's preview rows parse the feed the window asks about next), so the window's first answer finds
 * it ready. Never throws: a feed whose index cannot be built is left to feedIndex (which throws then).
 */
export function primeFeedIndex(ics: string, cal: ICAL.Component): void {
  if (last && last.ics === ics) return;
  try {
    const index = build(cal);
    last = { ics, index };
    keepAWhile();
  } catch {
    last = undefined;
  }
}

/** Forgets the index (tests compare a fresh build with a reused one). */
export function forgetFeedIndex(): void {
  last = undefined;
}
