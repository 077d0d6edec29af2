// Reads the scheduling facts of one component that the iTIP rules need beyond UID and rank: its
// organizer, a RECURRENCE-ID range, how DTSTART and RECURRENCE-ID are written, the instance an ADD adds.
// Never modifies the component; plain strings only, so the facts are stored with the prepared part.
import ICAL from 'ical.js';
import { instanceKeyIn, type ZoneLookup } from './revision.ts';

export interface ItipFacts {
  /** ORGANIZER as a lower-case address without "mailto:". */
  organizer?: string;
  /** The ORGANIZER's SENT-BY parameter, in the same form. */
  sentBy?: string;
  /** RECURRENCE-ID;RANGE=THISANDFUTURE: the revision covers that instance and every later one. */
  range?: true;
  /** How DTSTART is written (see formOf). */
  startForm?: string;
  /** How RECURRENCE-ID is written (see formOf). */
  ridForm?: string;
  /** METHOD:ADD only: the instance key of the DTSTART it adds. */
  addKey?: string;
}

/** "mailto:Alice@Example.com" → "alice@example.com"; '' for an empty value. */
export function addressOf(value: unknown): string {
  return String(value ?? '').trim().replace(/^mailto:/i, '').trim().toLowerCase();
}

/**
 * How a date or date-time property is written: 'D' (a date), 'U' (UTC), 'F' (floating) or
 * 'Z:<tzid>'. Two values of the same form can be compared and rewritten without a zone lookup.
 */
export function formOf(prop: ICAL.Property | null): string | undefined {
  const value = prop?.getFirstValue();
  if (!prop || !(value instanceof ICAL.Time)) return undefined;
  if (value.isDate) return 'D';
  const tzid = prop.getParameter('tzid');
  if (typeof tzid === 'string' && tzid) return `Z:${tzid}`;
  return value.zone === ICAL.Timezone.utcTimezone ? 'U' : 'F';
}

export function itipFacts(comp: ICAL.Component, method: string, zoneOf: ZoneLookup): ItipFacts {
  const facts: ItipFacts = {};
  const org = comp.getFirstProperty('organizer');
  const organizer = org ? addressOf(org.getFirstValue()) : '';
  if (organizer) facts.organizer = organizer;
  const sentBy = org ? addressOf(org.getParameter('sent-by')) : '';
  if (sentBy) facts.sentBy = sentBy;
  const rid = comp.getFirstProperty('recurrence-id');
  if (rid && String(rid.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE') facts.range = true;
  const startForm = formOf(comp.getFirstProperty('dtstart'));
  if (startForm) facts.startForm = startForm;
  const ridForm = formOf(rid);
  if (ridForm) facts.ridForm = ridForm;
  if (method === 'ADD') {
    const key = instanceKeyIn(comp, 'dtstart', zoneOf);
    if (key) facts.addKey = key;
  }
  return facts;
}
