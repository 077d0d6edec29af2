// Reads the iTIP identity and ordering of one component: UID, RECURRENCE-ID as an instant, and the
// revision rank (SEQUENCE, DTSTAMP, message date, arrival). Never modifies the component.
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

/** Positive when a is the newer revision. */
export function compareRank(a: Rank, b: Rank): number {
  return a.sequence - b.sequence || cmp(a.dtstamp, b.dtstamp) || cmp(a.messageDate, b.messageDate) || a.order - b.order;
}

function cmp(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function intProp(comp: ICAL.Component, name: string): number | undefined {
  const v = comp.getFirstPropertyValue(name);
  if (v === null || v === undefined) return undefined;
  const n = Number.parseInt(String(v), 10);
  return Number.isFinite(n) ? n : undefined;
}

export function rankOf(comp: ICAL.Component, messageDate: number, order: number): Rank {
  // Outlook sometimes omits SEQUENCE but always sends its CDO counter.
  const sequence = intProp(comp, 'sequence') ?? intProp(comp, 'x-microsoft-cdo-appt-sequence') ?? 0;
  const stamp = comp.getFirstPropertyValue('dtstamp');
  let dtstamp = -Infinity;
  if (stamp instanceof ICAL.Time) dtstamp = stamp.toUnixTime();
  return { sequence, dtstamp, messageDate, order };
}

/** RECURRENCE-ID as a comparable key: an instant for date-times, the date for all-day values. */
export function recurrenceKey(comp: ICAL.Component): string | null {
  const prop = comp.getFirstProperty('recurrence-id');
  if (!prop) return null;
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) return `X:${String(value)}`;
  if (value.isDate) return `D:${value.toICALString()}`;
  const tzid = prop.getParameter('tzid');
  const floating = !tzid && value.zone !== ICAL.Timezone.utcTimezone;
  if (floating) return `F:${value.toICALString()}`;
  return `T:${String(value.toUnixTime()).padStart(12, '0')}`;
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
