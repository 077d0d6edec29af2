// Writes the merged feed: VCALENDAR with VERSION, PRODID, CALSCALE and no METHOD (a published feed),
// CRLF line ends, folding within 75 octets that never splits a UTF-8 character, deterministic order.
// Components arrive as checked output text (see output-check.ts), so the feed is their concatenation:
// it never takes a text that did not pass the check, so no byte of mail becomes structure here.
import ICAL from 'ical.js';
import { componentText } from './timezones.ts';
import type { CheckedText } from './output-check.ts';

export const PRODID = '-//mailbox2ics//mailbox2ics 0.1//EN';

let head: string | undefined;

/** "BEGIN:VCALENDAR … CALSCALE:GREGORIAN\r\n", as ical.js writes it. */
function calendarHead(): string {
  if (head === undefined) {
    const cal = new ICAL.Component('vcalendar');
    cal.addPropertyWithValue('version', '2.0');
    cal.addPropertyWithValue('prodid', PRODID);
    cal.addPropertyWithValue('calscale', 'GREGORIAN');
    head = componentText(cal).replace(/END:VCALENDAR$/, '');
  }
  return head;
}

export function serializeCalendar(vtimezones: CheckedText[], components: CheckedText[]): string {
  // One join, not += per component: concatenation builds a tree of 400,000 pieces for 200,000 events
  // (13 MB) that is copied flat again when the feed is written.
  const pieces: string[] = [calendarHead()];
  for (const t of vtimezones) pieces.push(t, '\r\n');
  for (const c of components) pieces.push(c, '\r\n');
  pieces.push('END:VCALENDAR\r\n');
  return pieces.join('');
}
