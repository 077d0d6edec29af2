// From decoded calendar parts to one merged, serialized feed: parse each part on its own, resolve
// time zones, merge by iTIP rules, serialize. A bad part is skipped and reported, never fatal.
import ICAL from 'ical.js';
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { componentFacts, COUNTED_ONLY, preparedOf, referencedTzids, type PreparedComp } from './prepare.ts';
import { mergeEntries, type CancelledPolicy, type Entry, type MergedComponent } from './merge.ts';
import { TimezoneCollector, componentText, rewriteTzids } from './timezones.ts';
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

function where(part: CalendarPart) {
  const s = part.source;
  return { folder: s.folder, uid: s.uid, file: s.file, subject: s.subject, section: part.section };
}

/**
 * Merges the parts into one feed. Each part is read through its prepared record (stored with it by
 * the sync cache, or computed here), so only the components the merge changes are parsed again.
 */
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
  const pending: Array<{ comp: PreparedComp; map: Map<string, string>; part: CalendarPart; folder: number }> = [];

  for (const part of parts) {
    const folder = indexOf(part.source.folder);
    const stats = folders.get(part.source.folder)!;
    stats.calendarParts += 1;
    const prepared = preparedOf(part);
    if (prepared.error !== undefined) {
      const notes = part.decodeNotes?.length ? ` (${part.decodeNotes.join('; ')})` : '';
      skipped.push({ ...where(part), reason: `${prepared.error}${notes}` });
      continue;
    }
    for (const r of prepared.repairs) warnings.push({ ...where(part), message: `repaired: ${r}` });
    const label = `${part.source.file ?? `${part.source.folder} UID ${part.source.uid}`} part ${part.section}`;
    const refs = new Set<string>();
    const comps: PreparedComp[] = [];
    for (const c of prepared.comps) {
      stats.componentsIn += 1;
      if (!opts.include.has(c.kind.toUpperCase() as ComponentType)) {
        stats.notIncluded += 1;
        continue;
      }
      if (c.method === 'ADD') {
        skipped.push({ ...where(part), reason: `METHOD:ADD (adding instances to a series) is not supported; ${c.kind.toUpperCase()} not applied` });
        continue;
      }
      if (COUNTED_ONLY.has(c.method)) {
        stats.attendeeTraffic += 1;
        continue;
      }
      for (const t of c.tzids) refs.add(t);
      comps.push(c);
    }
    if (!comps.length) continue;
    const map = tz.add(label, prepared.zones, refs);
    for (const comp of comps) pending.push({ comp, map, part, folder });
  }
  for (const p of tz.problems) warnings.push({ folder: p.source, message: `time zone: ${p.reason}` });

  // Every zone is known now. A component whose TZIDs keep their name and meaning uses its prepared
  // text and facts; one whose TZIDs were renamed or now mean another definition is re-derived.
  tz.registerAll();
  const entries: Entry[] = pending.map((p, order) => {
    const c = p.comp;
    const date = p.part.source.date ? Date.parse(p.part.source.date) : Number.NaN;
    const same = c.tzids.every((t) => p.map.get(t) === t) && Object.entries(c.zones).every(([t, sig]) => (tz.sigOf(t) ?? null) === sig);
    let facts: Pick<PreparedComp, 'uid' | 'recurKey' | 'recurrenceId' | 'sequence' | 'dtstamp' | 'status'> = c;
    let text = c.text!;
    let tzids = c.tzids;
    if (!same) {
      const comp = ICAL.Component.fromString(text);
      rewriteTzids(comp, p.map);
      facts = componentFacts(comp, tz.lookup);
      text = componentText(comp);
      tzids = [...referencedTzids(comp, new Set())].sort();
    }
    return {
      text,
      kind: c.kind,
      uid: facts.uid,
      recurKey: facts.recurKey,
      ...(facts.recurrenceId !== undefined ? { recurrenceId: facts.recurrenceId } : {}),
      tzids,
      status: facts.status,
      method: c.method,
      rank: { sequence: facts.sequence, dtstamp: facts.dtstamp ?? -Infinity, messageDate: Number.isFinite(date) ? date : -Infinity, order },
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

  // Kind, then UID, then RECURRENCE-ID (the master first), as one key: NUL sorts below any character.
  const sortKey = (m: MergedComponent) => `${KINDS.indexOf(m.kind)}\0${m.uid}\0${m.recurKey ?? ''}`;
  const sorted = kept
    .map((m) => ({ m, k: sortKey(m) }))
    .sort((a, b) => cmp(a.k, b.k))
    .map((x) => x.m);
  const used = new Set<string>();
  const texts = sorted.map((m) => {
    if (m.comp) {
      referencedTzids(m.comp, used);
      return componentText(m.comp);
    }
    for (const t of m.tzids) used.add(t);
    return m.text!;
  });
  const ics = serializeCalendar(tz.vtimezoneTexts(used), texts);
  const items: MergedItem[] = sorted.map((m) => ({
    uid: m.uid,
    ...(m.recurrenceId !== undefined ? { recurrenceId: m.recurrenceId } : {}),
    kind: m.kind.toUpperCase() as ComponentType,
    cancelled: m.cancelled,
    source: m.decidedBy.source ?? { folder: folderNames[m.decidedBy.folder], uid: 0 },
  }));
  return { ics, items, eventsOut: sorted.length, folders, skipped, warnings };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A merged component to read (the filter never changes it, so its text stays the output). */
function parsed(m: MergedComponent): ICAL.Component {
  return m.comp ?? ICAL.Component.fromString(m.text!);
}

/** Keeps or drops each UID as a whole, so an override never survives without its series. */
function applyEventFilter(components: MergedComponent[], filter: EventFilter | undefined, dropped: (m: MergedComponent) => void): MergedComponent[] {
  if (!filter || filter.isEmpty) return components;
  const groups = new Map<string, MergedComponent[]>();
  for (const m of components) {
    const key = `${m.kind}|${m.uid}`;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const out: MergedComponent[] = [];
  for (const g of groups.values()) {
    const master = g.find((m) => m.recurKey === null) ?? g[0];
    if (filter.keep(parsed(master), g.map(parsed))) out.push(...g);
    else g.forEach(dropped);
  }
  return out;
}
