// Time-zone resolution: the rule "every TZID used has exactly one VTIMEZONE", checked on the
// instants ical.js computes (tests run with TZ=America/New_York, so a silent fallback would show).
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { TimezoneCollector, componentText, isUsableZone, rewriteTzids, tzidOf, type ZoneRecord } from '../../../electron/core/ical/timezones.ts';
import { semanticSignature } from '../../../electron/core/ical/zone-signature.ts';
import type { CheckedText } from '../../../electron/core/ical/output-check.ts';

const cal = (text: string) => ICAL.Component.fromString(text);
const event = (tzid: string, local: string) => cal(['BEGIN:VEVENT', 'UID:x', `DTSTART;TZID=${tzid.includes(' ') || tzid.includes(',') ? `"${tzid}"` : tzid}:${local}`, 'END:VEVENT'].join('\r\n'));

function addEvent(tz: TimezoneCollector, tzid: string, local: string, vtimezones: ICAL.Component[] = []) {
  const ev = event(tzid, local);
  const records: ZoneRecord[] = vtimezones.map((z) => ({ tzid: tzidOf(z), usable: isUsableZone(z), sig: isUsableZone(z) ? semanticSignature(z) : '', text: componentText(z) as CheckedText }));
  const map = tz.add('test', records, [tzid]);
  rewriteTzids(ev, map);
  return ev;
}

const zonesFor = (tz: TimezoneCollector, used: string[]) => tz.vtimezoneTexts(used).map((t) => ICAL.Component.fromString(t));
const utcOf = (ev: ICAL.Component) => (ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString();

const BERLIN_SENT = cal(['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
  'END:VTIMEZONE'].join('\r\n'));

describe('TimezoneCollector', () => {
  it('writes the sender\'s definition of a zone rather than the library\'s of the same meaning, whichever part came first', () => {
    const texts = [true, false].map((senderFirst) => {
      const tz = new TimezoneCollector();
      if (senderFirst) addEvent(tz, 'Europe/Berlin', '20260302T100000', [BERLIN_SENT]);
      addEvent(tz, 'Europe/Berlin', '20260303T100000');
      if (!senderFirst) addEvent(tz, 'Europe/Berlin', '20260302T100000', [BERLIN_SENT]);
      return tz.vtimezoneTexts(['Europe/Berlin']);
    });
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[0]).toEqual([componentText(BERLIN_SENT)]);
  });

  it('maps Windows names without a definition to IANA and computes the right instant', () => {
    const tz = new TimezoneCollector();
    const ev = addEvent(tz, 'Pacific Standard Time', '20240701T100000');
    tz.registerAll();
    expect(ev.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('America/Los_Angeles');
    expect(utcOf(ev)).toBe('2024-07-01T17:00:00.000Z');
    expect(zonesFor(tz, ['America/Los_Angeles']).map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['America/Los_Angeles']);
    expect(tz.problems).toEqual([]);
  });

  it('supplies IANA zones and vendor-prefixed names (/mozilla.org/…/Europe/Berlin)', () => {
    const tz = new TimezoneCollector();
    const a = addEvent(tz, 'Asia/Tokyo', '20260304T090000');
    const b = addEvent(tz, '/mozilla.org/20070129_1/Europe/Berlin', '20260704T090000');
    tz.registerAll();
    expect(utcOf(a)).toBe('2026-03-04T00:00:00.000Z');
    expect(b.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Berlin');
    expect(utcOf(b)).toBe('2026-07-04T07:00:00.000Z');
  });

  it('keeps a sender definition under its own name, dedupes equal ones, renames a conflicting one', () => {
    const def = (offset: string, extra = '') => cal(['BEGIN:VTIMEZONE', 'TZID:Corp Time', extra, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].filter(Boolean).join('\r\n'));
    const tz = new TimezoneCollector();
    const a = addEvent(tz, 'Corp Time', '20260101T120000', [def('+0300')]);
    const b = addEvent(tz, 'Corp Time', '20260101T120000', [def('+0300', 'LAST-MODIFIED:20250101T000000Z')]);
    const c = addEvent(tz, 'Corp Time', '20260101T120000', [def('-0100')]);
    tz.registerAll();
    expect(a.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Corp Time');
    expect(b.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Corp Time');
    expect(c.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Corp Time (2)');
    expect(utcOf(a)).toBe('2026-01-01T09:00:00.000Z');
    expect(utcOf(c)).toBe('2026-01-01T13:00:00.000Z');
    expect(zonesFor(tz, ['Corp Time', 'Corp Time (2)']).map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Corp Time', 'Corp Time (2)']);
  });

  it('reports an unknown name and an empty definition, naming the TZID and the source', () => {
    const tz = new TimezoneCollector();
    addEvent(tz, 'Nowhere Standard Time', '20260101T120000');
    const empty = cal('BEGIN:VTIMEZONE\r\nTZID:Europe/Vienna\r\nX-INVALID-TIMEZONE:TRUE\r\nEND:VTIMEZONE');
    const v = addEvent(tz, 'Europe/Vienna', '20260701T120000', [empty]);
    tz.registerAll();
    expect(tz.problems.map((p) => p.reason)).toEqual([
      'TZID "Nowhere Standard Time" has no VTIMEZONE and is not a known IANA or Windows zone name; times in it are kept as written',
      'VTIMEZONE "Europe/Vienna" has no usable observances; replaced by the Europe/Vienna definition',
    ]);
    expect(utcOf(v)).toBe('2026-07-01T10:00:00.000Z');
    expect(zonesFor(tz, ['Nowhere Standard Time'])).toEqual([]);
  });
});
