// RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4, RFC 5546 §3.2.2, §3.2.5): a CANCEL ends the
// series before that instance; a REQUEST splits it there into a second series (its own UID) that
// carries the change to every later instance. Never touches instances before the range.
import ICAL from 'ical.js';
import type { Entry, GroupOutcome, CancelledPolicy } from './merge.ts';
import type { MergedComponent } from './merged-component.ts';
import { componentOf } from './merged-component.ts';
import { compareRank, keyOfTime, type ZoneLookup } from './revision.ts';
import { instanceProperty, keyInShape, keyValue, setInstance, shapeOf, timeInShape, type Shape } from './instance-forms.ts';
import { addInstance, countBefore, cutSeries, instanceKeys, untilFor } from './series-edit.ts';
import { asOverride } from './method-add.ts';
import type { Series } from './series-finish.ts';

export interface RangeEvent {
  entry: Entry;
  /** The instance the range starts at, in the series' terms. */
  key: string;
  cancel: boolean;
}

interface Segment {
  at: number;
  event: RangeEvent;
}

interface SplitInput {
  uid: string;
  master: MergedComponent;
  shape: Shape;
  overrides: MergedComponent[];
  events: RangeEvent[];
  policy: CancelledPolicy;
  lookup: ZoneLookup;
}

/** A series the instances of a range went to, and where an instance of the original lands in it. */
interface Placed {
  series: Series;
  shift: (key: string) => string;
}

/** Wall-clock seconds of a time (its local fields read as UTC), as ical.js shifts range instances. */
function wall(t: ICAL.Time): number {
  return t.toUnixTime() + t.utcOffset();
}

function keyOfWall(seconds: number, shape: Shape, lookup: ZoneLookup): string {
  const d = new Date(seconds * 1000);
  const zone = shape.form === 'U' ? ICAL.Timezone.utcTimezone : shape.zone;
  const t = ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: shape.form === 'D' }, zone);
  return keyOfTime(t, shape.tzid, lookup);
}

/** The UID of the series split off at an instance: the original UID and the instance, readable and stable. */
export function splitUid(uid: string, key: string): string {
  const at = key.startsWith('T:') ? new Date(keyValue(key) * 1000).toISOString().replace(/[-:]|\.\d+/g, '') : key.slice(2);
  return `${uid}_R${at}`;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** Moves a rule's BY-parts along with its instances; says why when it cannot. */
function shiftRule(rule: ICAL.Recur, delta: number, from: ICAL.Time, to: ICAL.Time): string | undefined {
  const days = Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000);
  const parts = rule.parts as Record<string, Array<string | number> | undefined>;
  if (delta !== days * 86_400 && (parts.BYHOUR || parts.BYMINUTE || parts.BYSECOND)) return 'its rule fixes the hour, so the later instances keep their time';
  if (!days) return undefined;
  const fixed = parts.BYMONTHDAY || parts.BYYEARDAY || parts.BYWEEKNO || parts.BYSETPOS;
  const byday = parts.BYDAY?.map(String);
  if (byday && !fixed && byday.every((d) => WEEKDAYS.includes(d))) {
    parts.BYDAY = byday.map((d) => WEEKDAYS[(((WEEKDAYS.indexOf(d) + days) % 7) + 7) % 7]);
    return undefined;
  }
  if (byday || fixed) return 'its rule fixes the days, so the later instances keep their days';
  return undefined;
}

function buildTail(uid: string, seg: Segment, next: Segment | undefined, original: ICAL.Component, shape: Shape, policy: CancelledPolicy, lookup: ZoneLookup, warn: (m: string) => void): Placed | undefined {
  const t = seg.event.entry;
  const comp = ICAL.Component.fromString(t.text);
  const tailUid = splitUid(uid, seg.event.key);
  comp.updatePropertyWithValue('uid', tailUid);
  comp.removeAllProperties('recurrence-id');
  if (!comp.hasProperty('dtstart')) {
    const start = instanceProperty('dtstart', seg.event.key, shape);
    if (start) comp.addProperty(start);
  }
  const tShape = shapeOf(comp, lookup);
  const orig = timeInShape(seg.event.key, shape);
  if (!tShape || !orig) return undefined;
  const delta = wall(tShape.start) - wall(orig);
  const shift = (key: string): string => {
    const at = timeInShape(key, shape);
    return at ? keyOfWall(wall(at) + delta, tShape, lookup) : key;
  };
  // A range revision that states its own recurrence describes the new series itself; else it inherits the master's.
  if (!comp.hasProperty('rrule') && !comp.hasProperty('rdate')) {
    for (const prop of original.getAllProperties('rrule')) {
      const recur = prop.getFirstValue();
      if (!(recur instanceof ICAL.Recur)) continue;
      const rule = recur.clone();
      if (rule.count) {
        const before = countBefore(recur, shape, seg.at, false);
        const left = rule.count - (before ?? 0);
        if (left <= 0) continue;
        rule.count = left;
      } else if (rule.until) {
        rule.until = untilFor(keyValue(shift(keyInShape(rule.until, undefined, shape, lookup))), true, tShape);
      }
      const why = shiftRule(rule, delta, orig, tShape.start);
      if (why) warn(`the change from ${String(orig)} on was applied, but ${why}`);
      comp.addPropertyWithValue('rrule', rule);
    }
    const inRange = (k: string) => keyValue(k) >= seg.at && (!next || keyValue(k) < next.at);
    for (const name of ['rdate', 'exdate'] as const) {
      for (const k of instanceKeys(original, name, shape, lookup)) if (inRange(k) && k !== seg.event.key) addInstance(comp, name, shift(k), tShape, lookup);
    }
  }
  if (next) cutSeries(comp, tShape, keyValue(shift(next.event.key)), next.event.cancel && policy === 'keep', lookup);
  const master: MergedComponent = { uid: tailUid, kind: t.kind, recurKey: null, decidedBy: t, cancelled: false, comp, tzids: t.tzids };
  return { series: { uid: tailUid, master, shape: tShape, overrides: [] }, shift };
}

/** An override moved into the series its instance went to. */
function rehome(o: MergedComponent, to: Placed): MergedComponent {
  const key = to.shift(o.recurKey!);
  const comp = componentOf(o);
  const shape = to.series.shape!;
  comp.updatePropertyWithValue('uid', to.series.uid);
  if (o.ridForm === undefined) asOverride(comp, key, shape);
  else setInstance(comp, 'recurrence-id', key, shape);
  return { ...o, uid: to.series.uid, recurKey: key, comp, text: undefined, ridForm: shape.form, recurrenceId: String(comp.getFirstPropertyValue('recurrence-id')) };
}

/**
 * The instance a kept range cancellation starts at, as a cancelled occurrence of the series before
 * it. Its times are that series' (the start follows from the RECURRENCE-ID, see series-finish.ts):
 * the series may have moved its instances.
 */
function cancelledInstance(seg: Segment, to: Placed): MergedComponent {
  const e = seg.event.entry;
  const comp = ICAL.Component.fromString(e.text);
  const key = to.shift(seg.event.key);
  const shape = to.series.shape!;
  comp.updatePropertyWithValue('uid', to.series.uid);
  comp.updatePropertyWithValue('status', 'CANCELLED');
  for (const name of ['dtstart', 'dtend', 'duration']) comp.removeAllProperties(name);
  setInstance(comp, 'recurrence-id', key, shape);
  const summary = to.series.master && componentOf(to.series.master).getFirstProperty('summary');
  if (summary && !comp.hasProperty('summary')) comp.addProperty(ICAL.Property.fromString(summary.toICALString()));
  return { uid: to.series.uid, kind: e.kind, recurKey: key, decidedBy: e, cancelled: true, comp, tzids: e.tzids, ridForm: shape.form, recurrenceId: String(comp.getFirstPropertyValue('recurrence-id')) };
}

/**
 * Applies the range revisions, oldest first. The master keeps the instances before the first range.
 * A range CANCEL leaves nothing from its instance on (with --cancelled keep that instance stays, as
 * a cancelled occurrence). A range REQUEST makes the instances from its own up to the next range a
 * series of their own, with its content and the time shift it states; a later range and overrides
 * of single instances stay as they are and move along (RFC 5545 §3.8.4.4: other components "are not
 * impacted"). Overrides older than a CANCEL range, or of the very instance a REQUEST range replaces, go.
 */
export function splitRanges(input: SplitInput, outcome: GroupOutcome): Series[] {
  const { uid, master, shape, policy, lookup } = input;
  const keep = policy === 'keep';
  let segs: Segment[] = [];
  for (const event of [...input.events].sort((a, b) => compareRank(a.entry.rank, b.entry.rank))) {
    const at = keyValue(event.key);
    if (!Number.isFinite(at)) continue;
    const containing = segs.filter((s) => s.at < at).pop();
    // Within a range already cancelled there is nothing left to cancel or to change.
    if (containing?.event.cancel) continue;
    if (event.cancel) segs = segs.filter((s) => s.at < at);
    // A change from an instance on leaves later ranges alone (RFC 5545: other components "are not impacted").
    else segs = segs.filter((s) => s.at !== at);
    segs.push({ at, event });
    segs.sort((a, b) => a.at - b.at);
  }
  const original = ICAL.Component.fromString(componentOf(master).toString());
  const head: Series = { uid, master, shape, overrides: [] };
  const first = segs[0];
  // A range from the first instance on (or earlier) leaves nothing of the series before it.
  if (first && (keyValue(shape.startKey) >= first.at || !cutSeries(componentOf(master), shape, first.at, first.event.cancel && keep, lookup))) {
    if (first.event.cancel) {
      const before = master.decidedBy;
      master.cancelled = true;
      master.decidedBy = first.event.entry;
      if (keep) {
        const comp = componentOf(master);
        comp.updatePropertyWithValue('status', 'CANCELLED');
        if (first.event.entry.rank.sequence > before.rank.sequence) comp.updatePropertyWithValue('sequence', first.event.entry.rank.sequence);
      }
    } else head.master = undefined;
  }
  const out: Series[] = [head];
  let prev: Placed | undefined = head.master && !head.master.cancelled ? { series: head, shift: (k) => k } : undefined;
  const placed: Array<Placed | undefined> = [];
  segs.forEach((seg, i) => {
    const warn = (message: string) => outcome.warnings.push({ entry: seg.event.entry, message: `${seg.event.entry.kind.toUpperCase()} ${uid}: RANGE=THISANDFUTURE: ${message}` });
    if (seg.event.cancel) {
      // A cancel of the whole series is counted once, as the master's.
      if (i > 0 || head.master?.decidedBy !== seg.event.entry) outcome.cancels.push(seg.event.entry.folder);
      if (keep && prev) prev.series.overrides.push(cancelledInstance(seg, prev));
      prev = undefined;
    } else {
      prev = buildTail(uid, seg, segs[i + 1], original, shape, policy, lookup, warn);
      if (prev) out.push(prev.series);
    }
    placed.push(prev);
  });
  for (const o of input.overrides) {
    const at = keyValue(o.recurKey!);
    const i = segs.findLastIndex((s) => s.at <= at);
    if (i < 0 || !Number.isFinite(at)) {
      head.overrides.push(o);
      continue;
    }
    const seg = segs[i];
    const newer = compareRank(o.decidedBy.rank, seg.event.entry.rank) > 0;
    if (seg.event.cancel) {
      // An instance revised after the range was cancelled stays as its own component.
      if (newer) head.overrides.push(o);
      continue;
    }
    if (at === seg.at && !newer) continue;
    const to = placed[i];
    if (to) to.series.overrides.push(rehome(o, to));
  }
  return out;
}
