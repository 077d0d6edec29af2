// From decoded calendar parts to one merged, serialized feed: parse each part on its own, resolve
// time zones, merge by iTIP rules, serialize. A bad part is skipped and reported, never fatal.
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { COUNTED_ONLY, preparedOf, type PreparedComp } from './prepare.ts';
import { groupByUid, type CancelledPolicy, type Entry, type MergeContext } from './merge.ts';
import { senderMatches } from '../filters/server-filter.ts';
import { TimezoneCollector } from './timezones.ts';
import { serializeCalendar } from './serialize.ts';
import { reliefEvery } from '../memory/heap-relief.ts';
import type { EventFilter } from '../filters/event-filter.ts';
import { deriveEntries, messageOf, refusalReason, RELIEF_EVERY, where, type PartRef } from './merge-entries.ts';
import { safeFinishGroup, type Finished, type GroupResult } from './group-finish.ts';
import { MAX_MEMO_COMPONENTS_PER_PART, MergeMemo } from './merge-memo.ts';

export type ComponentType = 'VEVENT' | 'VTODO' | 'VJOURNAL';

export interface BuildOptions {
  include: ReadonlySet<ComponentType>;
  cancelled: CancelledPolicy;
  /** Event-side filters (date window, --match/--exclude), applied per UID after the merge. */
  eventFilter?: EventFilter;
  /**
   * Senders (addresses or domains, lower case, as the allow-list) trusted to change any event on its
   * organizer's behalf; anyone else's revision must come from the event's organizer.
   */
  trustedSenders?: readonly string[];
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

function emptyStats(): FolderMergeStats {
  return { calendarParts: 0, componentsIn: 0, eventsOut: 0, updatesApplied: 0, cancellationsApplied: 0, attendeeTraffic: 0, notIncluded: 0, filteredOut: 0 };
}

/**
 * Merges the parts into one feed. Each part is read through its prepared record (stored with it by
 * the sync cache, or computed here), so only the components the merge changes are parsed again.
 * With a memo, the work of the previous build is reused where its inputs are unchanged.
 */
export function buildCalendar(parts: Iterable<CalendarPart>, folderOrder: string[], opts: BuildOptions, memo?: MergeMemo): BuildResult {
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
  // A one-shot build keeps no part: only what the entries need of it (the memo recognises parts by identity).
  const pending: Array<{ comps: PreparedComp[]; refs: Set<string>; map: Map<string, string>; at: PartRef; part?: CalendarPart; folder: number } | undefined> = [];

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
    for (const r of prepared.refused ?? []) {
      if (r.kind !== 'vtimezone') stats.componentsIn += 1;
      if (r.kind !== 'vtimezone' && !opts.include.has(r.kind.toUpperCase() as ComponentType)) stats.notIncluded += 1;
      else skipped.push({ ...where(part), reason: refusalReason(r) });
    }
    const label = `${part.source.file ?? `${part.source.folder} UID ${part.source.uid}`} part ${part.section}`;
    const refs = new Set<string>();
    const comps: PreparedComp[] = [];
    for (const c of prepared.comps) {
      stats.componentsIn += 1;
      if (!opts.include.has(c.kind.toUpperCase() as ComponentType)) {
        stats.notIncluded += 1;
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
    let map: Map<string, string>;
    try {
      map = tz.add(label, prepared.zones, refs);
    } catch (err) {
      skipped.push({ ...where(part), reason: `its time zones could not be read (${messageOf(err)})` });
      continue;
    }
    // A very large part is not remembered between builds: its entries and merge results would be
    // held for good (200 MB for 78,000 events), and re-deriving it costs far less than reading it did.
    const remembered = memo && comps.length <= MAX_MEMO_COMPONENTS_PER_PART;
    pending.push({ comps, refs, map, at: { source: part.source, section: part.section }, ...(remembered ? { part } : {}), folder });
  }
  for (const p of tz.problems) warnings.push({ folder: p.source, message: `time zone: ${p.reason}` });

  const trusted = [...(opts.trustedSenders ?? [])].sort();
  const key = JSON.stringify([folderNames, [...opts.include].sort(), opts.cancelled, opts.eventFilter?.signature ?? null, trusted]);
  const prev = memo?.key === key ? memo : undefined;
  const next = { parts: new Map<CalendarPart, { zoneKey: string; entries: Entry[] }>(), groups: new Map<string, GroupResult>() };

  // Every zone is known now. A component whose TZIDs keep their name and meaning uses its prepared
  // text and facts; one whose TZIDs were renamed or now mean another definition is re-derived.
  tz.registerAll();
  const entries: Entry[] = [];
  // Entries of parts the memo does not keep are new in every build, so their UIDs' results could
  // never be reused: the memo keeps those neither.
  const unremembered = new Set<Entry>();
  const counts = { partsReused: 0, partsDerived: 0, uidsReused: 0, uidsMerged: 0 };
  for (let msg = 0; msg < pending.length; msg++) {
    const p = pending[msg]!;
    // Nothing needs the prepared components of a part the memo does not keep once their entries
    // exist: let them go one by one, so a part of 200,000 events never holds both in full (the caller
    // may drain too).
    if (!p.part) pending[msg] = undefined;
    const zoneKey = p.part ? zoneKeyOf(p.refs, p.map, tz) : '';
    const kept = !p.part || next.parts.has(p.part) ? undefined : prev?.parts.get(p.part);
    const reuse = kept !== undefined && kept.zoneKey === zoneKey;
    const derived = reuse ? kept.entries : deriveEntries(p.comps, p.map, p.at, tz, skipped, !p.part);
    counts[reuse ? 'partsReused' : 'partsDerived'] += 1;
    if (p.part) next.parts.set(p.part, { zoneKey, entries: derived });
    else if (memo) for (const e of derived) unremembered.add(e);
    for (const e of derived) {
      // Only the relative order of a UID's entries matters, and unchanged parts keep theirs.
      e.rank.order = entries.length;
      e.msg = msg;
      e.folder = p.folder;
      entries.push(e);
    }
  }

  const ctx: MergeContext = { policy: opts.cancelled, trusted: (a) => senderMatches(trusted, a), lookup: tz.lookup };
  const all: Finished[] = [];
  // Each UID's result is taken into the output as soon as it is merged; only a memo keeps it whole
  // (a one-shot build would otherwise hold every UID's merge record, about 1 KB each, to the end).
  const take = (g: GroupResult) => {
    for (const [folder, n] of g.outcome.updates) folders.get(folderNames[folder])!.updatesApplied += n;
    for (const folder of g.outcome.cancels) folders.get(folderNames[folder])!.cancellationsApplied += 1;
    for (const m of g.dropped) folders.get(folderNames[m.decidedBy.folder])!.filteredOut += 1;
    skipped.push(...g.skipped);
    warnings.push(...g.warnings);
    for (const f of g.kept) {
      folders.get(folderNames[f.folder])!.eventsOut += 1;
      all.push(f);
    }
  };
  const groups = groupByUid(entries);
  // Without a memo the groups are the only holders of the entries from here on, and each UID's are
  // let go once it is merged: the peak is the larger of entries and output, not their sum.
  entries.length = 0;
  const relief = reliefEvery(RELIEF_EVERY);
  for (const [uid, list] of groups) {
    relief();
    const before = prev?.groups.get(uid);
    const same = before && before.entries.length === list.length && before.entries.every((e, i) => e === list[i]);
    const g = same ? before : safeFinishGroup(uid, list, opts, ctx, folderNames);
    if (memo && !(unremembered.size && list.some((e) => unremembered.has(e)))) next.groups.set(uid, g);
    else groups.delete(uid);
    take(g);
    counts[same ? 'uidsReused' : 'uidsMerged'] += 1;
  }
  if (memo) Object.assign(memo, { key, lastBuild: counts }, next);

  const sorted = all.sort((a, b) => cmp(a.key, b.key));
  const used = new Set<string>();
  for (const f of sorted) for (const t of f.tzids) used.add(t);
  const ics = serializeCalendar(tz.vtimezoneTexts(used), sorted.map((f) => f.text));
  const items: MergedItem[] = sorted.map((f) => f.item);
  return { ics, items, eventsOut: sorted.length, folders, skipped, warnings };
}

/** The output names and meanings of a part's TZIDs: its entries stay right while this is unchanged. */
function zoneKeyOf(refs: Set<string>, map: Map<string, string>, tz: TimezoneCollector): string {
  let key = '';
  for (const t of [...refs].sort()) {
    const name = map.get(t)!;
    key += `${t}>${name}=${tz.sigOf(name) ?? ''}\n`;
  }
  return key;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
