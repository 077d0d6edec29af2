// Vets one parsed component before it is written: every value must be readable by ical.js, and an
// end that calendar programs reject (before the start, of another value type, a duration of zero or
// less) is removed so the RFC 5545 default applies. Returns the repairs or why the component is refused.
import ICAL from 'ical.js';
import { MAX_YEAR } from '../limits.ts';
import { instantOf, type ZoneLookup } from './revision.ts';

export type VetOutcome = { ok: true; repairs: string[] } | { ok: false; reason: string };

/** Why a value of the component (or of a sub-component) cannot be read, or undefined. */
function unreadable(comp: ICAL.Component): string | undefined {
  for (const p of comp.getAllProperties()) {
    try {
      for (const v of p.getValues()) String(v);
    } catch (err) {
      return `${p.name.toUpperCase()} cannot be read (${(err as Error).message})`;
    }
  }
  for (const sub of comp.getAllSubcomponents()) {
    const why = unreadable(sub);
    if (why) return why;
  }
  return undefined;
}

function timeOf(comp: ICAL.Component, name: string): { prop: ICAL.Property; value: ICAL.Time } | undefined {
  const prop = comp.getFirstProperty(name);
  const value = prop?.getFirstValue();
  return prop && value instanceof ICAL.Time ? { prop, value } : undefined;
}

/** Seconds from a to b: instants for date-times, days × 86400 for dates. */
function secondsBetween(a: { prop: ICAL.Property; value: ICAL.Time }, b: { prop: ICAL.Property; value: ICAL.Time }, zoneOf: ZoneLookup): number {
  if (a.value.isDate) return (b.value.toUnixTime() - a.value.toUnixTime());
  return instantOf(b.prop, b.value, zoneOf) - instantOf(a.prop, a.value, zoneOf);
}

/** RRULE UNTIL must have DTSTART's value type (RFC 5545 3.3.10): an all-day UNTIL ends that day. */
function fixUntil(comp: ICAL.Component, start: { prop: ICAL.Property; value: ICAL.Time }, zoneOf: ZoneLookup, repairs: string[]): void {
  for (const prop of comp.getAllProperties('rrule')) {
    const recur = prop.getFirstValue();
    if (!(recur instanceof ICAL.Recur) || !recur.until || recur.until.isDate === start.value.isDate) continue;
    const before = recur.until.toICALString();
    if (start.value.isDate) {
      recur.until = ICAL.Time.fromData({ year: recur.until.year, month: recur.until.month, day: recur.until.day, isDate: true });
    } else {
      const tzid = start.prop.getParameter('tzid');
      const zone = typeof tzid === 'string' ? zoneOf(tzid)?.tz : start.value.zone === ICAL.Timezone.utcTimezone ? ICAL.Timezone.utcTimezone : undefined;
      const { year, month, day } = recur.until;
      const end = ICAL.Time.fromData({ year, month, day, hour: 23, minute: 59, second: 59, isDate: false }, zone ?? ICAL.Timezone.utcTimezone);
      recur.until = zone ? end.convertToZone(ICAL.Timezone.utcTimezone) : end;
    }
    prop.setValue(recur);
    repairs.push(`RRULE UNTIL=${before} is not of DTSTART's value type; written as UNTIL=${recur.until.toICALString()}`);
  }
}

/** Checks and repairs the component in place (zones through `zoneOf`, as the merge reads them). */
export function vetComponent(comp: ICAL.Component, zoneOf: ZoneLookup): VetOutcome {
  const why = unreadable(comp);
  if (why) return { ok: false, reason: why };
  const repairs: string[] = [];
  // Thunderbird writes both; RFC 5545 allows one, and Radicale and calcurse refuse such an event.
  const both = comp.getFirstProperty('duration');
  if (both && comp.hasProperty('dtend')) {
    comp.removeProperty(both);
    repairs.push(`both DTEND and DURATION given; DURATION ${String(both.getFirstValue())} removed, DTEND kept`);
  }
  const start = timeOf(comp, 'dtstart');
  if (!start) return { ok: true, repairs };
  for (const name of ['dtend', 'due']) {
    const end = timeOf(comp, name);
    if (!end) continue;
    const upper = name.toUpperCase();
    let problem: string | undefined;
    if (end.value.isDate !== start.value.isDate) problem = `${upper} is a ${end.value.isDate ? 'date' : 'date-time'} but DTSTART a ${start.value.isDate ? 'date' : 'date-time'}`;
    else {
      const s = secondsBetween(start, end, zoneOf);
      // An event must end after it starts (RFC 5545 3.8.2.2); a task may be due when it starts.
      if (s < 0 || (s === 0 && name === 'dtend')) problem = `${upper} ${end.value.toICALString()} is ${s < 0 ? 'before' : 'the same as'} DTSTART ${start.value.toICALString()}`;
    }
    if (problem) {
      comp.removeProperty(end.prop);
      repairs.push(`${problem}; ${upper} removed (${start.value.isDate ? 'it lasts the one day' : 'it takes no time'}, as RFC 5545 defines without an end)`);
    }
  }
  const durProp = comp.getFirstProperty('duration');
  const dur = durProp?.getFirstValue();
  if (durProp && dur instanceof ICAL.Duration) {
    if (dur.toSeconds() <= 0) {
      comp.removeProperty(durProp);
      repairs.push(`DURATION ${dur.toString()} is not positive; removed (${start.value.isDate ? 'it lasts the one day' : 'it takes no time'}, as RFC 5545 defines without an end)`);
    } else {
      const end = start.value.clone();
      end.addDuration(dur);
      if (end.year > MAX_YEAR) return { ok: false, reason: `DTSTART ${start.value.toICALString()} plus DURATION ${dur.toString()} ends after the year ${MAX_YEAR}` };
    }
  }
  fixUntil(comp, start, zoneOf, repairs);
  return { ok: true, repairs };
}
