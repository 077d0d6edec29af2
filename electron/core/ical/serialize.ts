// Writes the merged feed: VCALENDAR with VERSION, PRODID, CALSCALE and no METHOD (a published feed),
// CRLF line ends, folding within 75 octets that never splits a UTF-8 character, deterministic order.
// Components arrive as output text (see componentText), so the feed is their concatenation.
import ICAL from 'ical.js';
import { componentText } from './timezones.ts';

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

export function serializeCalendar(vtimezones: string[], components: string[]): string {
  let out = calendarHead();
  for (const t of vtimezones) out += `${t}\r\n`;
  for (const c of components) out += `${c}\r\n`;
  return `${out}END:VCALENDAR\r\n`;
}
