// Every real-world file in test/fixtures/real/ goes through the extract → merge → write path:
// each event comes out with no property lost, or the file's skip is reported with a reason.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/local-sync.ts';
import { fixtureAsMail, realFixtures, REAL_DIR } from '../../helpers/real-fixtures.ts';

/** Files that are malformed beyond repair or hold no calendar component: reported, never a crash or garbage. */
const MALFORMED: Record<string, RegExp> = {
  'collective-icalendar/small_bad_calendar.ics': /component began but did not end/,
  'libical/malloc.ics': /not valid iCalendar/,
  'collective-icalendar/bom_calendar.ics': /contains no components/,
  'ical.js/blank_line_mid.ics': /contains no components/,
};
/**
 * Components the feed refuses (each reported as skipped, the rest of the file taken): values calendar
 * programs cannot read, and VEVENTs without DTSTART, which a published calendar requires (khal and
 * Radicale reject them, and khal then imports nothing at all).
 */
const REFUSED: Record<string, RegExp[]> = {
  'collective-icalendar/issue_1050_multiple_calendars.ics': [/"event1@example\.com": a VEVENT without DTSTART/, /"event2@example\.com": a VEVENT without DTSTART/],
  'collective-icalendar/issue_722_missing_timezones.ics': [/VEVENT "mailbox2ics-\w+": a VEVENT without DTSTART/, /VEVENT "mailbox2ics-\w+": a VEVENT without DTSTART/],
  'collective-icalendar/multiple_timezones.ics': [/RDATE "083000": has VALUE=TIME/, /RDATE "133000Z": has VALUE=TIME/, /RDATE "083000": has VALUE=TIME/],
  'libical/complex-mime.txt': [/DTEND "199706211T173000Z" is not a date-time/, /DTEND "199706211T173000Z" is not a date-time/],
  'libical/incoming.ics': [/DTEND "19970701T10300Z" is not a date-time/],
};
/** Files with lines that are not content lines: the lines are dropped (or mended) with a warning, the rest is taken. */
const LINES_DROPPED: Record<string, RegExp> = {
  'collective-icalendar/issue_104_broken_calendar.ics': /dropped a line that is not a readable iCalendar content line/,
  'collective-icalendar/fuzz_testcase_vtimezone_lone_cr.ics': /removed 7 control characters/,
  'collective-icalendar/broken_ical.ics': /removed empty parameters/,
};
/** Mails whose MIME is broken so that no calendar part can be found: nothing to report per part. */
const NO_CALENDAR = new Set(['libical/complex-mime-error.txt']);

type Key = string;
/** RECURRENCE-ID compared as the instant it names: the merge writes it in the master's zone. */
function keyOf(c: ICAL.Component): Key {
  const rid = c.getFirstProperty('recurrence-id')?.getFirstValue();
  const at = rid instanceof ICAL.Time ? (rid.isDate ? rid.toString() : String(rid.toUnixTime())) : rid?.toString() ?? '';
  return `${c.name}|${c.getFirstPropertyValue('uid') ?? ''}|${at}`;
}

/** Registers a calendar's VTIMEZONEs so that keyOf reads its TZIDs (output names mean what the input's do). */
function registerZones(text: string): void {
  for (const m of text.matchAll(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE/g)) {
    try {
      const tz = new ICAL.Timezone(ICAL.Component.fromString(m[0]));
      ICAL.TimezoneService.register(tz, tz.tzid);
    } catch {
      // An unusable definition: its times are read as written, on both sides.
    }
  }
}

/** Property lines of a component (and its sub-components) in a comparable form. TZIDs may be renamed. */
function propSet(c: ICAL.Component): Set<string> {
  const out = new Set<string>();
  const walk = (comp: ICAL.Component, prefix: string) => {
    for (const p of comp.getAllProperties()) {
      if (p.name === 'recurrence-id') continue;
      const clone = ICAL.Property.fromString(p.toICALString());
      clone.removeParameter('tzid');
      out.add(`${prefix}${clone.toICALString()}`);
    }
    comp.getAllSubcomponents().forEach((s) => walk(s, `${prefix}${s.name}/`));
  };
  walk(c, '');
  return out;
}

function inputComponents(mailText: string): ICAL.Component[] {
  const out: ICAL.Component[] = [];
  for (const m of mailText.matchAll(/BEGIN:VCALENDAR[\s\S]*?END:VCALENDAR/g)) {
    try {
      const cal = new ICAL.Component(ICAL.parse(m[0]) as never);
      const method = String(cal.getFirstPropertyValue('method') ?? 'PUBLISH').toUpperCase();
      if (['REPLY', 'COUNTER', 'REFRESH', 'DECLINECOUNTER', 'CANCEL'].includes(method)) continue;
      out.push(...cal.getAllSubcomponents().filter((s) => ['vevent', 'vtodo', 'vjournal'].includes(s.name) && s.hasProperty('uid')));
    } catch {
      // The tool's own parser decides; this oracle only checks what ical.js can read here.
    }
  }
  return out;
}

describe('real-world fixtures: nothing lost', () => {
  for (const rel of realFixtures().filter((f) => !f.endsWith('README.md'))) {
    it(rel, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'real-'));
      const file = path.join(dir, 'message.eml');
      const mail = fixtureAsMail(rel);
      writeFileSync(file, mail);
      const { ics, report } = await syncFromLocal({ include: new Set(['VEVENT', 'VTODO', 'VJOURNAL']), cancelled: 'keep', maxPartBytes: 10 << 20, emlFiles: [file] });
      // Whatever happened, the output is a valid calendar.
      const out = new ICAL.Component(ICAL.parse(ics) as never);
      expect(out.getFirstPropertyValue('version')).toBe('2.0');
      if (MALFORMED[rel]) {
        expect(report.skipped.length).toBeGreaterThan(0);
        expect(report.skipped[0].reason).toMatch(MALFORMED[rel]);
        expect(report.skipped[0].file).toBe(file);
        return;
      }
      const refused = REFUSED[rel] ?? [];
      expect(report.skipped.map((x) => x.reason)).toHaveLength(refused.length);
      refused.forEach((re, i) => expect(report.skipped[i].reason).toMatch(re));
      if (LINES_DROPPED[rel]) {
        expect(report.folders.flatMap((f) => f.warnings).map((w) => w.message).join('\n')).toMatch(LINES_DROPPED[rel]);
        // The oracle (ical.js on the raw file) cannot read such a line as it was: nothing to compare with.
        return;
      }
      if (NO_CALENDAR.has(rel)) return;
      const refusedUids = new Set(report.skipped.map((x) => /^\w+ "([^"]*)"/.exec(x.reason)?.[1]));
      // Decode the calendar text the way a reader would, to build the oracle from the input.
      const text = /\.ics$/.test(rel) ? readFileSync(path.join(REAL_DIR, rel), 'utf8') : await (async () => {
        const PostalMime = (await import('postal-mime')).default;
        const e = await PostalMime.parse(mail);
        return e.attachments.map((a) => (typeof a.content === 'string' ? a.content : Buffer.from(a.content as ArrayBuffer).toString('utf8'))).join('\n');
      })();
      registerZones(text);
      registerZones(ics);
      const outByKey = new Map<Key, Set<string>>();
      for (const c of out.getAllSubcomponents()) if (c.name !== 'vtimezone') outByKey.set(keyOf(c), propSet(c));
      const revisions = new Map<Key, Set<string>[]>();
      for (const c of inputComponents(text.replace(/^\uFEFF/, ''))) {
        const list = revisions.get(keyOf(c)) ?? [];
        list.push(propSet(c));
        revisions.set(keyOf(c), list);
      }
      for (const [key, revs] of revisions) {
        if (refusedUids.has(key.split('|')[1])) continue;
        const got = outByKey.get(key);
        expect(got, `component ${key} missing from the output`).toBeDefined();
        // The output keeps every property of one of the input revisions (the newest one won).
        // DURATION beside DTEND is dropped on purpose (RFC 5545 allows one; Radicale refuses both).
        const hasEnd = [...got!].some((p) => /^DTEND[;:]/.test(p));
        const lost = revs.map((r) => [...r].filter((p) => !got!.has(p) && !/^STATUS:|^SEQUENCE:/.test(p) && !(hasEnd && /^DURATION:/.test(p))));
        const best = lost.reduce((a, b) => (b.length < a.length ? b : a));
        expect(best, `properties lost from ${key}`).toEqual([]);
      }
    });
  }
});
