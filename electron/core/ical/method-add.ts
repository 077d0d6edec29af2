// METHOD:ADD (RFC 5546 §3.2.4, §4.4.6): each component adds one instance to an existing series "as if
// it were referenced via an RDATE in the main component". Writes the RDATE, and the instance as an
// override only where its own properties differ from the series'. Never invents a series.
import ICAL from 'ical.js';
import { setInstance, type Shape } from './instance-forms.ts';

/** Properties that say when an instance is or identify a revision, not what the instance is. */
const NOT_CONTENT = new Set(['uid', 'dtstamp', 'sequence', 'dtstart', 'dtend', 'duration', 'rrule', 'rdate', 'exdate', 'exrule', 'recurrence-id', 'created', 'last-modified', 'request-status']);
/** Properties an ADD must not carry (its table in §3.2.4 says 0): dropped from the override it becomes. */
const NOT_IN_ADD = ['rrule', 'rdate', 'exdate', 'exrule', 'recurrence-id', 'request-status'];

/** Seconds an instance lasts: DURATION, else DTEND − DTSTART; undefined when neither is given. */
export function durationOf(comp: ICAL.Component): ICAL.Duration | undefined {
  const dur = comp.getFirstPropertyValue('duration');
  if (dur instanceof ICAL.Duration) return dur;
  const start = comp.getFirstPropertyValue('dtstart');
  const end = comp.getFirstPropertyValue('dtend');
  if (start instanceof ICAL.Time && end instanceof ICAL.Time) return end.subtractDateTz(start);
  return undefined;
}

function content(comp: ICAL.Component): string[] {
  const lines = comp.getAllProperties().filter((p) => !NOT_CONTENT.has(p.name)).map((p) => p.toICALString());
  for (const sub of comp.getAllSubcomponents()) lines.push(sub.toString());
  return lines.sort();
}

/** The added instance is not just another instance of the series: its content or its length differ. */
export function addedInstanceDiffers(add: ICAL.Component, master: ICAL.Component): boolean {
  const a = durationOf(add)?.toSeconds();
  const m = durationOf(master)?.toSeconds();
  if (a !== undefined && a !== m) return true;
  const x = content(add);
  const y = content(master);
  return x.length !== y.length || x.some((line, i) => line !== y[i]);
}

/** The ADD's component as the override of the instance it added, named in the series' terms. */
export function asOverride(comp: ICAL.Component, key: string, shape: Shape): ICAL.Component {
  for (const name of NOT_IN_ADD) comp.removeAllProperties(name);
  setInstance(comp, 'recurrence-id', key, shape);
  return comp;
}
