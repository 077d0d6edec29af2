// The facts of one parsed component that the merge reads (UID, RECURRENCE-ID instant, SEQUENCE,
// DTSTAMP, STATUS, the iTIP facts) and the TZIDs it references. Never modifies the component.
import type ICAL from 'ical.js';
import { recurrenceKeyIn, stampIn, type ZoneLookup } from './revision.ts';
import { itipFacts, type ItipFacts } from './itip-facts.ts';
import type { PreparedComp } from './prepare.ts';

/** Every TZID parameter of the component and its sub-components, added to `into`. */
export function referencedTzids(comp: ICAL.Component, into: Set<string>): Set<string> {
  for (const prop of comp.getAllProperties()) {
    const tzid = prop.getParameter('tzid');
    if (typeof tzid === 'string' && tzid) into.add(tzid);
  }
  for (const sub of comp.getAllSubcomponents()) referencedTzids(sub, into);
  return into;
}

function intProp(comp: ICAL.Component, name: string): number | undefined {
  const v = comp.getFirstPropertyValue(name);
  if (v === null || v === undefined) return undefined;
  const n = Number.parseInt(String(v), 10);
  return Number.isFinite(n) ? n : undefined;
}

export type ComponentFacts = Pick<PreparedComp, 'uid' | 'recurKey' | 'recurrenceId' | 'sequence' | 'dtstamp' | 'status' | keyof ItipFacts>;

/** The facts of one component that the merge reads, with TZIDs looked up through `zoneOf`. */
export function componentFacts(comp: ICAL.Component, zoneOf: ZoneLookup, method: string): ComponentFacts {
  const rid = comp.getFirstProperty('recurrence-id');
  const stamp = stampIn(comp, zoneOf);
  return {
    ...itipFacts(comp, method, zoneOf),
    uid: String(comp.getFirstPropertyValue('uid')),
    recurKey: recurrenceKeyIn(comp, zoneOf),
    ...(rid ? { recurrenceId: String(rid.getFirstValue()) } : {}),
    // Outlook sometimes omits SEQUENCE but always sends its CDO counter.
    sequence: intProp(comp, 'sequence') ?? intProp(comp, 'x-microsoft-cdo-appt-sequence') ?? 0,
    dtstamp: Number.isFinite(stamp) ? stamp : null,
    status: String(comp.getFirstPropertyValue('status') ?? '').trim().toUpperCase(),
  };
}
