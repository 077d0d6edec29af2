// From decoded calendar parts to one merged, serialized feed: parse each part on its own, resolve
// time zones, merge by iTIP rules, serialize. A bad part is skipped and reported, never fatal.
import ICAL from 'ical.js';
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { COUNTED_ONLY, preparedOf, type PreparedComp } from './prepare.ts';
import { componentFacts, referencedTzids, type ComponentFacts } from './component-facts.ts';
import { groupByUid, mergeGroup, type CancelledPolicy, type Entry, type GroupOutcome, type MergeContext, type MergedComponent } from './merge.ts';
import { senderMatches } from '../filters/server-filter.ts';
import { TimezoneCollector, componentText, rewriteTzids } from './timezones.ts';
import { serializeCalendar } from './serialize.ts';
import { reliefEvery } from '../memory/heap-relief.ts';
import { checkComponentText, publishProblem, type CheckedText } from './output-check.ts';
import type { Refused } from './pre-scan.ts';
import type { EventFilter } from '../filters/event-filter.ts';

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

const KINDS = ['vevent', 'vtodo', 'vjournal'];

function emptyStats(): FolderMergeStats {
  return { calendarParts: 0, componentsIn: 0, eventsOut: 0, updatesApplied: 0, cancellationsApplied: 0, attendeeTraffic: 0, notIncluded: 0, filteredOut: 0 };
}

function where(part: Pick<CalendarPart, 'source' | 'section'>) {
  const s = part.source;
  return { folder: s.folder, uid: s.uid, file: s.file, subject: s.subject, section: part.section };
}

/** A component (or zone) that is not taken, as a person reads it: kind, UID, why. */
export function refusalReason(r: Refused): string {
  return `${r.kind.toUpperCase()}${r.uid !== undefined ? ` ${JSON.stringify(r.uid.length > 80 ? `${r.uid.slice(0, 80)}…` : r.uid)}` : ''}: ${r.reason}`;
}

/** What an entry needs of its part: where it came from. */
type PartRef = Pick<CalendarPart, 'source' | 'section'>;

const messageOf = (err: unknown) => (err as Error)?.message ?? String(err);

/** What a component of the output needs once its UID is merged: its sort key, text and zones, and how
 * the result names it. Nothing that reaches back to the merge entries, so a one-shot build frees each
 * UID's entries as soon as that UID is merged. */
interface Finished {
  item: MergedItem;
  /** Index of the folder whose revision decided it. */
  folder: number;
  /** Kind, then UID, then RECURRENCE-ID (the master first), as one key: NUL sorts below any character. */
  key: string;
  text: CheckedText;
  tzids: Iterable<string>;
}

/** One UID merged, event filter applied: what the output and the statistics take from it. */
interface GroupResult {
  entries: Entry[];
  outcome: GroupOutcome;
  kept: Finished[];
  dropped: MergedComponent[];
  /** Revisions the merge did not apply (organizer binding, ADD without a series), and components that could not be merged or written. */
  skipped: SkippedItem[];
  /** Applied with a caveat, or what the event filter could not evaluate (the events are kept). */
  warnings: Warning[];
}

/**
 * What one build keeps for the next, so a long-running process (the app, `serve`) that re-merges
 * after a small change derives and merges only what the change touched. A part is recognised by
 * identity (the sync cache hands out the same objects while its rows are unchanged) and reused only
 * while its TZIDs keep their output names and meanings; a UID is re-merged unless exactly the same
 * entries, in the same order, make it up. The output equals a build without a memo (tested).
 */
export class MergeMemo {
  /** The settings and folders the memo was built for: anything else starts afresh. */
  key = '';
  parts = new Map<CalendarPart, { zoneKey: string; entries: Entry[] }>();
  groups = new Map<string, GroupResult>();
  /** What the last build reused and what it had to do again. */
  lastBuild = { partsReused: 0, partsDerived: 0, uidsReused: 0, uidsMerged: 0 };
}

/** Components of one part above which a memo does not keep the part (see buildCalendar). Real
 * invitations have a handful; an exported calendar a few thousand. Re-deriving and merging 5,000
 * components again takes ~0.2 s; keeping them costs ~2.5 KB each for as long as the process runs. */
export const MAX_MEMO_COMPONENTS_PER_PART = 5_000;

// Loops over every component (or UID) check the heap this often (see memory/heap-relief.ts).
const RELIEF_EVERY = 512;

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

/** The merge entries of a part's components; one that cannot be derived is skipped, not fatal.
 * `release`: the array is the build's own, and each component is dropped from it once used. */
function deriveEntries(comps: (PreparedComp | undefined)[], map: Map<string, string>, part: PartRef, tz: TimezoneCollector, skipped: SkippedItem[], release: boolean): Entry[] {
  const out: Entry[] = [];
  const relief = reliefEvery(RELIEF_EVERY);
  for (let i = 0; i < comps.length; i++) {
    relief();
    const c = comps[i]!;
    if (release) comps[i] = undefined;
    try {
      const e = entryOf(c, map, part, tz);
      if (typeof e === 'string') skipped.push({ ...where(part), reason: refusalReason({ kind: c.kind, uid: c.uid, reason: e }) });
      else out.push(e);
    } catch (err) {
      skipped.push({ ...where(part), reason: refusalReason({ kind: c.kind, uid: c.uid, reason: `could not be merged (${messageOf(err)})` }) });
    }
  }
  return out;
}

/** One component's merge entry: its prepared text and facts, or re-derived where its zones changed (or why it cannot be). */
function entryOf(c: PreparedComp, map: Map<string, string>, part: PartRef, tz: TimezoneCollector): Entry | string {
  const date = part.source.date ? Date.parse(part.source.date) : Number.NaN;
  const same = c.tzids.every((t) => map.get(t) === t) && Object.entries(c.zones).every(([t, sig]) => (tz.sigOf(t) ?? null) === sig);
  let facts: ComponentFacts = c;
  let text = c.text!;
  let tzids = c.tzids;
  if (!same) {
    const comp = ICAL.Component.fromString(text);
    rewriteTzids(comp, map);
    facts = componentFacts(comp, tz.lookup, c.method);
    const checked = checkComponentText(componentText(comp), c.kind);
    if (!checked.ok) return checked.reason;
    text = checked.text;
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
    rank: { sequence: facts.sequence, dtstamp: facts.dtstamp ?? -Infinity, messageDate: Number.isFinite(date) ? date : -Infinity, order: 0 },
    itip: itipOf(facts),
    msg: 0,
    folder: 0,
    source: part.source,
    section: part.section,
  };
}

/** finishGroup, with a failure of the merge costing only this UID (each of its entries reported). */
function safeFinishGroup(uid: string, entries: Entry[], opts: BuildOptions, ctx: MergeContext, folderNames: readonly string[]): GroupResult {
  try {
    return finishGroup(uid, entries, opts, ctx, folderNames);
  } catch (err) {
    const skipped = entries.map((e) => ({ ...sourceOf(e), reason: refusalReason({ kind: e.kind, uid, reason: `could not be merged (${messageOf(err)})` }) }));
    return { entries, outcome: { components: [], updates: [], cancels: [], rejected: [], warnings: [] }, kept: [], dropped: [], skipped, warnings: [] };
  }
}

/** Merges one UID and applies the event filter to each of its series as a whole, so an override never survives without its series. */
function finishGroup(uid: string, entries: Entry[], opts: BuildOptions, ctx: MergeContext, folderNames: readonly string[]): GroupResult {
  const outcome = mergeGroup(uid, entries, ctx);
  const kept: MergedComponent[] = [];
  const dropped: MergedComponent[] = [];
  const skipped: SkippedItem[] = outcome.rejected.map(({ entry, reason }) => ({ ...sourceOf(entry), reason }));
  const warnings: Warning[] = outcome.warnings.map(({ entry, message }) => {
    const { folder, uid: msgUid, subject, section } = sourceOf(entry);
    return { folder, uid: msgUid, subject, section, message };
  });
  const filter = opts.eventFilter && !opts.eventFilter.isEmpty ? opts.eventFilter : undefined;
  if (!filter) kept.push(...outcome.components);
  else {
    // A series split off by a range change has its own UID: it is filtered as the series it is.
    const bySeries = new Map<string, MergedComponent[]>();
    for (const m of outcome.components) {
      const k = `${m.kind}\0${m.uid}`;
      bySeries.set(k, [...(bySeries.get(k) ?? []), m]);
    }
    for (const g of bySeries.values()) {
      const master = g.find((m) => m.recurKey === null) ?? g[0];
      const s = master.decidedBy.source;
      const problem = (reason: string) => warnings.push({ folder: s?.folder ?? '', uid: s?.uid, subject: s?.subject, message: `${master.kind.toUpperCase()} ${master.uid}: ${reason}` });
      let keep = true;
      try {
        keep = filter.keep(parsed(master), g.map(parsed), problem);
      } catch (err) {
        // A filter never loses an event to a quirk of its data.
        problem(`the event filters could not be applied (${messageOf(err)}); kept`);
      }
      (keep ? kept : dropped).push(...g);
    }
  }
  const finished: Finished[] = [];
  for (const m of kept) {
    // Text the merge built or changed is checked like prepared text: nothing unchecked is written.
    const checked = m.comp ? checkComponentText(componentText(m.comp), m.kind) : { ok: true as const, text: m.text as CheckedText };
    const problem = checked.ok ? publishProblem(checked.text, m.kind) : checked.reason;
    if (!checked.ok || problem) {
      skipped.push({ ...sourceOf(m.decidedBy), reason: refusalReason({ kind: m.kind, uid: m.uid, reason: problem! }) });
      continue;
    }
    const item: MergedItem = {
      uid: m.uid,
      ...(m.recurrenceId !== undefined ? { recurrenceId: m.recurrenceId } : {}),
      kind: m.kind.toUpperCase() as ComponentType,
      cancelled: m.cancelled,
      source: m.decidedBy.source ?? { folder: folderNames[m.decidedBy.folder], uid: 0 },
    };
    const tzids = m.comp ? [...referencedTzids(m.comp, new Set())] : m.tzids;
    finished.push({ item, folder: m.decidedBy.folder, key: `${KINDS.indexOf(m.kind)}\0${m.uid}\0${m.recurKey ?? ''}`, text: checked.text, tzids });
  }
  return { entries, outcome, kept: finished, dropped, skipped, warnings };
}

/** Where an entry came from, as reports name it. */
function sourceOf(e: Entry): Omit<SkippedItem, 'reason'> {
  const s = e.source;
  return { folder: s?.folder ?? '', uid: s?.uid, file: s?.file, subject: s?.subject, section: e.section };
}

/** The scheduling facts of an entry, without the keys a component does not have (the memo compares entries). */
function itipOf(f: ComponentFacts): Entry['itip'] {
  const out: Entry['itip'] = {};
  if (f.organizer) out.organizer = f.organizer;
  if (f.sentBy) out.sentBy = f.sentBy;
  if (f.range) out.range = true;
  if (f.startForm) out.startForm = f.startForm;
  if (f.ridForm) out.ridForm = f.ridForm;
  if (f.addKey) out.addKey = f.addKey;
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A merged component to read (the filter never changes it, so its text stays the output). */
function parsed(m: MergedComponent): ICAL.Component {
  return m.comp ?? ICAL.Component.fromString(m.text!);
}
