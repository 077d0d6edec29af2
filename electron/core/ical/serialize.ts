// Writes the merged feed: VCALENDAR with VERSION, PRODID, CALSCALE and no METHOD (a published feed),
// CRLF line ends, folding within 75 octets that never splits a UTF-8 character, deterministic order.
import ICAL from 'ical.js';

export const PRODID = '-//mailbox2ics//mailbox2ics 0.1//EN';

export function serializeCalendar(vtimezones: ICAL.Component[], components: ICAL.Component[]): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  for (const tz of vtimezones) cal.addSubcomponent(tz);
  for (const c of components) cal.addSubcomponent(c);
  // ical.js counts foldLength without the leading space of continuation lines, so 75 would give
  // 76-octet lines; 74 keeps every line within RFC 5545's 75 octets.
  const saved = ICAL.foldLength;
  ICAL.foldLength = 74;
  let text: string;
  try {
    text = cal.toString();
  } finally {
    ICAL.foldLength = saved;
  }
  // ical.js emits CRLF between lines but none after the last one.
  return text.replace(/\r?\n/g, '\r\n') + '\r\n';
}
