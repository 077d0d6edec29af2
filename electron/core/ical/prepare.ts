// Turns one calendar part into a plain, JSON-storable record: its components as output-ready text
// with the facts the merge needs (UID, RECURRENCE-ID instant, SEQUENCE, DTSTAMP, STATUS) and its
// VTIMEZONEs with their meaning. Depends on nothing but the part, so the sync cache stores it with
// the message and a re-sync merges thousands of cached parts without parsing any of them again.
import ICAL from 'ical.js';
import type { CalendarPart } from '../model.ts';
import { parsePart } from './parse-part.ts';
import { splitLargeCalendar } from './split-calendar.ts';
import { compactString, sharedList, sharedString } from './compact-string.ts';
import { derivedUid, type ZoneLookup } from './revision.ts';
import type { ItipFacts } from './itip-facts.ts';
import { componentText, resolvedZone, timezoneFor, tzidOf } from './timezones.ts';
import { checkComponentText, type CheckedText } from './output-check.ts';
import { vetComponent } from './vet.ts';
import { componentFacts, referencedTzids } from './component-facts.ts';
import { acceptedZone, rememberZoneBlock, reuseZoneBlock } from './prepared-zones.ts';
import { relieveHeap } from '../memory/heap-relief.ts';
import type { Refused } from './pre-scan.ts';

/** Bump when the record's shape or the way any field is computed changes: older records are re-prepared.
 * 3: components and zones are vetted and checked before they get text (records of 2 were not).
 * 4: zones whose observance rules ical.js cannot expand safely are refused (a record of 3 may hold one). */
export const PREPARED_VERSION = 4;

export type CompKind = 'vevent' | 'vtodo' | 'vjournal';

export interface PreparedZone {
  tzid: string;
  /** Has at least one observance with an offset and a start; unusable ones are replaced when possible. */
  usable: boolean;
  /** What the zone means (see semanticSignature); '' when unusable. */
  sig: string;
  /** The VTIMEZONE as output text. */
  text: CheckedText;
}

export interface PreparedComp extends ItipFacts {
  kind: CompKind;
  /** The iTIP method that applies: the MIME method=, else the calendar's METHOD, else PUBLISH. */
  method: string;
  /** Output text (UID added when the sender left it out). Absent for attendee traffic. */
  text?: CheckedText;
  uid: string;
  /** TZIDs the component references, sorted. */
  tzids: string[];
  /** TZID → signature of the zone recurKey/dtstamp were computed in (null: kept as written). */
  zones: Record<string, string | null>;
  recurKey: string | null;
  /** RECURRENCE-ID as ical.js prints it, for the preview. */
  recurrenceId?: string;
  sequence: number;
  /** DTSTAMP as Unix seconds; null when absent. */
  dtstamp: number | null;
  /** STATUS, upper-cased ('' when absent). */
  status: string;
}

export interface PreparedPart {
  v: number;
  /** Why the part could not be parsed; nothing else is set then. */
  error?: string;
  repairs: string[];
  /** Components and zones not taken, each with its reason (the rest of the part is). */
  refused: Refused[];
  zones: PreparedZone[];
  comps: PreparedComp[];
}

const KIND_NAMES = new Map<string, CompKind>([['vevent', 'vevent'], ['vtodo', 'vtodo'], ['vjournal', 'vjournal']]);
// Shared by every component without TZIDs (most of them): a part of 200,000 events would otherwise
// hold 400,000 empty containers. Frozen, since a record is read by many and changed by none.
const NO_TZIDS = Object.freeze([]) as unknown as string[];
const NO_ZONES = Object.freeze({}) as Record<string, string | null>;
/** Methods whose components never enter the feed (attendee traffic): only counted. */
export const COUNTED_ONLY = new Set(['REPLY', 'COUNTER', 'REFRESH', 'DECLINECOUNTER']);

/**
 * The record with strings of its own. ical.js hands out values and parameters as slices of the text it
 * parsed, so one TZID or organizer kept per component kept that component's whole part alive (2.3 KB
 * per invitation beyond its own text, a third of a 50,000-message scan's memory). What many
 * components repeat (a TZID, an organizer, how a start is written) is shared; the rest is copied.
 */
function ownStrings(c: PreparedComp): PreparedComp {
  c.method = sharedString(c.method);
  c.status = sharedString(c.status);
  if (c.tzids !== NO_TZIDS) c.tzids = sharedList(c.tzids);
  if (c.zones !== NO_ZONES) {
    const zones = Object.entries(c.zones);
    c.zones = zones.length ? Object.fromEntries(zones.map(([k, v]) => [sharedString(k), v === null ? null : sharedString(v)])) : NO_ZONES;
  }
  if (c.recurKey !== null) c.recurKey = compactString(c.recurKey);
  // Only the facts present: an optional fact is absent from the record, never set to undefined.
  if (c.recurrenceId !== undefined) c.recurrenceId = compactString(c.recurrenceId);
  if (c.addKey !== undefined) c.addKey = compactString(c.addKey);
  if (c.organizer !== undefined) c.organizer = sharedString(c.organizer);
  if (c.sentBy !== undefined) c.sentBy = sharedString(c.sentBy);
  if (c.startForm !== undefined) c.startForm = sharedString(c.startForm);
  if (c.ridForm !== undefined) c.ridForm = sharedString(c.ridForm);
  return c;
}

/** Shared by every record without repairs or refusals (nearly all of them). */
const NO_ITEMS = Object.freeze([]) as unknown as never[];
const exact = <T>(list: T[]): T[] => (list.length ? list.slice() : NO_ITEMS);

/**
 * The record as kept: its lists at their exact length (an array pushed to once holds room for 17,
 * which was a sixth of a kept invitation) and empty ones shared, in one shape for every record.
 */
function exactRecord(rec: PreparedPart): PreparedPart {
  return {
    v: rec.v,
    ...(rec.error !== undefined ? { error: rec.error } : {}),
    repairs: exact(rec.repairs), refused: exact(rec.refused), zones: zoneList(rec.zones), comps: exact(rec.comps),
  };
}

/** One frozen list per zone for the parts that carry just that zone (nearly all that carry any): a
 * prepared zone is one object shared by every part with its text, so its list can be too. */
const zoneLists = new WeakMap<PreparedZone, PreparedZone[]>();

function zoneList(zones: PreparedZone[]): PreparedZone[] {
  if (zones.length !== 1) return exact(zones);
  const z = zones[0]!;
  let list = zoneLists.get(z);
  if (!list) zoneLists.set(z, (list = Object.freeze([z]) as PreparedZone[]));
  return list;
}

/** The part's record; never throws (a failure of any step is the part's or the component's reason). */
export function preparePart(part: Pick<CalendarPart, 'text' | 'mimeMethod'>): PreparedPart {
  try {
    // A very large part is read a slice at a time (memory), each slice through the same checks.
    const slices = splitLargeCalendar(part.text);
    if (slices) return exactRecord(prepareSlices(part, slices));
    const rec = prepareUnsafe(part);
    return exactRecord({ ...rec, repairs: bounded(rec.repairs) });
  } catch (err) {
    return { v: PREPARED_VERSION, error: `could not be read: ${(err as Error)?.message ?? String(err)}`, repairs: [], refused: [], zones: [], comps: [] };
  }
}

function uidOf(comp: ICAL.Component): string | undefined {
  try {
    const v = comp.getFirstPropertyValue('uid');
    return v === null || v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** The record, with the part's own repairs apart from its components' (a sliced part lists the part's first). */
function prepareUnsafe(part: Pick<CalendarPart, 'text' | 'mimeMethod'>, reuse = true): PreparedPart & { componentRepairs?: string[] } {
  const parsed = parsePart(part.text, reuse ? reuseZoneBlock : undefined);
  if (!parsed.ok) return { v: PREPARED_VERSION, error: parsed.reason, repairs: [], refused: [], zones: [], comps: [] };
  const zones: PreparedZone[] = [];
  const comps: PreparedComp[] = [];
  const refused: Refused[] = [...parsed.value.refused];
  const repairs = [...parsed.value.repairs];
  const componentRepairs: string[] = [];
  const own = new Map<string, PreparedZone>();
  const pending: Array<{ sub: ICAL.Component; method: string }> = [];
  const take = (z: PreparedZone) => {
    zones.push(z);
    if (z.usable) own.set(z.tzid, z);
  };
  // The pre-scan's zones, one for each VTIMEZONE parsed directly in a calendar, in order.
  const spans = parsed.value.zones;
  let at = 0;
  let misread = false;
  // Blocks to remember, once the zones parsed are known to be the ones the pre-scan counted.
  const learned: Array<[string, PreparedZone]> = [];
  for (const cal of parsed.value.calendars) {
    const calMethod = String(cal.getFirstPropertyValue('method') ?? '').trim().toUpperCase();
    const method = part.mimeMethod ?? (calMethod || 'PUBLISH');
    for (const sub of cal.getAllSubcomponents()) {
      if (sub.name === 'vtimezone') {
        const span = spans ? spans[at++] : undefined;
        if (spans && !span) misread = true;
        // The same lines as a zone accepted before: the same zone (what acceptedZone would give).
        if (span?.reused !== undefined) {
          take(span.reused);
          continue;
        }
        const tzid = tzidOf(sub);
        if (!tzid) continue;
        try {
          const z = acceptedZone(sub, tzid);
          if (typeof z === 'string') {
            refused.push({ kind: 'vtimezone', uid: tzid, reason: z });
            continue;
          }
          take(z);
          if (span?.key !== undefined) learned.push([span.key, z]);
        } catch (err) {
          refused.push({ kind: 'vtimezone', uid: tzid, reason: `could not be read (${(err as Error).message})` });
        }
      } else if (KIND_NAMES.has(sub.name)) pending.push({ sub, method });
    }
  }
  // The zones parsed are not the ones the pre-scan counted (it cannot happen; if it did, a zone
  // could be taken for another): read the part again without reuse.
  if (spans && (misread || at !== spans.length)) return prepareUnsafe(part, false);
  for (const [block, z] of learned) rememberZoneBlock(block, z);
  // A TZID means the part's own usable definition, else the known zone of that name, else nothing
  // (times kept as written). The merge re-derives a component whose TZIDs end up meaning otherwise.
  const zoneOf: ZoneLookup = (tzid) => {
    const z = own.get(tzid);
    if (z) return { tz: timezoneFor(z.sig, z.text), sig: z.sig };
    const r = resolvedZone(tzid);
    return r ? { tz: timezoneFor(r.sig, r.text), sig: r.sig } : undefined;
  };
  for (const { sub, method } of pending) {
    // The constant, not ical.js's lower-cased copy of the name (one string per kept component).
    const kind = KIND_NAMES.get(sub.name)!;
    if (COUNTED_ONLY.has(method)) {
      comps.push({ kind, method, uid: '', tzids: [], zones: {}, recurKey: null, sequence: 0, dtstamp: null, status: '' });
      continue;
    }
    // Each component on its own: one that cannot be read, vetted or written costs only itself.
    try {
      if (!sub.hasProperty('uid')) sub.addPropertyWithValue('uid', derivedUid(sub));
      const vet = vetComponent(sub, zoneOf);
      if (!vet.ok) {
        refused.push({ kind, uid: uidOf(sub), reason: vet.reason });
        continue;
      }
      const checked = checkComponentText(componentText(sub), kind);
      if (!checked.ok) {
        refused.push({ kind, uid: uidOf(sub), reason: checked.reason });
        continue;
      }
      const tzids = [...referencedTzids(sub, new Set())].sort();
      const used: Record<string, string | null> = {};
      const record: ZoneLookup = (tzid) => {
        const z = zoneOf(tzid);
        used[tzid] = z?.sig ?? null;
        return z;
      };
      const facts = componentFacts(sub, record, method);
      const uid = facts.uid;
      componentRepairs.push(...vet.repairs.map((r) => `${kind.toUpperCase()} ${uid}: ${r}`));
      // Compact copies: ical.js hands out strings that keep its whole parse alive (see compact-string.ts).
      comps.push(ownStrings({ kind, method, text: compactString(checked.text) as CheckedText, tzids: tzids.length ? tzids : NO_TZIDS, zones: tzids.length || Object.keys(used).length ? used : NO_ZONES, ...facts, uid: compactString(facts.uid) }));
    } catch (err) {
      refused.push({ kind, uid: uidOf(sub), reason: `could not be read (${(err as Error)?.message ?? String(err)})` });
    }
  }
  return { v: PREPARED_VERSION, repairs: [...repairs, ...componentRepairs], refused, zones, comps, componentRepairs };
}

// Why: a part of 20,000 events that all end as they start would otherwise report 20,000 warnings.
const MAX_REPAIRS_LISTED = 20;

/** The part's repairs, the first few in full and the rest counted. */
function bounded(repairs: string[]): string[] {
  if (repairs.length <= MAX_REPAIRS_LISTED) return repairs;
  return [...repairs.slice(0, MAX_REPAIRS_LISTED), `and ${repairs.length - MAX_REPAIRS_LISTED} more repairs of the same part`];
}

/**
 * A very large part, one slice at a time (see split-calendar.ts): the same record as a whole parse
 * gives, without holding the parse of all its components at once. Every slice carries all VTIMEZONEs.
 */
export function prepareSlices(part: Pick<CalendarPart, 'mimeMethod'>, slices: Iterable<string>): PreparedPart {
  const out: PreparedPart = { v: PREPARED_VERSION, repairs: [], refused: [], zones: [], comps: [] };
  let first = true;
  const componentRepairs: string[] = [];
  for (const text of slices) {
    let p: ReturnType<typeof prepareUnsafe>;
    try {
      p = prepareUnsafe({ text, mimeMethod: part.mimeMethod });
    } catch (err) {
      return { v: PREPARED_VERSION, error: `could not be read: ${(err as Error)?.message ?? String(err)}`, repairs: [], refused: [], zones: [], comps: [] };
    }
    if (p.error !== undefined) return p;
    if (first) out.zones = p.zones;
    first = false;
    const own = p.componentRepairs ?? [];
    for (const r of p.repairs.slice(0, p.repairs.length - own.length)) if (!out.repairs.includes(r)) out.repairs.push(r);
    componentRepairs.push(...own);
    for (const r of p.refused ?? []) out.refused!.push(r);
    for (const c of p.comps) out.comps.push(c);
    // Each slice's parse is garbage now; without this V8 lets a thousand of them pile up before collecting.
    relieveHeap();
  }
  out.repairs = bounded([...out.repairs, ...componentRepairs]);
  return out;
}

/** The part's prepared record: the one stored with it when still current, else computed now. */
export function preparedOf(part: CalendarPart): PreparedPart {
  return part.prepared?.v === PREPARED_VERSION ? part.prepared : preparePart(part);
}
