// What the app's preview shows of a merged calendar: one row per output component (times as UTC
// instants, source message, change since the last sync) and the occurrences in a date range, with
// series expanded within budgets (what is left out is said). Reads the output feed only; never changes it.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { MergedItem } from '../ical/build-calendar.ts';
import type { IncompleteSeries, Occurrence, OccurrencesResult, PreviewEvent } from '../../shared/ipc-contract.ts';
import {
  MAX_PREVIEW_OCCURRENCES,
  MAX_PREVIEW_OCCURRENCES_PER_SERIES,
  MAX_PREVIEW_RECURRENCE_MS,
  MAX_PREVIEW_RECURRENCE_STEPS,
  MAX_RECURRENCE_MS_PER_SERIES,
  MAX_RECURRENCE_STEPS_PER_SERIES,
} from '../limits.ts';
import { ExpansionBudget, type BudgetSpec } from '../recurrence/expansion-budget.ts';
import { planSeries } from '../recurrence/series-plan.ts';
import { walkPlan } from '../recurrence/walk-occurrences.ts';
import { endOf, feedIndex, instantOf, iso, keyOf, primeFeedIndex, text } from './feed-index.ts';
import { previewDetails } from './preview-details.ts';

/** Per event key: a hash of its content (DTSTAMP left out) and whether it was cancelled. */
export type Snapshot = Record<string, { hash: string; cancelled: boolean }>;

const KINDS = new Set(['vevent', 'vtodo', 'vjournal']);

/** Parses a feed and registers its own VTIMEZONEs, so TZID times resolve to the right instants. */
function parseFeed(ics: string): ICAL.Component {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
    if (!tzid) continue;
    ICAL.TimezoneService.remove(tzid);
    // A copy: the service keeps it, and the feed's own VTIMEZONE would keep the whole parse alive.
    ICAL.TimezoneService.register(new ICAL.Timezone(ICAL.Component.fromString(vtz.toString())), tzid);
  }
  return cal;
}

function organizer(comp: ICAL.Component): string {
  const p = comp.getFirstProperty('organizer');
  if (!p) return '';
  const cn = p.getParameter('cn');
  return typeof cn === 'string' && cn ? cn : String(p.getFirstValue() ?? '').replace(/^mailto:/i, '');
}

function contentHash(comp: ICAL.Component): string {
  const body = comp.toString().split(/\r?\n/).filter((l) => !/^DTSTAMP[:;]/i.test(l)).join('\n');
  return createHash('sha256').update(body).digest('hex');
}

/**
 * One preview row per output component. items must come from the same build as ics (same order).
 * Every row is 'new' when there is no previous snapshot.
 */
export function toPreviewEvents(items: MergedItem[], ics: string, previous: Snapshot | undefined): { events: PreviewEvent[]; snapshot: Snapshot; removed: number } {
  const cal = parseFeed(ics);
  const comps = cal.getAllSubcomponents().filter((c) => KINDS.has(c.name));
  if (comps.length !== items.length) throw new Error(`preview: ${items.length} merged items but ${comps.length} components in the feed`);
  const snapshot: Snapshot = {};
  const events = comps.map((comp, i): PreviewEvent => {
    const item = items[i];
    const key = keyOf(item.uid, item.recurrenceId);
    try {
      return previewRow(comp, item, key, snapshot, previous);
    } catch (err) {
      // One row that cannot be read must not take the whole preview (and the sync's log) with it.
      return unreadableRow(item, key, snapshot, previous, err);
    }
  });
  const removed = previous ? Object.keys(previous).filter((k) => !(k in snapshot)).length : 0;
  // The window asks for this feed's occurrences next: its index from this parse, not a second one.
  primeFeedIndex(ics, cal);
  return { events, snapshot, removed };
}

function unreadableRow(item: MergedItem, key: string, snapshot: Snapshot, previous: Snapshot | undefined, err: unknown): PreviewEvent {
  const hash = 'unreadable';
  snapshot[key] = { hash, cancelled: item.cancelled };
  const before = previous?.[key];
  return {
    key, uid: item.uid, ...(item.recurrenceId ? { recurrenceId: item.recurrenceId } : {}), kind: item.kind,
    summary: '', location: '', organizer: '',
    description: `The preview could not read this item (${(err as Error)?.message ?? String(err)}); it is in the calendar as received.`,
    allDay: false, recurring: false, cancelled: item.cancelled,
    source: { folder: item.source.folder, uid: item.source.uid, date: item.source.date, from: item.source.from, subject: item.source.subject },
    change: !before ? 'new' : before.hash !== hash ? 'updated' : 'unchanged',
  };
}

function previewRow(comp: ICAL.Component, item: MergedItem, key: string, snapshot: Snapshot, previous: Snapshot | undefined): PreviewEvent {
  const start = comp.getFirstPropertyValue('dtstart');
  const startTime = start instanceof ICAL.Time ? start : null;
  const end = endOf(comp, startTime);
  const cancelled = item.cancelled || text(comp, 'status').toUpperCase() === 'CANCELLED';
  const hash = contentHash(comp);
  snapshot[key] = { hash, cancelled };
  const before = previous?.[key];
  const change = !before ? 'new' : cancelled && !before.cancelled ? 'cancelled' : before.hash !== hash ? 'updated' : 'unchanged';
  return {
    key,
    uid: item.uid,
    ...(item.recurrenceId ? { recurrenceId: item.recurrenceId } : {}),
    kind: item.kind,
    summary: text(comp, 'summary'),
    location: text(comp, 'location'),
    organizer: organizer(comp),
    description: text(comp, 'description'),
    ...(startTime ? { start: iso(startTime) } : {}),
    ...(end ? { end: iso(end) } : {}),
    allDay: !!startTime?.isDate,
    recurring: comp.hasProperty('rrule') || comp.hasProperty('rdate'),
    ...previewDetails(comp),
    cancelled,
    source: { folder: item.source.folder, uid: item.source.uid, date: item.source.date, from: item.source.from, subject: item.source.subject },
    change,
  };
}

export interface ExpandOptions {
  /** Occurrences in the answer; later ones are left out (and said to be). */
  limit?: number;
  perSeries?: number;
  /** Budget of one series, and of the whole answer; tests inject a clock. */
  seriesBudget?: BudgetSpec;
  totalBudget?: BudgetSpec;
}

/**
 * An occurrence of the answer before it is cut to the limit: its instants, and its strings where they
 * are not simply those instants' ISO strings (all-day dates, single events worked out with the index);
 * the others are written only for the occurrences shown.
 */
interface Found {
  at: number;
  endAt: number;
  key: string;
  start?: string;
  end?: string;
  allDay: boolean;
  summary: string;
  cancelled: boolean;
}

const startOf = (f: Found) => f.start ?? new Date(f.at).toISOString();
const occurrenceOf = (f: Found): Occurrence => ({ key: f.key, start: startOf(f), end: f.end ?? new Date(f.endAt).toISOString(), allDay: f.allDay, summary: f.summary, cancelled: f.cancelled });

// ISO strings of instants sort as the instants do from year 0 to 9999 (outside, toISOString writes
// a sign and six digits).
const YEAR_0_MS = -62_167_219_200_000;
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * Sorts by start string, then key (the window's order), as a comparison of the strings would: by
 * instant when every start is the ISO string of its instant in years 0–9999 (a start given as a
 * string is checked), else by the strings themselves.
 */
function byStart(found: Found[]): void {
  const numeric = found.every((f) => f.at >= YEAR_0_MS && f.at < YEAR_10000_MS && (f.start === undefined || new Date(f.at).toISOString() === f.start));
  if (numeric) {
    found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
    return;
  }
  const starts = new Map(found.map((f) => [f, startOf(f)]));
  found.sort((a, b) => {
    const x = starts.get(a)!;
    const y = starts.get(b)!;
    return x < y ? -1 : x > y ? 1 : a.key < b.key ? -1 : 1;
  });
}

/** What every occurrence of one series item (the master or an override) shows; worked out once per item. */
const itemFields = new WeakMap<ICAL.Event, { key: string; summary: string; cancelled: boolean }>();
function fieldsOf(uid: string, master: ICAL.Component, item: ICAL.Event): { key: string; summary: string; cancelled: boolean } {
  let f = itemFields.get(item);
  if (!f) {
    const key = item.component !== master ? keyOf(uid, String(item.component.getFirstPropertyValue('recurrence-id'))) : uid;
    f = { key, summary: item.summary ?? '', cancelled: text(item.component, 'status').toUpperCase() === 'CANCELLED' };
    itemFields.set(item, f);
  }
  return f;
}

/** How many incomplete series one answer lists by name: a note in the grid, not a report. */
const MAX_INCOMPLETE_LISTED = 50;

/**
 * Every VEVENT occurrence overlapping [from, to), series expanded (overrides and EXDATEs honoured),
 * by start; and the series whose occurrences are not all there (too many in the range, or the
 * expansion budget ran out), so the window can say that something was left out.
 */
export function expandOccurrences(ics: string, from: Date, to: Date, opts: ExpandOptions = {}): OccurrencesResult {
  const limit = opts.limit ?? MAX_PREVIEW_OCCURRENCES;
  const perSeries = opts.perSeries ?? MAX_PREVIEW_OCCURRENCES_PER_SERIES;
  const seriesSpec = opts.seriesBudget ?? { maxSteps: MAX_RECURRENCE_STEPS_PER_SERIES, maxMs: MAX_RECURRENCE_MS_PER_SERIES };
  const total = new ExpansionBudget(
    opts.totalBudget ?? { maxSteps: MAX_PREVIEW_RECURRENCE_STEPS, maxMs: MAX_PREVIEW_RECURRENCE_MS },
    undefined,
    (limit) => `the preview of this range stopped expanding series after ${limit} in all`,
  );
  // Parsed once per feed text: the window asks for every week or month it shows.
  const { groups } = feedIndex(ics);
  const lo = from.getTime();
  const hi = to.getTime();
  const found: Found[] = [];
  const incomplete: IncompleteSeries[] = [];
  for (const g of groups) {
    if (g.kind === 'singles') {
      for (const o of g.items) {
        if (o.startMs < hi && o.endMs > lo) found.push({ at: o.startMs, endAt: o.endMs, key: o.key, start: o.start, end: o.end, allDay: o.allDay, summary: o.summary, cancelled: o.cancelled });
      }
      continue;
    }
    const { uid, master, summary } = g;
    let shown = 0;
    let more = false;
    try {
      g.plan ??= planSeries(master, g.overrides);
      const outcome = walkPlan(g.plan, { start: lo, end: hi }, total.child(seriesSpec), (d) => {
        const f = fieldsOf(uid, master, d.item);
        const sMs = instantOf(d.start);
        // One more in the range than may be shown: say so, and stop.
        if (shown >= perSeries) return (more = sMs < hi && Math.max(instantOf(d.end), sMs + 1) > lo);
        const endMs = instantOf(d.end);
        if (!(sMs < hi && Math.max(endMs, sMs + 1) > lo)) return false;
        // iso() of a DATE-TIME is the ISO string of its instant (written when shown); a DATE's, its fields.
        found.push({
          at: sMs,
          endAt: endMs,
          key: f.key,
          ...(d.start.isDate ? { start: iso(d.start) } : {}),
          ...(d.end.isDate ? { end: iso(d.end) } : {}),
          allDay: d.start.isDate,
          summary: f.summary,
          cancelled: f.cancelled,
        });
        shown++;
        return false;
      });
      if (more) incomplete.push({ key: uid, summary, reason: `more than ${perSeries.toLocaleString('en-US')} occurrences in this range; the first ${perSeries.toLocaleString('en-US')} are shown` });
      else if (!outcome.complete) incomplete.push({ key: uid, summary, reason: outcome.reason ?? 'its occurrences could not all be worked out' });
    } catch (err) {
      incomplete.push({ key: uid, summary, reason: `its dates could not be read (${(err as Error).message})` });
    }
  }
  byStart(found);
  if (found.length > limit) {
    const cut = new Set(found.slice(limit).map((o) => o.key.split('|')[0]));
    const listed = new Set(incomplete.map((i) => i.key));
    const summaries = new Map(groups.map((g) => [g.uid, g.summary]));
    for (const uid of cut) {
      if (!listed.has(uid)) incomplete.push({ key: uid, summary: summaries.get(uid) ?? '', reason: `the range holds more than ${limit.toLocaleString('en-US')} occurrences in all; later ones are not shown` });
    }
  }
  return { occurrences: found.slice(0, limit).map(occurrenceOf), incomplete: incomplete.slice(0, MAX_INCOMPLETE_LISTED), incompleteTotal: incomplete.length };
}
