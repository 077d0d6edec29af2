// Finishes one series after the merge decided its components: an override brings back an instance
// the master excluded, a removed occurrence becomes an EXDATE, every RECURRENCE-ID is written in the
// master's zone and value type, a kept cancelled occurrence has a DTSTART. Emits in instance order.
import ICAL from 'ical.js';
import type { GroupOutcome, MergeContext } from './merge.ts';
import type { MergedComponent } from './merged-component.ts';
import { componentOf } from './merged-component.ts';
import { setInstance, type Shape } from './instance-forms.ts';
import { addInstance, removeInstances } from './series-edit.ts';
import { asOverride, durationOf } from './method-add.ts';

export interface Series {
  uid: string;
  /** Absent: overrides whose series is not in the feed. */
  master?: MergedComponent;
  /** The live master's DTSTART shape; absent when there is no live master to write instances for. */
  shape?: Shape;
  overrides: MergedComponent[];
}

/** A component to read (parsing the text does not turn it into a changed component). */
function readOf(m: MergedComponent): ICAL.Component {
  return m.comp ?? ICAL.Component.fromString(m.text!);
}

function hasExdate(m: MergedComponent): boolean {
  return m.comp ? m.comp.hasProperty('exdate') : /\nEXDATE[;:]/i.test(m.text!);
}

/** RECURRENCE-ID rewritten from the instance key in the master's zone and value type. */
export function writeRecurrenceId(o: MergedComponent, shape: Shape): void {
  const comp = componentOf(o);
  if (o.ridForm === undefined) asOverride(comp, o.recurKey!, shape);
  else if (!setInstance(comp, 'recurrence-id', o.recurKey!, shape)) return;
  o.ridForm = shape.form;
  o.recurrenceId = String(comp.getFirstPropertyValue('recurrence-id'));
}

/** RFC 5545 requires DTSTART in a published VEVENT: a cancelled occurrence without one starts at its RECURRENCE-ID. */
function ensureStart(o: MergedComponent, master: MergedComponent | undefined): void {
  const comp = componentOf(o);
  if (comp.hasProperty('dtstart')) return;
  const rid = comp.getFirstProperty('recurrence-id');
  if (!rid) return;
  const start = ICAL.Property.fromString(rid.toICALString().replace(/^RECURRENCE-ID/i, 'DTSTART'));
  start.removeParameter('range');
  comp.addProperty(start);
  if (!master || comp.hasProperty('dtend') || comp.hasProperty('duration')) return;
  const length = durationOf(readOf(master));
  const value = start.getFirstValue();
  if (length && length.toSeconds() > 0 && value instanceof ICAL.Time && !value.isDate) comp.addPropertyWithValue('duration', length);
}

function copyExdate(master: MergedComponent, o: MergedComponent): void {
  const rid = readOf(o).getFirstProperty('recurrence-id');
  if (!rid) return;
  const text = rid.toICALString().replace(/^RECURRENCE-ID/i, 'EXDATE').replace(/;RANGE=[^;:]*/i, '');
  const comp = componentOf(master);
  if (!comp.getAllProperties('exdate').some((p) => p.toICALString() === text)) comp.addProperty(ICAL.Property.fromString(text));
}

// A plain function, not a closure per UID: thousands of UIDs merge in one build.
function emit(outcome: GroupOutcome, m: MergedComponent, ctx: MergeContext): void {
  if (m.cancelled) {
    // A series cancel counts once, not once per occurrence it took along.
    if (m.recurKey === null || m.decidedBy.recurKey !== null) outcome.cancels.push(m.decidedBy.folder);
    if (ctx.policy === 'remove') return;
  }
  outcome.components.push(m);
}

const byKey = (a: MergedComponent, b: MergedComponent) => (a.recurKey! < b.recurKey! ? -1 : a.recurKey! > b.recurKey! ? 1 : 0);

export function finishSeries(s: Series, ctx: MergeContext, outcome: GroupOutcome): void {
  const { master, shape } = s;
  if (!s.overrides.length) {
    if (master) emit(outcome, master, ctx);
    return;
  }
  const keep = ctx.policy === 'keep';
  // Instance order, not arrival order: the output must not depend on how the mails sit in the folder.
  const overrides = [...s.overrides].sort(byKey);
  const written = overrides.filter((o) => !o.rdateOnly && (!o.cancelled || keep));
  if (master && shape && !master.cancelled) {
    // An override for an instance the master excludes brings it back (otherwise RFC 5545 readers hide it).
    const back = new Set(written.map((o) => o.recurKey!));
    if (back.size && hasExdate(master)) removeInstances(componentOf(master), 'exdate', shape, ctx.lookup, (k) => back.has(k));
    // Removing a cancelled occurrence must also stop the series rule from generating it (an added
    // instance that is cancelled simply never got its RDATE).
    for (const o of overrides) if (o.cancelled && !keep && !o.added) addInstance(componentOf(master), 'exdate', o.recurKey!, shape, ctx.lookup);
    for (const o of written) if (o.ridForm !== shape.form) writeRecurrenceId(o, shape);
  } else if (master && !master.cancelled && !keep) {
    // No DTSTART to write instances in the master's terms: the EXDATE repeats the RECURRENCE-ID as sent.
    for (const o of overrides) if (o.cancelled && !o.added) copyExdate(master, o);
  }
  if (keep) for (const o of written) if (o.cancelled) ensureStart(o, master && shape && !master.cancelled ? master : undefined);
  if (master) emit(outcome, master, ctx);
  for (const o of overrides) if (!o.rdateOnly) emit(outcome, o, ctx);
}
