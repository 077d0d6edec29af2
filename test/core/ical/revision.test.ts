import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { componentFacts } from '../../../electron/core/ical/component-facts.ts';
import { compareRank, derivedUid, recurrenceKeyIn, type Rank, type ZoneLookup } from '../../../electron/core/ical/revision.ts';

const ev = (...lines: string[]) => ICAL.Component.fromString(['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n'));
const noZones: ZoneLookup = () => undefined;
/** The rank the merge builds from a component's facts. */
function rankOf(comp: ICAL.Component, messageDate: number, order: number): Rank {
  const f = componentFacts(comp, noZones, 'REQUEST');
  return { sequence: f.sequence, dtstamp: f.dtstamp ?? -Infinity, messageDate, order };
}

describe('revision ranking', () => {
  it('SEQUENCE first, then DTSTAMP, then message date, then arrival order', () => {
    const a = rankOf(ev('SEQUENCE:1', 'DTSTAMP:20260101T000000Z'), 0, 0);
    const b = rankOf(ev('SEQUENCE:0', 'DTSTAMP:20270101T000000Z'), 0, 1);
    expect(compareRank(a, b)).toBeGreaterThan(0);
    const c = rankOf(ev('SEQUENCE:1', 'DTSTAMP:20260102T000000Z'), 0, 2);
    expect(compareRank(c, a)).toBeGreaterThan(0);
    const d = rankOf(ev('SEQUENCE:1', 'DTSTAMP:20260102T000000Z'), Date.parse('2026-01-03'), 3);
    expect(compareRank(d, c)).toBeGreaterThan(0);
  });

  it('falls back to X-MICROSOFT-CDO-APPT-SEQUENCE when SEQUENCE is missing', () => {
    expect(rankOf(ev('X-MICROSOFT-CDO-APPT-SEQUENCE:4'), 0, 0).sequence).toBe(4);
    expect(rankOf(ev('SEQUENCE:2', 'X-MICROSOFT-CDO-APPT-SEQUENCE:4'), 0, 0).sequence).toBe(2);
    expect(rankOf(ev('SUMMARY:x'), 0, 0).sequence).toBe(0);
  });
});

describe('recurrenceKey', () => {
  it('compares RECURRENCE-ID as an instant across UTC and a given zone, never through the global registry', () => {
    const tz = new ICAL.Timezone(ICAL.Component.fromString(['BEGIN:VTIMEZONE', 'TZID:Test/Plus2', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0200', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n')));
    const lookup: ZoneLookup = (tzid) => (tzid === 'Test/Plus2' ? { tz, sig: 'plus2' } : undefined);
    const recurrenceKey = (comp: ICAL.Component) => recurrenceKeyIn(comp, lookup);
    const local = recurrenceKey(ev('RECURRENCE-ID;TZID=Test/Plus2:20260105T120000'));
    const utc = recurrenceKey(ev('RECURRENCE-ID:20260105T100000Z'));
    expect(local).toBe(utc);
    expect(recurrenceKey(ev('RECURRENCE-ID:20260105T110000Z'))).not.toBe(utc);
    expect(recurrenceKey(ev('RECURRENCE-ID;VALUE=DATE:20260105'))).toBe('D:20260105');
    expect(recurrenceKey(ev('SUMMARY:no rid'))).toBeNull();
    // Unknown zone: the time is read as written (as UTC), whatever ical.js has registered globally.
    ICAL.TimezoneService.register(tz, 'Test/Plus2');
    try {
      expect(recurrenceKeyIn(ev('RECURRENCE-ID;TZID=Test/Plus2:20260105T100000'), noZones)).toBe(utc);
    } finally {
      ICAL.TimezoneService.remove('Test/Plus2');
    }
  });
});

describe('derivedUid', () => {
  it('is stable for the same content and ignores DTSTAMP', () => {
    const a = derivedUid(ev('DTSTAMP:20260101T000000Z', 'SUMMARY:Same', 'DTSTART:20260101T100000Z'));
    const b = derivedUid(ev('DTSTAMP:20990101T000000Z', 'SUMMARY:Same', 'DTSTART:20260101T100000Z'));
    const c = derivedUid(ev('DTSTAMP:20260101T000000Z', 'SUMMARY:Other', 'DTSTART:20260101T100000Z'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^mailbox2ics-[0-9a-f]{32}$/);
  });
});
