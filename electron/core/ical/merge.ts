// iTIP merge (RFC 5545/5546) of one UID: binds it to its organizer, drops out-of-date messages, keeps
// the newest revision of every instance, applies cancellations, additions and range changes, ignores
// attendee traffic. Never invents data beyond STATUS, EXDATE, RDATE and the cuts and splits they need.
import ICAL from 'ical.js';
import type { SourceRef } from '../model.ts';
import { compareRank, type Rank, type ZoneLookup } from './revision.ts';
import type { ItipFacts } from './itip-facts.ts';
import type { CheckedText } from './output-check.ts';
import { componentOf, type MergedComponent } from './merged-component.ts';
import { currentEntries, isCancelled, messagesOf } from './itip-messages.ts';
import { bindOrganizer, type Trusted } from './organizer-binding.ts';
import { propKeyInShape, shapeOf, type Shape } from './instance-forms.ts';
import { addInstance, generates, resetRuleBudget } from './series-edit.ts';
import { addedInstanceDiffers } from './method-add.ts';
import { splitRanges, type RangeEvent } from './range-split.ts';
import { finishSeries, type Series } from './series-finish.ts';

export type CancelledPolicy = 'remove' | 'keep';
export { componentOf, type MergedComponent };

export interface Entry {
  /** The component as output text (checked); parsed only when the merge has to change it. */
  text: CheckedText;
  kind: string;
  uid: string;
  /** null for the series master (or a non-recurring component). */
  recurKey: string | null;
  recurrenceId?: string;
  /** Output TZIDs the component references. */
  tzids: string[];
  /** STATUS, upper-cased. */
  status: string;
  method: string;
  rank: Rank;
  /** Organizer, range, value forms (see itip-facts.ts). */
  itip: ItipFacts;
  /** The calendar part it came from, numbered per build: the entries of one iTIP message share it. */
  msg: number;
  /** Index of the folder the entry came from, for per-folder statistics. */
  folder: number;
  /** The message it came from (shown in the app's preview). */
  source?: SourceRef;
  /** Its MIME section, for reports. */
  section?: string;
}

/** What merging one UID's entries gave: its components (cancelled ones included) and its statistics. */
export interface GroupOutcome {
  /** Per series: master first, then overrides in instance order; policy applied. */
  components: MergedComponent[];
  /** [folder index, updates applied] */
  updates: Array<[number, number]>;
  /** Folder index of each cancellation applied. */
  cancels: number[];
  /** Revisions not applied, each with the entry that names its message and a reason. */
  rejected: Array<{ entry: Entry; reason: string }>;
  /** Applied with a caveat. */
  warnings: Array<{ entry: Entry; message: string }>;
}

/** How one UID is merged: the cancel policy, whom the profile trusts, the output zones. */
export interface MergeContext {
  policy: CancelledPolicy;
  trusted: Trusted;
  lookup: ZoneLookup;
}

export const ATTENDEE_METHODS = new Set(['REPLY', 'COUNTER', 'REFRESH', 'DECLINECOUNTER']);

function newest(entries: Entry[]): Entry {
  return entries.reduce((a, b) => (compareRank(b.rank, a.rank) > 0 ? b : a));
}

const isTimeKey = (k: string) => /^[TDF]:/.test(k);

function push(map: Map<string, Entry[]>, key: string, e: Entry): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

function versionsCount(revs: Entry[]): number {
  return new Set(revs.map((e) => `${e.rank.sequence}|${e.rank.dtstamp}`)).size;
}

/** Marks a component cancelled, keeping the best content we have for it. */
function cancelledCopy(base: Entry, cancel: Entry, master?: Entry): ICAL.Component {
  const comp = ICAL.Component.fromString(base.text);
  comp.updatePropertyWithValue('status', 'CANCELLED');
  if (cancel.rank.sequence > base.rank.sequence) comp.updatePropertyWithValue('sequence', cancel.rank.sequence);
  if (master && !comp.hasProperty('summary')) {
    const summary = ICAL.Component.fromString(master.text).getFirstProperty('summary');
    if (summary) comp.addProperty(ICAL.Property.fromString(summary.toICALString()));
  }
  return comp;
}

/**
 * The entries of each UID, in input order. One UID's merge never looks at another's, so a caller can
 * keep the outcome of a UID whose entries did not change.
 */
export function groupByUid(entries: Iterable<Entry>): Map<string, Entry[]> {
  const byUid = new Map<string, Entry[]>();
  for (const e of entries) {
    if (ATTENDEE_METHODS.has(e.method)) continue;
    const list = byUid.get(e.uid);
    if (list) list.push(e);
    else byUid.set(e.uid, [e]);
  }
  return byUid;
}

/** Two forms whose keys compare directly: both dates, both floating, or both instants (UTC or a zone). */
const kindOf = (form: string) => (form === 'D' || form === 'F' ? form : 'T');
const sameKind = (a: string, b: string) => kindOf(a) === kindOf(b);

/** Updates per instance among the revisions that may change the event (as counted before ADD and ranges existed). */
function countUpdates(entries: Entry[], outcome: GroupOutcome): void {
  const byKey = new Map<string, Entry[]>();
  for (const e of entries) {
    if (e.method === 'ADD') continue;
    const k = e.recurKey ?? '';
    const list = byKey.get(k);
    if (list) list.push(e);
    else byKey.set(k, [e]);
  }
  for (const list of byKey.values()) {
    const revs = list.filter((e) => e.method !== 'CANCEL');
    if (revs.length < 2) continue;
    const winner = newest(list);
    const decided = winner.method === 'CANCEL' ? newest(revs) : winner;
    outcome.updates.push([decided.folder, versionsCount(revs) - 1]);
  }
}

/** The series master the other entries are read against, its shape parsed on first need. */
interface MasterView {
  winner?: Entry;
  lookup: ZoneLookup;
  /** null: parsed, none. */
  shape?: Shape | null;
}

// Plain functions over a view, not closures per UID: thousands of UIDs merge in one build.
function masterShape(m: MasterView): Shape | undefined {
  if (m.shape === undefined) m.shape = m.winner ? shapeOf(ICAL.Component.fromString(m.winner.text), m.lookup) ?? null : null;
  return m.shape ?? undefined;
}

/**
 * The entry's instance key. One named with the other value type than DTSTART's (a date for a timed
 * series, floating for a zoned one, or the reverse) is keyed in the series' terms, so that it meets
 * the instance it means (RFC 5545 §3.8.4.4).
 */
function keyFor(m: MasterView, e: Entry): string | null {
  const raw = e.method === 'ADD' ? e.itip.addKey ?? null : e.recurKey;
  const form = e.method === 'ADD' ? e.itip.startForm : e.itip.ridForm;
  const mForm = m.winner?.itip.startForm;
  if (raw === null || !form || !mForm || sameKind(form, mForm)) return raw;
  const s = masterShape(m);
  const prop = s && ICAL.Component.fromString(e.text).getFirstProperty(e.method === 'ADD' ? 'dtstart' : 'recurrence-id');
  return (s && prop && propKeyInShape(prop, s, m.lookup)) || raw;
}

/**
 * Merges one UID's entries (see the module comment and README "Merging" for the rules). A series
 * whose rule ical.js cannot walk (a hostile or broken RRULE) must not abort the run: it is merged
 * again revision by revision, without the rules that need the rule's instances, and reported.
 */
export function mergeGroup(uid: string, entries: Entry[], ctx: MergeContext): GroupOutcome {
  resetRuleBudget();
  try {
    return mergeWithRules(uid, entries, ctx, false);
  } catch (err) {
    const outcome = mergeWithRules(uid, entries, ctx, true);
    const e = entries.find((x) => x.recurKey === null) ?? entries[0];
    outcome.warnings.push({ entry: e, message: `${e.kind.toUpperCase()} ${uid}: its recurrence could not be worked out (${err instanceof Error ? err.message : String(err)}), so ranges, additions and instance forms were not applied; merged revision by revision` });
    return outcome;
  }
}

/** `plain`: no rule that needs the series' instances (ranges, ADD, instance forms), for a series ical.js cannot walk. */
function mergeWithRules(uid: string, entries: Entry[], ctx: MergeContext, plain: boolean): GroupOutcome {
  const outcome: GroupOutcome = { components: [], updates: [], cancels: [], rejected: [], warnings: [] };
  const { accepted, rejected } = bindOrganizer(messagesOf(entries), ctx.trusted);
  for (const r of rejected) {
    const e = r.message.entries[0];
    outcome.rejected.push({ entry: e, reason: `${e.kind.toUpperCase()} ${uid}: this ${e.method} was not applied: ${r.reason}` });
  }
  if (entries.length > 1) countUpdates(accepted.length === 1 ? accepted[0].entries : accepted.flatMap((x) => x.entries), outcome);
  const live = currentEntries(accepted);

  const masters = live.filter((e) => e.recurKey === null && e.method !== 'ADD');
  const masterWinner = masters.length ? newest(masters) : undefined;
  const masterLive = masterWinner !== undefined && !isCancelled(masterWinner);
  const m: MasterView = { winner: masterWinner, lookup: ctx.lookup };
  const keys = new Map<string, Entry[]>();
  const ranges: RangeEvent[] = [];
  const addedKeys = new Set<string>();
  for (const e of live) {
    if (e.method === 'ADD') {
      const k = masterLive && !plain ? keyFor(m, e) : null;
      if (k === null || !isTimeKey(k)) {
        const why = !masterWinner ? 'no invitation in these folders establishes this UID, so there is no series to add to (a calendar would ask the organizer for a REFRESH, RFC 5546 §3.2.4)'
          : !masterLive ? 'the series it adds to is cancelled' : plain ? 'the series\' recurrence could not be worked out' : 'it has no DTSTART, so it names no instance';
        outcome.rejected.push({ entry: e, reason: `${e.kind.toUpperCase()} ${uid}: this METHOD:ADD was not applied: ${why}` });
        continue;
      }
      addedKeys.add(k);
      push(keys, k, e);
      continue;
    }
    const k = e.recurKey === null ? '' : plain ? e.recurKey : keyFor(m, e)!;
    if (!plain && k && isTimeKey(k) && e.itip.range && masterLive && masterShape(m)) {
      ranges.push({ entry: e, key: k, cancel: isCancelled(e) });
      continue;
    }
    push(keys, k, e);
  }

  const seriesCancel = masterWinner && isCancelled(masterWinner) ? masterWinner : undefined;
  let master: MergedComponent | undefined;
  const overrides: MergedComponent[] = [];
  for (const [key, list] of keys) {
    const revs = list.filter((e) => e.method !== 'CANCEL');
    let winner = newest(list);
    // A series CANCEL newer than this occurrence's latest revision cancels the occurrence too.
    if (key && seriesCancel && compareRank(seriesCancel.rank, winner.rank) > 0) winner = seriesCancel;
    const merged = resolveKey(uid, key || null, winner, revs, ctx.policy, masterWinner);
    if (addedKeys.has(key)) merged.added = true;
    if (key === '') master = merged;
    else overrides.push(merged);
  }

  // Instance order, not arrival order: what the merge writes must not depend on how the mails sit in the folder.
  overrides.sort((a, b) => (a.recurKey! < b.recurKey! ? -1 : a.recurKey! > b.recurKey! ? 1 : 0));
  // The master is parsed only when there is an instance to write into it or for it.
  const s = !plain && masterLive && master && (overrides.length || ranges.length) ? masterShape(m) : undefined;
  if (master && s) {
    // Added instances join the recurrence set before any cut or split, so that those go with them.
    for (const o of overrides) {
      if (!o.added || (o.cancelled && ctx.policy === 'remove')) continue;
      // An instance the rule already generates needs no RDATE (some readers would show it twice).
      if (!generates(componentOf(master), s, o.recurKey!)) addInstance(componentOf(master), 'rdate', o.recurKey!, s, ctx.lookup);
      if (o.decidedBy.method === 'ADD' && !addedInstanceDiffers(ICAL.Component.fromString(o.decidedBy.text), componentOf(master))) o.rdateOnly = true;
    }
  }
  const series: Series[] = master && s && ranges.length
    ? splitRanges({ uid, master, shape: s, overrides, events: ranges, policy: ctx.policy, lookup: ctx.lookup }, outcome)
    : [{ uid, master, shape: master && !master.cancelled ? s : undefined, overrides }];
  for (const one of series) finishSeries(one, ctx, outcome);
  return outcome;
}

function fromEntry(uid: string, key: string | null, winner: Entry, e: Entry, cancelled: boolean): MergedComponent {
  return {
    uid, kind: e.kind, recurKey: key, ...(e.recurrenceId !== undefined ? { recurrenceId: e.recurrenceId } : {}),
    decidedBy: winner, cancelled, text: e.text, tzids: e.tzids,
    ...(e.method !== 'ADD' && e.itip.ridForm ? { ridForm: e.itip.ridForm } : {}),
  };
}

function resolveKey(uid: string, key: string | null, winner: Entry, revs: Entry[], policy: CancelledPolicy, master?: Entry): MergedComponent {
  if (!isCancelled(winner)) return fromEntry(uid, key, winner, winner, false);
  if (policy === 'remove') return fromEntry(uid, key, winner, winner, true);
  const base = winner.method === 'CANCEL' && revs.length ? newest(revs) : winner;
  const m = fromEntry(uid, key, winner, base, true);
  m.comp = cancelledCopy(base, winner, master);
  m.text = undefined;
  return m;
}
