// From decoded calendar parts to one merged, serialized feed: parse each part on its own, resolve
// time zones, merge by iTIP rules, serialize. A bad part is skipped and reported, never fatal.
import ICAL from 'ical.js';
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { parsePart } from './parse-part.ts';
import { derivedUid, rankOf, recurrenceKey } from './revision.ts';
import { ATTENDEE_METHODS, mergeEntries, type CancelledPolicy, type Entry, type MergedComponent } from './merge.ts';
import { TimezoneCollector, rewriteTzids } from './timezones.ts';
import { serializeCalendar } from './serialize.ts';
import type { EventFilter } from '../filters/event-filter.ts';

export type ComponentType = 'VEVENT' | 'VTODO' | 'VJOURNAL';

export interface BuildOptions {
  include: ReadonlySet<ComponentType>;
  cancelled: CancelledPolicy;
  /** Event-side filters (date window, --match/--exclude), applied per UID after the merge. */
  eventFilter?: EventFilter;
}

export interface FolderMergeStats {
  calendarParts: number;
  componentsIn: number;
  eventsOut: number;
  updatesApplied: number;
  cancellationsApplied: number;
  attendeeTraffic: number;
  notIncluded: number;
  /** Merged components left out by the event filters. */
  filteredOut: number;
}

/** One component of the output, in output order, with the message whose revision decided it. */
export interface MergedItem {
  uid: string;
  /** RECURRENCE-ID as ical.js prints it, for an overridden occurrence. */
  recurrenceId?: string;
  kind: ComponentType;
  cancelled: boolean;
  source: SourceRef;
}

export interface BuildResult {
  ics: string;
  /** The output's components in order (the i-th item is the i-th component of the ics). */
  items: MergedItem[];
  eventsOut: number;
  folders: Map<string, FolderMergeStats>;
  skipped: SkippedItem[];
  warnings: Warning[];
}

const KINDS = ['vevent', 'vtodo', 'vjournal'];

function emptyStats(): FolderMergeStats {
  return { calendarParts: 0, componentsIn: 0, eventsOut: 0, updatesApplied: 0, cancellationsApplied: 0, attendeeTraffic: 0, notIncluded: 0, filteredOut: 0 };
}

function referencedTzids(comp: ICAL.Component, into: Set<string>): void {
  for (const prop of comp.getAllProperties()) {
    const tzid = prop.getParameter('tzid');
    if (typeof tzid === 'string' && tzid) into.add(tzid);
  }
  for (const sub of comp.getAllSubcomponents()) referencedTzids(sub, into);
}

function where(part: CalendarPart) {
  const s = part.source;
  return { folder: s.folder, uid: s.uid, file: s.file, subject: s.subject, section: part.section };
}

export function buildCalendar(parts: Iterable<CalendarPart>, folderOrder: string[], opts: BuildOptions): BuildResult {
  const folders = new Map<string, FolderMergeStats>();
  const folderIndex = new Map<string, number>();
  const folderNames: string[] = [];
  const indexOf = (name: string): number => {
    let i = folderIndex.get(name);
    if (i === undefined) {
      i = folderNames.length;
      folderIndex.set(name, i);
      folderNames.push(name);
      folders.set(name, emptyStats());
    }
    return i;
  };
  folderOrder.forEach(indexOf);

  const skipped: SkippedItem[] = [];
  const warnings: Warning[] = [];
  const tz = new TimezoneCollector();
  const pending: Array<{ comp: ICAL.Component; method: string; part: CalendarPart; folder: number }> = [];

  for (const part of parts) {
    const folder = indexOf(part.source.folder);
    const stats = folders.get(part.source.folder)!;
    stats.calendarParts += 1;
    const parsed = parsePart(part.text);
    if (!parsed.ok) {
      const notes = part.decodeNotes?.length ? ` (${part.decodeNotes.join('; ')})` : '';
      skipped.push({ ...where(part), reason: `${parsed.reason}${notes}` });
      continue;
    }
    for (const r of parsed.value.repairs) warnings.push({ ...where(part), message: `repaired: ${r}` });
    const label = `${part.source.file ?? `${part.source.folder} UID ${part.source.uid}`} part ${part.section}`;
    const vtimezones: ICAL.Component[] = [];
    const refs = new Set<string>();
    const comps: Array<{ comp: ICAL.Component; method: string }> = [];
    for (const cal of parsed.value.calendars) {
      const calMethod = String(cal.getFirstPropertyValue('method') ?? '').trim().toUpperCase();
      const method = part.mimeMethod ?? (calMethod || 'PUBLISH');
      for (const sub of cal.getAllSubcomponents()) {
        if (sub.name === 'vtimezone') {
          vtimezones.push(sub);
          continue;
        }
        if (!KINDS.includes(sub.name)) continue;
        stats.componentsIn += 1;
        if (!opts.include.has(sub.name.toUpperCase() as ComponentType)) {
          stats.notIncluded += 1;
          continue;
        }
        if (ATTENDEE_METHODS.has(method)) {
          stats.attendeeTraffic += 1;
          continue;
        }
        if (method === 'ADD') {
          skipped.push({ ...where(part), reason: `METHOD:ADD (adding instances to a series) is not supported; ${sub.name.toUpperCase()} not applied` });
          continue;
        }
        referencedTzids(sub, refs);
        comps.push({ comp: sub, method });
      }
    }
    if (!comps.length) continue;
    const map = tz.add({ label, vtimezones, referenced: refs });
    for (const c of comps) {
      rewriteTzids(c.comp, map);
      pending.push({ ...c, part, folder });
    }
  }
  for (const p of tz.problems) warnings.push({ folder: p.source, message: `time zone: ${p.reason}` });

  // Instants (RECURRENCE-ID, DTSTAMP) can only be computed once every zone is known.
  tz.registerAll();
  const entries: Entry[] = pending.map((p, order) => {
    if (!p.comp.hasProperty('uid')) p.comp.addPropertyWithValue('uid', derivedUid(p.comp));
    const date = p.part.source.date ? Date.parse(p.part.source.date) : Number.NaN;
    return {
      comp: p.comp,
      uid: String(p.comp.getFirstPropertyValue('uid')),
      recurKey: recurrenceKey(p.comp),
      method: p.method,
      rank: rankOf(p.comp, Number.isFinite(date) ? date : -Infinity, order),
      folder: p.folder,
      source: p.part.source,
    };
  });
  const merged = mergeEntries(entries, opts.cancelled, folderNames.length);
  folderNames.forEach((name, i) => {
    const s = folders.get(name)!;
    s.eventsOut = merged.stats.eventsOut[i];
    s.updatesApplied = merged.stats.updatesApplied[i];
    s.cancellationsApplied = merged.stats.cancellationsApplied[i];
  });
  const kept = applyEventFilter(merged.components, opts.eventFilter, (m) => {
    const s = folders.get(folderNames[m.decidedBy.folder])!;
    s.eventsOut -= 1;
    s.filteredOut += 1;
  });

  const sorted = kept.sort(
    (a, b) =>
      KINDS.indexOf(a.comp.name) - KINDS.indexOf(b.comp.name) ||
      (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0) ||
      cmp(a.recurKey ?? '', b.recurKey ?? ''),
  );
  const used = new Set<string>();
  for (const m of sorted) referencedTzids(m.comp, used);
  const ics = serializeCalendar(tz.vtimezonesFor(used), sorted.map((m) => m.comp));
  const items: MergedItem[] = sorted.map((m) => ({
    uid: m.uid,
    ...(m.comp.hasProperty('recurrence-id') ? { recurrenceId: String(m.comp.getFirstPropertyValue('recurrence-id')) } : {}),
    kind: m.comp.name.toUpperCase() as ComponentType,
    cancelled: m.cancelled,
    source: m.decidedBy.source ?? { folder: folderNames[m.decidedBy.folder], uid: 0 },
  }));
  return { ics, items, eventsOut: sorted.length, folders, skipped, warnings };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps or drops each UID as a whole, so an override never survives without its series. */
function applyEventFilter(components: MergedComponent[], filter: EventFilter | undefined, dropped: (m: MergedComponent) => void): MergedComponent[] {
  if (!filter || filter.isEmpty) return components;
  const groups = new Map<string, MergedComponent[]>();
  for (const m of components) {
    const key = `${m.comp.name}|${m.uid}`;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const out: MergedComponent[] = [];
  for (const g of groups.values()) {
    const master = g.find((m) => m.recurKey === null) ?? g[0];
    if (filter.keep(master.comp, g.map((m) => m.comp))) out.push(...g);
    else g.forEach(dropped);
  }
  return out;
}
