// Instances of a series in the series' own terms: the key of any date or date-time value as the
// master's DTSTART would write it, and values written back in the master's zone and value type
// (RFC 5545 §3.8.4.4: RECURRENCE-ID has DTSTART's value type). Pure; reads zones through a lookup.
import ICAL from 'ical.js';
import { formOf } from './itip-facts.ts';
import { keyOfTime, type ZoneLookup } from './revision.ts';

/** How a series writes its instances: the form of its DTSTART, its zone and its time of day. */
export interface Shape {
  form: string;
  tzid?: string;
  /** The zone of a 'Z:' form; undefined when the TZID has no definition (times kept as written). */
  zone?: ICAL.Timezone;
  start: ICAL.Time;
  startKey: string;
}

export function shapeOf(comp: ICAL.Component, lookup: ZoneLookup): Shape | undefined {
  const prop = comp.getFirstProperty('dtstart');
  const form = formOf(prop);
  const start = prop?.getFirstValue();
  if (!prop || !form || !(start instanceof ICAL.Time)) return undefined;
  const tzid = form.startsWith('Z:') ? form.slice(2) : undefined;
  const zone = tzid ? lookup(tzid)?.tz : undefined;
  return { form, ...(tzid ? { tzid } : {}), ...(zone ? { zone } : {}), start, startKey: keyOfTime(start, tzid, lookup) };
}

/** A key as a number that orders instances of one series: seconds (dates and floating times read as UTC). */
export function keyValue(key: string): number {
  const kind = key.slice(0, 2);
  if (kind === 'T:') return Number(key.slice(2));
  const m = kind === 'D:' || kind === 'F:' ? /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?/.exec(key.slice(2)) : null;
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000;
}

function wallTime(seconds: number, isDate: boolean): ICAL.Time {
  const d = new Date(seconds * 1000);
  return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate });
}

/**
 * The key of a value in the series' terms. Same value type as DTSTART: its own key. A date-time
 * for an all-day series: its date as written. A date for a timed series: that day at DTSTART's
 * time of day in DTSTART's zone.
 */
export function keyInShape(value: ICAL.Time, tzid: string | undefined, shape: Shape, lookup: ZoneLookup): string {
  if (shape.form === 'D') return value.isDate ? keyOfTime(value, tzid, lookup) : `D:${value.toICALString().slice(0, 8)}`;
  const floating = !value.isDate && !tzid && value.zone !== ICAL.Timezone.utcTimezone;
  // A floating series: a zoned value by its wall time as written. A zoned series: a floating value in the series' zone.
  if (shape.form === 'F' && !value.isDate) return `F:${value.toICALString().replace(/Z$/, '')}`;
  if (floating && shape.form !== 'F') {
    const { year, month, day, hour, minute, second } = value;
    const t = ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false }, shape.form === 'U' ? ICAL.Timezone.utcTimezone : shape.zone);
    return keyOfTime(t, shape.tzid, lookup);
  }
  if (!value.isDate) return keyOfTime(value, tzid, lookup);
  const { hour, minute, second } = shape.start;
  const t = ICAL.Time.fromData({ year: value.year, month: value.month, day: value.day, hour, minute, second, isDate: false }, shape.form === 'U' ? ICAL.Timezone.utcTimezone : shape.zone);
  return keyOfTime(t, shape.tzid, lookup);
}

/** The key of a property's first value in the series' terms. */
export function propKeyInShape(prop: ICAL.Property, shape: Shape, lookup: ZoneLookup): string | undefined {
  const v = prop.getFirstValue();
  if (!(v instanceof ICAL.Time)) return undefined;
  const tzid = prop.getParameter('tzid');
  return keyInShape(v, typeof tzid === 'string' ? tzid : undefined, shape, lookup);
}

/** The instance a key names, as the series writes it (undefined for keys that name no time). */
export function timeInShape(key: string, shape: Shape): ICAL.Time | undefined {
  const value = keyValue(key);
  if (!Number.isFinite(value)) return undefined;
  if (shape.form === 'D') return wallTime(value, true);
  if (key.startsWith('T:')) {
    const utc = wallTime(value, false);
    utc.zone = ICAL.Timezone.utcTimezone;
    if (shape.form === 'U') return utc;
    // An undefined zone read its times as UTC (see instantOfValue): written back the same way.
    if (shape.zone) return utc.convertToZone(shape.zone);
    return wallTime(value, false);
  }
  // A date or floating key for a timed series: that wall time in the series' zone.
  const t = wallTime(value, false);
  if (key.startsWith('D:')) Object.assign(t, { hour: shape.start.hour, minute: shape.start.minute, second: shape.start.second });
  if (shape.form === 'U') t.zone = ICAL.Timezone.utcTimezone;
  else if (shape.zone) t.zone = shape.zone;
  return t;
}

/** A property naming the instance (RECURRENCE-ID, EXDATE, RDATE) in the series' zone and value type. */
export function instanceProperty(name: string, key: string, shape: Shape): ICAL.Property | undefined {
  const time = timeInShape(key, shape);
  if (!time) return undefined;
  const prop = new ICAL.Property(name);
  prop.setValue(time);
  if (shape.tzid) prop.setParameter('tzid', shape.tzid);
  return prop;
}

/**
 * Writes the instance into the component's `name` property (RECURRENCE-ID, DTSTART) in the
 * series' zone and value type, in place so the line keeps its position; other parameters stay,
 * RANGE goes. Adds the property when there is none. False when the key names no time.
 */
export function setInstance(comp: ICAL.Component, name: string, key: string, shape: Shape): boolean {
  const time = timeInShape(key, shape);
  if (!time) return false;
  const prop = comp.getFirstProperty(name);
  if (!prop) {
    comp.addProperty(instanceProperty(name, key, shape)!);
    return true;
  }
  prop.removeParameter('tzid');
  prop.removeParameter('range');
  prop.setValue(time);
  if (shape.tzid) prop.setParameter('tzid', shape.tzid);
  return true;
}
