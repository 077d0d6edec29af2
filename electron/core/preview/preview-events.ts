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
import { walkOccurrences } from '../recurrence/walk-occurrences.ts';
import { endOf, feedIndex, iso, keyOf, text } from './feed-index.ts';
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
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz), tzid);
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
  const comps = parseFeed(ics).getAllSubcomponents().filter((c) => KINDS.has(c.name));
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
  const out: Occurrence[] = [];
  const incomplete: IncompleteSeries[] = [];
  const push = (key: string, item: ICAL.Event, s: ICAL.Time, e: ICAL.Time): boolean => {
    const sMs = s.isDate ? Date.parse(iso(s)) : s.toJSDate().getTime();
    const eMs = Math.max(e.isDate ? Date.parse(iso(e)) : e.toJSDate().getTime(), sMs + 1);
    if (!(sMs < hi && eMs > lo)) return false;
    out.push({ key, start: iso(s), end: iso(e), allDay: s.isDate, summary: item.summary ?? '', cancelled: text(item.component, 'status').toUpperCase() === 'CANCELLED' });
    return true;
  };
  for (const g of groups) {
    if (g.kind === 'singles') {
      for (const o of g.items) {
        if (o.startMs < hi && o.endMs > lo) out.push({ key: o.key, start: o.start, end: o.end, allDay: o.allDay, summary: o.summary, cancelled: o.cancelled });
      }
      continue;
    }
    const { uid, master, summary } = g;
    let shown = 0;
    let more = false;
    try {
      const outcome = walkOccurrences(master, g.overrides, { start: lo, end: hi }, total.child(seriesSpec), (d) => {
        const overridden = d.item.component !== master;
        const key = overridden ? keyOf(uid, String(d.item.component.getFirstPropertyValue('recurrence-id'))) : uid;
        if (shown >= perSeries) {
          // One more in the range than may be shown: say so, and stop.
          const sMs = d.start.isDate ? Date.parse(iso(d.start)) : d.start.toJSDate().getTime();
          return (more = sMs < hi && Math.max(d.end.isDate ? Date.parse(iso(d.end)) : d.end.toJSDate().getTime(), sMs + 1) > lo);
        }
        if (push(key, d.item, d.start, d.end)) shown++;
        return false;
      });
      if (more) incomplete.push({ key: uid, summary, reason: `more than ${perSeries.toLocaleString('en-US')} occurrences in this range; the first ${perSeries.toLocaleString('en-US')} are shown` });
      else if (!outcome.complete) incomplete.push({ key: uid, summary, reason: outcome.reason ?? 'its occurrences could not all be worked out' });
    } catch (err) {
      incomplete.push({ key: uid, summary, reason: `its dates could not be read (${(err as Error).message})` });
    }
  }
  out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.key < b.key ? -1 : 1));
  if (out.length > limit) {
    const cut = new Set(out.slice(limit).map((o) => o.key.split('|')[0]));
    const listed = new Set(incomplete.map((i) => i.key));
    const summaries = new Map(groups.map((g) => [g.uid, g.summary]));
    for (const uid of cut) {
      if (!listed.has(uid)) incomplete.push({ key: uid, summary: summaries.get(uid) ?? '', reason: `the range holds more than ${limit.toLocaleString('en-US')} occurrences in all; later ones are not shown` });
    }
  }
  return { occurrences: out.slice(0, limit), incomplete: incomplete.slice(0, MAX_INCOMPLETE_LISTED), incompleteTotal: incomplete.length };
}
