// Writes the merged feed: VCALENDAR with VERSION, PRODID, CALSCALE and no METHOD (a published feed),
// CRLF line ends, 75-octet folding (ical.js folds without splitting UTF-8), deterministic order.
import ICAL from 'ical.js';

export const PRODID = '-//mailbox2ics//mailbox2ics 0.1//EN';

export function serializeCalendar(vtimezones: ICAL.Component[], components: ICAL.Component[]): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  for (const tz of vtimezones) cal.addSubcomponent(tz);
  for (const c of components) cal.addSubcomponent(c);
  const text = cal.toString();
  // ical.js emits CRLF between lines but none after the last one.
  return text.replace(/\r?\n/g, '\r\n') + '\r\n';
}
