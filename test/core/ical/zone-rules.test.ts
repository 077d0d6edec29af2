// The VTIMEZONE rule check against every zone a real sender or the built-in library writes (none may be
// refused) and against rules ical.js cannot expand safely (each refused with its reason).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { describe, expect, it } from 'vitest';
import { zoneRuleProblem } from '../../../electron/core/ical/zone-rules.ts';

const REAL = path.join(import.meta.dirname, '../../fixtures/real');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Every VTIMEZONE block in a file, as text (mail bodies included: quoted-printable decoded; base64 ones are not found). */
function zoneBlocks(raw: string): string[] {
  const text = /quoted-printable/i.test(raw) ? raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : raw;
  return [...text.replace(/\r?\n[ \t]/g, '').matchAll(/BEGIN:VTIMEZONE\r?\n[\s\S]*?END:VTIMEZONE/g)].map((m) => m[0]);
}

const zone = (daylightRule: string, dtstart = '19700329T020000') =>
  ICAL.Component.fromString(
    `BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:${dtstart}\r\nRRULE:${daylightRule}\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE`,
  );

describe('zoneRuleProblem', () => {
  it('accepts every zone of the built-in library', () => {
    const names = tzlib_get_timezones() as string[];
    expect(names.length).toBeGreaterThan(300);
    const refused = names.filter((n) => {
      const block = tzlib_get_ical_block(n) as string[];
      return zoneRuleProblem(ICAL.Component.fromString(block[0])) !== undefined;
    });
    expect(refused).toEqual([]);
  });

  it('accepts every time zone in the real-world fixtures', () => {
    const blocks = files(REAL).flatMap((f) => zoneBlocks(readFileSync(f, 'latin1')));
    expect(blocks.length).toBeGreaterThan(10);
    const refused = blocks.map((b) => ICAL.Component.fromString(b)).map((c) => [c.getFirstPropertyValue('tzid'), zoneRuleProblem(c)]).filter(([, why]) => why);
    expect(refused).toEqual([]);
  });

  it('accepts Exchange 1601 epochs, rules that end, and counted rules', () => {
    expect(zoneRuleProblem(zone('FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', '16010101T020000'))).toBeUndefined();
    expect(zoneRuleProblem(zone('FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T100000Z'))).toBeUndefined();
    expect(zoneRuleProblem(zone('FREQ=YEARLY;COUNT=1'))).toBeUndefined();
    // April 31st never comes, but ical.js's monthly search gives up by itself.
    expect(zoneRuleProblem(zone('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;BYMONTH=4'))).toBeUndefined();
  });

  it('refuses rules that never occur, each with the observance and the rule named', () => {
    expect(zoneRuleProblem(zone('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'))).toMatch(/^its DAYLIGHT rule "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" (could not be checked within 5,000 steps|never occurs in the 401 years after its DTSTART)/);
    expect(zoneRuleProblem(zone('FREQ=YEARLY;INTERVAL=1000'))).toBe('its DAYLIGHT rule "FREQ=YEARLY;INTERVAL=1000" never occurs in the 401 years after its DTSTART');
    expect(zoneRuleProblem(zone('FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=31'))).toMatch(/^its DAYLIGHT rule "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=31" cannot be expanded \(/);
  });

  it('refuses rules that change the offset more often than any real zone', () => {
    for (const rule of ['FREQ=SECONDLY', 'FREQ=MINUTELY', 'FREQ=HOURLY', 'FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=MONTHLY', 'FREQ=DAILY;INTERVAL=2000000000;BYHOUR=1,2,3']) {
      expect(zoneRuleProblem(zone(rule)), rule).toMatch(/changes the offset more than 4 times a year|could not be checked within/);
    }
  });

  it('returns the same answer from its memo', () => {
    const a = zoneRuleProblem(zone('FREQ=DAILY'));
    expect(zoneRuleProblem(zone('FREQ=DAILY'))).toBe(a);
  });
});
