// From a part's prepared components to the merge's entries: each component's text and facts as
// prepared, or re-derived where the output renames or redefines one of its zones.
import ICAL from 'ical.js';
import type { CalendarPart, SkippedItem } from '../model.ts';
import type { PreparedComp } from './prepare.ts';
import { componentFacts, referencedTzids, type ComponentFacts } from './component-facts.ts';
import type { Entry } from './merge.ts';
import { componentText, rewriteTzids, type TimezoneCollector } from './timezones.ts';
import { reliefEvery } from '../memory/heap-relief.ts';
import { checkComponentText } from './output-check.ts';
import type { Refused } from './pre-scan.ts';

// Loops over every component (or UID) check the heap this often (see memory/heap-relief.ts).
export const RELIEF_EVERY = 512;

/** Where a part came from, as reports name it. */
export function where(part: Pick<CalendarPart, 'source' | 'section'>) {
  const s = part.source;
  return { folder: s.folder, uid: s.uid, file: s.file, subject: s.subject, section: part.section };
}

/** A component (or zone) that is not taken, as a person reads it: kind, UID, why. */
export function refusalReason(r: Refused): string {
  return `${r.kind.toUpperCase()}${r.uid !== undefined ? ` ${JSON.stringify(r.uid.length > 80 ? `${r.uid.slice(0, 80)}…` : r.uid)}` : ''}: ${r.reason}`;
}

/** What an entry needs of its part: where it came from. */
export type PartRef = Pick<CalendarPart, 'source' | 'section'>;

export const messageOf = (err: unknown) => (err as Error)?.message ?? String(err);

/** The merge entries of a part's components; one that cannot be derived is skipped, not fatal.
 * `release`: the array is the build's own, and each component is dropped from it once used. */
export function deriveEntries(comps: (PreparedComp | undefined)[], map: Map<string, string>, part: PartRef, tz: TimezoneCollector, skipped: SkippedItem[], release: boolean): Entry[] {
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

