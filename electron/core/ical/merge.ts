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

export interface MergeStats {
  eventsOut: number[];
  updatesApplied: number[];
  cancellationsApplied: number[];
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

export function mergeEntries(entries: Entry[], policy: CancelledPolicy, folderCount: number): { components: MergedComponent[]; stats: MergeStats } {
  const stats: MergeStats = {
    eventsOut: new Array(folderCount).fill(0),
    updatesApplied: new Array(folderCount).fill(0),
    cancellationsApplied: new Array(folderCount).fill(0),
  };
  const byUid = new Map<string, Map<string, Entry[]>>();
  for (const e of entries) {
    if (ATTENDEE_METHODS.has(e.method)) continue;
    let keys = byUid.get(e.uid);
    if (!keys) byUid.set(e.uid, (keys = new Map()));
    const k = e.recurKey ?? '';
    const list = keys.get(k);
    if (list) list.push(e);
    else keys.set(k, [e]);
  }

  const kept: MergedComponent[] = [];
  const emit = (m: MergedComponent): void => {
    if (m.cancelled) {
      // A series cancel counts once, not once per occurrence it took along.
      if (m.recurKey === null || m.decidedBy.recurKey !== null) stats.cancellationsApplied[m.decidedBy.folder] += 1;
      if (policy === 'remove') return;
    }
    kept.push(m);
  };
  for (const [uid, keys] of byUid) {
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
        stats.updatesApplied[decided.folder] += versionsCount(revs) - 1;
      }
      const merged = resolveKey(uid, key || null, winner, revs, policy, masterWinner);
      if (key === '') master = merged;
      else overrides.push(merged);
    }
    if (master) emit(master);
    for (const o of overrides) {
      // Removing a cancelled occurrence must also stop the series rule from generating it.
      if (o.cancelled && policy === 'remove' && master && !master.cancelled) addExdate(master, o);
      emit(o);
    }
  }
  for (const m of kept) stats.eventsOut[m.decidedBy.folder] += 1;
  return { components: kept, stats };
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
