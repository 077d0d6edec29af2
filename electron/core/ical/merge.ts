// iTIP merge (RFC 5545/5546): keeps the newest revision of every (UID, RECURRENCE-ID), applies
// cancellations, ignores attendee traffic. Never invents data beyond STATUS/EXDATE for cancels.
import ICAL from 'ical.js';
import type { SourceRef } from '../model.ts';
import { compareRank, type Rank } from './revision.ts';

export type CancelledPolicy = 'remove' | 'keep';

export interface Entry {
  /** The component as output text; parsed only when the merge has to change it. */
  text: string;
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
  /** Index of the folder the entry came from, for per-folder statistics. */
  folder: number;
  /** The message it came from (shown in the app's preview). */
  source?: SourceRef;
}

/** What merging one UID's entries gave: its components (cancelled ones included) and its statistics. */
export interface GroupOutcome {
  /** Master first, then overrides in the order their RECURRENCE-IDs first appeared; policy applied. */
  components: MergedComponent[];
  /** [folder index, updates applied] */
  updates: Array<[number, number]>;
  /** Folder index of each cancellation applied. */
  cancels: number[];
}

export interface MergedComponent {
  uid: string;
  kind: string;
  recurKey: string | null;
  recurrenceId?: string;
  /** The entry whose content (or cancellation) decided this component. */
  decidedBy: Entry;
  cancelled: boolean;
  /** The output text, unless the merge built or changed the component (then `comp`). */
  text?: string;
  comp?: ICAL.Component;
  tzids: string[];
}

/** The merged component as an ical.js component (parsed on first use; later changes go to it). */
export function componentOf(m: MergedComponent): ICAL.Component {
  if (!m.comp) {
    m.comp = ICAL.Component.fromString(m.text!);
    m.text = undefined;
  }
  return m.comp;
}

export const ATTENDEE_METHODS = new Set(['REPLY', 'COUNTER', 'REFRESH', 'DECLINECOUNTER']);

function newest(entries: Entry[]): Entry {
  return entries.reduce((a, b) => (compareRank(b.rank, a.rank) > 0 ? b : a));
}

function isCancelled(e: Entry): boolean {
  return e.method === 'CANCEL' || e.status === 'CANCELLED';
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

function addExdate(masterMerged: MergedComponent, overrideMerged: MergedComponent): void {
  const override = overrideMerged.comp ?? ICAL.Component.fromString(overrideMerged.text!);
  const rid = override.getFirstProperty('recurrence-id');
  if (!rid) return;
  const text = rid.toICALString().replace(/^RECURRENCE-ID/i, 'EXDATE').replace(/;RANGE=[^;:]*/i, '');
  const master = componentOf(masterMerged);
  const existing = new Set(master.getAllProperties('exdate').map((p) => p.toICALString()));
  if (!existing.has(text)) master.addProperty(ICAL.Property.fromString(text));
  masterMerged.tzids = [...new Set([...masterMerged.tzids, ...overrideMerged.tzids])].sort();
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

/** Merges one UID's entries: the newest revision per RECURRENCE-ID, cancellations applied. */
export function mergeGroup(uid: string, entries: Entry[], policy: CancelledPolicy): GroupOutcome {
  const keys = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = e.recurKey ?? '';
    const list = keys.get(k);
    if (list) list.push(e);
    else keys.set(k, [e]);
  }
  const outcome: GroupOutcome = { components: [], updates: [], cancels: [] };
  const masterEntries = keys.get('');
  const masterWinner = masterEntries ? newest(masterEntries) : undefined;
  const seriesCancel = masterWinner && masterWinner.method === 'CANCEL' ? masterWinner : undefined;
  let master: MergedComponent | undefined;
  const overrides: MergedComponent[] = [];

  for (const [key, list] of keys) {
    const revs = list.filter((e) => e.method !== 'CANCEL');
    let winner = newest(list);
    // A series CANCEL newer than this occurrence's latest revision cancels the occurrence too.
    if (key && seriesCancel && compareRank(seriesCancel.rank, winner.rank) > 0) winner = seriesCancel;
    if (revs.length > 1) {
      const decided = winner.method === 'CANCEL' ? newest(revs) : winner;
      outcome.updates.push([decided.folder, versionsCount(revs) - 1]);
    }
    const merged = resolveKey(uid, key || null, winner, revs, policy, masterWinner);
    if (key === '') master = merged;
    else overrides.push(merged);
  }
  if (master) emit(outcome, master, policy);
  for (const o of overrides) {
    // Removing a cancelled occurrence must also stop the series rule from generating it.
    if (o.cancelled && policy === 'remove' && master && !master.cancelled) addExdate(master, o);
    emit(outcome, o, policy);
  }
  return outcome;
}

// A plain function, not a closure per UID: thousands of UIDs merge in one build.
function emit(outcome: GroupOutcome, m: MergedComponent, policy: CancelledPolicy): void {
  if (m.cancelled) {
    // A series cancel counts once, not once per occurrence it took along.
    if (m.recurKey === null || m.decidedBy.recurKey !== null) outcome.cancels.push(m.decidedBy.folder);
    if (policy === 'remove') return;
  }
  outcome.components.push(m);
}

function resolveKey(uid: string, key: string | null, winner: Entry, revs: Entry[], policy: CancelledPolicy, master?: Entry): MergedComponent {
  const from = (e: Entry, cancelled: boolean): MergedComponent => ({
    uid, kind: e.kind, recurKey: key, ...(e.recurrenceId !== undefined ? { recurrenceId: e.recurrenceId } : {}),
    decidedBy: winner, cancelled, text: e.text, tzids: e.tzids,
  });
  if (!isCancelled(winner)) return from(winner, false);
  if (policy === 'remove') return from(winner, true);
  const base = winner.method === 'CANCEL' && revs.length ? newest(revs) : winner;
  const m = from(base, true);
  m.comp = cancelledCopy(base, winner, master);
  m.text = undefined;
  return m;
}
