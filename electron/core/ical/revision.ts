// Reads the iTIP identity and ordering of one component: RECURRENCE-ID and DTSTAMP as instants, and
// the revision rank (SEQUENCE, DTSTAMP, message date, arrival). Never modifies the component.
// Instants are computed in explicitly given zones, never through ical.js's global zone registry, so
// the same component always yields the same facts.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';

export interface Rank {
  sequence: number;
  /** DTSTAMP as Unix seconds; -Infinity when absent. */
  dtstamp: number;
  /** Message date as Unix ms; -Infinity when unknown. */
  messageDate: number;
  /** Position in the deterministic input order (folder order, UID, section, component). */
  order: number;
}

/** A TZID's definition (undefined: none known, the time is read as written) and its meaning. */
export type ZoneLookup = (tzid: string) => { tz: ICAL.Timezone | undefined; sig: string } | undefined;

/** Positive when a is the newer revision. */
export function compareRank(a: Rank, b: Rank): number {
  return a.sequence - b.sequence || cmp(a.dtstamp, b.dtstamp) || cmp(a.messageDate, b.messageDate) || a.order - b.order;
}

function cmp(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Unix seconds of a DATE-TIME property: UTC as given, a TZID through `zoneOf`, floating as UTC. */
export function instantOf(prop: ICAL.Property, value: ICAL.Time, zoneOf: ZoneLookup): number {
  const tzid = prop.getParameter('tzid');
  return instantOfValue(value, typeof tzid === 'string' ? tzid : undefined, zoneOf);
}

/** Unix seconds of a date-time value: UTC as given, a TZID through `zoneOf`, floating (or an unknown zone) as UTC. */
export function instantOfValue(value: ICAL.Time, tzid: string | undefined, zoneOf: ZoneLookup): number {
  if (value.zone === ICAL.Timezone.utcTimezone) return value.toUnixTime();
  const zone = (tzid ? zoneOf(tzid)?.tz : undefined) ?? ICAL.Timezone.localTimezone;
  const { year, month, day, hour, minute, second } = value;
  return ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false }, zone).toUnixTime();
}

/** RECURRENCE-ID as a comparable key: an instant for date-times, the date for all-day values. */
export function recurrenceKeyIn(comp: ICAL.Component, zoneOf: ZoneLookup): string | null {
  return instanceKeyIn(comp, 'recurrence-id', zoneOf);
}

/** The instance key (see recurrenceKeyIn) of a date or date-time property, e.g. an ADD's DTSTART. */
export function instanceKeyIn(comp: ICAL.Component, name: string, zoneOf: ZoneLookup): string | null {
  const prop = comp.getFirstProperty(name);
  if (!prop) return null;
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) return `X:${String(value)}`;
  const tzid = prop.getParameter('tzid');
  return keyOfTime(value, typeof tzid === 'string' ? tzid : undefined, zoneOf);
}

/** The instance key of one date or date-time value written with the given TZID parameter. */
export function keyOfTime(value: ICAL.Time, tzid: string | undefined, zoneOf: ZoneLookup): string {
  if (value.isDate) return `D:${value.toICALString()}`;
  const floating = !tzid && value.zone !== ICAL.Timezone.utcTimezone;
  if (floating) return `F:${value.toICALString()}`;
  return instantKey(instantOfValue(value, tzid, zoneOf));
}

/** The key of an instant (Unix seconds); padded so that keys sort in time order. */
export function instantKey(seconds: number): string {
  return `T:${String(seconds).padStart(12, '0')}`;
}

/** DTSTAMP as Unix seconds; -Infinity when absent or not a date-time. */
export function stampIn(comp: ICAL.Component, zoneOf: ZoneLookup): number {
  const prop = comp.getFirstProperty('dtstamp');
  const value = prop?.getFirstValue();
  return prop && value instanceof ICAL.Time ? instantOf(prop, value, zoneOf) : -Infinity;
}

/** A stable UID for a component that has none: a hash of its content without DTSTAMP. */
export function derivedUid(comp: ICAL.Component): string {
  const text = comp
    .toString()
    .split(/\r?\n/)
    .filter((l) => !/^DTSTAMP[;:]/i.test(l))
    .join('\n');
  return `mailbox2ics-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}
