// One UID merged and its result finished: the event filter applied to each series as a whole, and
// every component the output takes checked and keyed for its place in the feed.
import ICAL from 'ical.js';
import type { SkippedItem, Warning } from '../model.ts';
import { referencedTzids } from './component-facts.ts';
import { mergeGroup, type Entry, type GroupOutcome, type MergeContext, type MergedComponent } from './merge.ts';
import { componentText } from './timezones.ts';
import { checkComponentText, publishProblem, type CheckedText } from './output-check.ts';
import { messageOf, refusalReason } from './merge-entries.ts';
import type { BuildOptions, ComponentType, MergedItem } from './build-calendar.ts';

const KINDS = ['vevent', 'vtodo', 'vjournal'];

/** What a component of the output needs once its UID is merged: its sort key, text and zones, and how
 * the result names it. Nothing that reaches back to the merge entries, so a one-shot build frees each
 * UID's entries as soon as that UID is merged. */
export interface Finished {
  item: MergedItem;
  /** Index of the folder whose revision decided it. */
  folder: number;
  /** Kind, then UID, then RECURRENCE-ID (the master first), as one key: NUL sorts below any character. */
  key: string;
  text: CheckedText;
  tzids: Iterable<string>;
}

/** One UID merged, event filter applied: what the output and the statistics take from it. */
export interface GroupResult {
  entries: Entry[];
  outcome: GroupOutcome;
  kept: Finished[];
  dropped: MergedComponent[];
  /** Revisions the merge did not apply (organizer binding, ADD without a series), and components that could not be merged or written. */
  skipped: SkippedItem[];
  /** Applied with a caveat, or what the event filter could not evaluate (the events are kept). */
  warnings: Warning[];
}

/** finishGroup, with a failure of the merge costing only this UID (each of its entries reported). */
export function safeFinishGroup(uid: string, entries: Entry[], opts: BuildOptions, ctx: MergeContext, folderNames: readonly string[]): GroupResult {
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

/** A merged component to read (the filter never changes it, so its text stays the output). */
function parsed(m: MergedComponent): ICAL.Component {
  return m.comp ?? ICAL.Component.fromString(m.text!);
}
