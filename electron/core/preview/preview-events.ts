// What the app's preview shows of a merged calendar: one row per output component (times as UTC
// instants, source message, change since the last sync) and the occurrences in a date range, with
// series expanded. Reads the output feed only; never changes it.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { MergedItem } from '../ical/build-calendar.ts';
import type { Occurrence, PreviewEvent } from '../../shared/ipc-contract.ts';

/** Per event key: a hash of its content (DTSTAMP left out) and whether it was cancelled. */
export type Snapshot = Record<string, { hash: string; cancelled: boolean }>;

const KINDS = new Set(['vevent', 'vtodo', 'vjournal']);
/** A series is never iterated further than this: an endless RRULE must not hang the preview. */
const MAX_ITERATIONS_PER_SERIES = 100_000;

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

function iso(t: ICAL.Time): string {
  if (t.isDate) return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}T00:00:00.000Z`;
  return t.toJSDate().toISOString();
}

function text(comp: ICAL.Component, prop: string): string {
  const v = comp.getFirstPropertyValue(prop);
  return v === null || v === undefined ? '' : String(v);
}

function organizer(comp: ICAL.Component): string {
  const p = comp.getFirstProperty('organizer');
  if (!p) return '';
  const cn = p.getParameter('cn');
  return typeof cn === 'string' && cn ? cn : String(p.getFirstValue() ?? '').replace(/^mailto:/i, '');
}

function endOf(comp: ICAL.Component, start: ICAL.Time | null): ICAL.Time | null {
  if (!start) return null;
  const dtend = comp.getFirstPropertyValue('dtend') ?? comp.getFirstPropertyValue('due');
  if (dtend instanceof ICAL.Time) return dtend;
  const dur = comp.getFirstPropertyValue('duration');
  const end = start.clone();
  if (dur instanceof ICAL.Duration) end.addDuration(dur);
  else if (start.isDate) end.day += 1;
  return end;
}

function contentHash(comp: ICAL.Component): string {
  const body = comp.toString().split(/\r?\n/).filter((l) => !/^DTSTAMP[:;]/i.test(l)).join('\n');
  return createHash('sha256').update(body).digest('hex');
}

const keyOf = (uid: string, recurrenceId?: string) => (recurrenceId ? `${uid}|${recurrenceId}` : uid);

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
      cancelled,
      source: { folder: item.source.folder, uid: item.source.uid, date: item.source.date, from: item.source.from, subject: item.source.subject },
      change,
    };
  });
  const removed = previous ? Object.keys(previous).filter((k) => !(k in snapshot)).length : 0;
  return { events, snapshot, removed };
}

/** An EXDATE of the component names this instant. */
function excludes(comp: ICAL.Component, t: ICAL.Time): boolean {
  return comp.getAllProperties('exdate').some((p) => p.getValues().some((v) => v instanceof ICAL.Time && v.toUnixTime() === t.toUnixTime()));
}

/** Every VEVENT occurrence overlapping [from, to), series expanded (overrides and EXDATEs honoured), by start. */
export function expandOccurrences(ics: string, from: Date, to: Date, limit = 5000): Occurrence[] {
  const cal = parseFeed(ics);
  const byUid = new Map<string, { master?: ICAL.Component; overrides: ICAL.Component[] }>();
  for (const c of cal.getAllSubcomponents('vevent')) {
    const uid = text(c, 'uid');
    const g = byUid.get(uid) ?? { overrides: [] };
    if (c.hasProperty('recurrence-id')) g.overrides.push(c);
    else g.master = c;
    byUid.set(uid, g);
  }
  const lo = from.getTime();
  const hi = to.getTime();
  const out: Occurrence[] = [];
  const push = (key: string, item: ICAL.Event, s: ICAL.Time, e: ICAL.Time) => {
    const sMs = s.isDate ? Date.parse(iso(s)) : s.toJSDate().getTime();
    const eMs = Math.max(e.isDate ? Date.parse(iso(e)) : e.toJSDate().getTime(), sMs + 1);
    if (sMs < hi && eMs > lo) out.push({ key, start: iso(s), end: iso(e), allDay: s.isDate, summary: item.summary ?? '', cancelled: text(item.component, 'status').toUpperCase() === 'CANCELLED' });
  };
  for (const [uid, g] of byUid) {
    if (!g.master) {
      // Overrides whose series is not in the feed stand alone.
      for (const o of g.overrides) {
        const ev = new ICAL.Event(o);
        if (ev.startDate) push(keyOf(uid, String(o.getFirstPropertyValue('recurrence-id'))), ev, ev.startDate, endOf(o, ev.startDate)!);
      }
      continue;
    }
    const ev = new ICAL.Event(g.master);
    for (const o of g.overrides) ev.relateException(o);
    if (!ev.startDate) continue;
    if (!ev.isRecurring()) {
      push(uid, ev, ev.startDate, endOf(g.master, ev.startDate)!);
      continue;
    }
    // ical.js skips DTSTART of a series made of RDATEs alone (kewisch/ical.js#534); RFC 5545 counts
    // DTSTART as the first instance, so it is added here unless an EXDATE removes it.
    const first = !g.master.hasProperty('rrule') && !excludes(g.master, ev.startDate) ? ev.startDate.toUnixTime() : undefined;
    if (first !== undefined) {
      const d = ev.getOccurrenceDetails(ev.startDate.clone());
      push(d.item !== ev ? keyOf(uid, String(d.item.component.getFirstPropertyValue('recurrence-id'))) : uid, d.item, d.startDate, d.endDate);
    }
    const it = ev.iterator();
    for (let i = 0, next = it.next(); next && i < MAX_ITERATIONS_PER_SERIES; i++, next = it.next()) {
      if (first !== undefined && next.toUnixTime() === first) continue;
      const d = ev.getOccurrenceDetails(next);
      const sMs = d.startDate.isDate ? Date.parse(iso(d.startDate)) : d.startDate.toJSDate().getTime();
      if (sMs >= hi && (d.recurrenceId.isDate ? Date.parse(iso(d.recurrenceId)) : d.recurrenceId.toJSDate().getTime()) >= hi) break;
      const overridden = d.item !== ev;
      push(overridden ? keyOf(uid, String(d.item.component.getFirstPropertyValue('recurrence-id'))) : uid, d.item, d.startDate, d.endDate);
    }
  }
  out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.key < b.key ? -1 : 1));
  return out.slice(0, limit);
}
