// The extra fields of one preview row the window's details show: recurrence rule, attendees with
// their replies, alarms, categories and the start's time zone. Reads one component; never changes it.
import ICAL from 'ical.js';
import type { PreviewEvent } from '../../shared/ipc-contract.ts';

type Details = Pick<PreviewEvent, 'rrule' | 'attendees' | 'alarms' | 'categories' | 'timeZone'>;

/** Why: a hostile invitation may list thousands of attendees; the window shows a readable few. */
export const MAX_PREVIEW_ATTENDEES = 200;
/** Why: same for alarms and categories; a real event has a handful. */
export const MAX_PREVIEW_LIST = 20;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function previewDetails(comp: ICAL.Component): Details {
  const rule = comp.getFirstPropertyValue('rrule');
  const attendees = comp.getAllProperties('attendee').slice(0, MAX_PREVIEW_ATTENDEES).map((p) => {
    const email = String(p.getFirstValue() ?? '').replace(/^mailto:/i, '');
    const a: NonNullable<PreviewEvent['attendees']>[number] = { name: str(p.getParameter('cn')), email, reply: str(p.getParameter('partstat')).toUpperCase() || 'NEEDS-ACTION' };
    const role = str(p.getParameter('role')).toUpperCase();
    if (role) a.role = role;
    return a;
  });
  const alarms = comp.getAllSubcomponents('valarm').slice(0, MAX_PREVIEW_LIST).map((a) => {
    const t = a.getFirstPropertyValue('trigger');
    return t instanceof ICAL.Duration ? `duration:${t.toString()}` : t instanceof ICAL.Time ? `at:${t.toJSDate().toISOString()}` : 'unknown';
  });
  const categories = comp.getAllProperties('categories').flatMap((p) => p.getValues().map(String)).filter(Boolean).slice(0, MAX_PREVIEW_LIST);
  const start = comp.getFirstProperty('dtstart');
  const tzid = str(start?.getParameter('tzid'));
  const value = start?.getFirstValue();
  const timeZone = tzid || (value instanceof ICAL.Time && !value.isDate && value.zone === ICAL.Timezone.utcTimezone ? 'UTC' : '');
  return {
    ...(rule instanceof ICAL.Recur ? { rrule: rule.toString() } : {}),
    attendees,
    alarms,
    categories,
    ...(timeZone ? { timeZone } : {}),
  };
}
