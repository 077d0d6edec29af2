// The real CLI over a generated Maildir where hostile recurrence rules (one that never occurs, twenty
// every second since 2020) sit next to good invitations, with --window: every run finishes, the good
// events come out as without the hostile mail, a stand-up since 2005 stays, the unknowable is reported.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { MaildirStore } from '../helpers/maildir-store.ts';
import { CLIENTS, runClient } from '../helpers/calendar-clients.ts';
import { CLI_BIN } from '../helpers/run-cli.ts';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';

const invite = (subject: string, ...events: string[]) => buildMail({ subject, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', BERLIN, ...events) }] });

const GOOD = [
  invite('Invitation: Kick-off', vevent({ uid: 'kickoff@corp.example', summary: 'Kick-off', start: 'TZID=Europe/Berlin:20260310T100000', end: 'TZID=Europe/Berlin:20260310T110000' })),
  invite('Invitation: Review', vevent({ uid: 'review@corp.example', summary: 'Weekly review', start: 'TZID=Europe/Berlin:20260105T140000', end: 'TZID=Europe/Berlin:20260105T150000', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=20' })),
  // Item 7: a series since 2005; a walk from DTSTART gave up after 5,000 occurrences and dropped it.
  invite('Invitation: Stand-up', vevent({ uid: 'standup@corp.example', summary: 'Daily stand-up', start: 'TZID=Europe/Berlin:20050103T093000', end: 'TZID=Europe/Berlin:20050103T094500', rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR' })),
  invite('Invitation: Offsite', vevent({ uid: 'offsite@corp.example', summary: 'Offsite', start: 'VALUE=DATE:20260601', end: 'VALUE=DATE:20260603' })),
];
// Item 6, as in the issue: the event's DTSTART is before the window, so only its rule could put it inside.
const NEVER = buildMail({
  subject: 'x',
  from: 'm@evil.example',
  calendars: [{ ics: vcal(undefined, vevent({ uid: 'a@evil.example', summary: 'Never', start: '20250101T090000Z', end: '20250101T100000Z', rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' })) }],
});
const SECONDLY = buildMail({
  subject: 'y',
  from: 'm@evil.example',
  calendars: [{ ics: vcal(undefined, ...Array.from({ length: 20 }, (_, i) => vevent({ uid: `s${i}@evil.example`, summary: `Tick ${i}`, start: '20200101T000000Z', end: '20200101T000001Z', rrule: 'FREQ=SECONDLY' }))) }],
});

interface Run { code: number | null; stderr: string; ics: string; report: { warnings: Array<{ folder: string; uid?: number; subject?: string; message: string }> } }

/** One CLI run over a fresh Maildir; killed (code null) if it does not finish: a hang fails the test instead of stalling it. */
async function runOver(mails: Buffer[], window = '2026-01-01..2026-12-31'): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-rrule-'));
  const store = new MaildirStore('maildir++', path.join(dir, 'Maildir'), path.join(dir, 'public'), undefined);
  mails.forEach((m) => store.add('INBOX', m));
  const out = path.join(dir, 'out.ics');
  const report = path.join(dir, 'report.json');
  const args = [CLI_BIN, '--maildir', path.join(dir, 'Maildir'), `--window=${window}`, '-o', out, '--report-json', report];
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' }, timeout: 60_000, killSignal: 'SIGKILL' }, (err, _stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  return { code, stderr, ics: read(out), report: JSON.parse(read(report) || '{"warnings":[]}') };
}

/** Each VEVENT's text by UID (DTSTAMP included: nothing about a good event may change). */
function eventsByUid(ics: string): Map<string, string> {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return new Map(cal.getAllSubcomponents('vevent').map((e) => [String(e.getFirstPropertyValue('uid')), e.toString()]));
}

describe('hostile recurrence rules through the CLI with --window', () => {
  it('a rule that never occurs and rules every second: every run finishes, good events unchanged, the unknowable kept and reported', { timeout: 200_000 }, async () => {
    const good = await runOver(GOOD);
    expect(good.code).toBe(0);
    const before = eventsByUid(good.ics);
    expect([...before.keys()].sort()).toEqual(['kickoff@corp.example', 'offsite@corp.example', 'review@corp.example', 'standup@corp.example']);
    expect(good.report.warnings).toEqual([]);
    const hostile = [GOOD[0], GOOD[1], NEVER, GOOD[2], SECONDLY, GOOD[3]];

    // A window with an end: only the window is searched, so "never in 2026" is a sure answer and the
    // event is left out like any other outside the window. The every-second series occur in it.
    const bounded = await runOver(hostile);
    expect(bounded.code).toBe(0);
    const inWindow = eventsByUid(bounded.ics);
    for (const [uid, text] of before) expect(inWindow.get(uid), uid).toBe(text);
    expect(inWindow.has('a@evil.example')).toBe(false);
    expect([...inWindow.keys()].filter((u) => u.startsWith('s') && u.endsWith('@evil.example'))).toHaveLength(20);
    expect(bounded.report.warnings).toEqual([]);

    // An open end: whether the rule ever occurs after 2026-01-01 cannot be known within the budget,
    // so the event is kept (a filter never loses one to a budget) and reported with folder, message
    // UID, event UID and reason.
    const open = await runOver(hostile, '2026-01-01..');
    expect(open.code).toBe(0);
    const after = eventsByUid(open.ics);
    for (const [uid, text] of before) expect(after.get(uid), uid).toBe(text);
    expect(after.has('a@evil.example')).toBe(true);
    expect(open.report.warnings).toEqual([
      {
        folder: 'INBOX',
        uid: 3,
        subject: 'x',
        message: expect.stringMatching(/^VEVENT a@evil\.example: its occurrences could not all be worked out for the --window filter \(its recurrence rule was given up after (50,000 steps|250 ms) \(it never matches, or repeats too often\)\); kept$/),
      },
    ]);
  });

  // ical.js expands a VTIMEZONE's observance rules from their DTSTART with no bound: a rule that never
  // matches hung the run (utcOffset never returned), one that fires every second or every day fills
  // memory. Such a zone is refused; its TZID falls back to the built-in zone of that name, or is kept.
  it('a VTIMEZONE whose rules never occur or fire too often: the run finishes, the zone is refused with its reason, good events unchanged', { timeout: 300_000 }, async () => {
    const zone = (tzid: string, rrule: string) =>
      `BEGIN:VTIMEZONE\r\nTZID:${tzid}\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:${rrule}\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE`;
    const hostileZone = (n: number, tzid: string, rrule: string) =>
      buildMail({
        subject: `z${n}`,
        from: 'm@evil.example',
        calendars: [{ ics: vcal(undefined, zone(tzid, rrule), vevent({ uid: `z${n}@evil.example`, summary: `Zoned ${n}`, start: `TZID=${tzid}:20260105T100000`, end: `TZID=${tzid}:20260105T110000` })) }],
      });
    const good = await runOver(GOOD, '2026-01-01..2026-12-31');
    const before = eventsByUid(good.ics);
    const hostile = [
      GOOD[0],
      hostileZone(1, 'Evil/Never', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'),
      GOOD[1],
      hostileZone(2, 'Evil/Secondly', 'FREQ=SECONDLY'),
      GOOD[2],
      // A known name, redefined to change daily: the built-in Europe/Berlin stands in for it.
      hostileZone(3, 'Europe/Berlin', 'FREQ=DAILY'),
      hostileZone(4, 'Evil/Weekly', 'FREQ=WEEKLY;BYDAY=MO'),
      GOOD[3],
    ];
    const run = await runOver(hostile, '2026-01-01..2026-12-31');
    expect(run.code, run.stderr).toBe(0);
    const after = eventsByUid(run.ics);
    for (const [uid, text] of before) expect(after.get(uid), uid).toBe(text);
    for (let n = 1; n <= 4; n++) expect(after.has(`z${n}@evil.example`), `z${n}`).toBe(true);
    const skipped = (run.report as unknown as { skipped: Array<{ uid: number; section: string; reason: string }> }).skipped;
    const reasonOf = (tzid: string) => skipped.find((s) => s.reason.startsWith(`VTIMEZONE "${tzid}"`));
    expect(reasonOf('Evil/Never')).toMatchObject({ uid: 2, section: '2', reason: expect.stringMatching(/DAYLIGHT rule "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" (could not be checked within|never occurs)/) });
    expect(reasonOf('Evil/Secondly')).toMatchObject({ uid: 4, reason: expect.stringMatching(/DAYLIGHT rule "FREQ=SECONDLY" (changes the offset more than 4 times a year|could not be checked)/) });
    expect(reasonOf('Europe/Berlin')).toMatchObject({ uid: 6, reason: expect.stringMatching(/DAYLIGHT rule "FREQ=DAILY" /) });
    expect(reasonOf('Evil/Weekly')).toMatchObject({ uid: 7, reason: expect.stringMatching(/changes the offset more than 4 times a year/) });
    // The refused definitions never reach the feed: Berlin is the senders' (or the built-in) one, the
    // unknown names are kept as written and said so.
    const zones = new ICAL.Component(ICAL.parse(run.ics)).getAllSubcomponents('vtimezone');
    expect(zones.map((z) => String(z.getFirstPropertyValue('tzid'))).sort()).toEqual(['Europe/Berlin']);
    expect(run.ics).not.toMatch(/FREQ=(DAILY|SECONDLY|WEEKLY)\r\nEND:DAYLIGHT/);
    expect(run.report.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('TZID "Evil/Never" has no VTIMEZONE'), expect.stringContaining('TZID "Evil/Secondly" has no VTIMEZONE')]),
    );
    // A TZID kept as written has no definition, which khal (alone) warns about; that is the reported
    // outcome for those three names and nothing else may be said.
    const keptAsWritten = /^warning: DT(START|END) localized in invalid or incomprehensible timezone `Evil\/(Never|Secondly|Weekly)`/;
    for (const client of CLIENTS) {
      const outcome = await runClient(client, run.ics);
      const errors = 'absent' in outcome ? [] : outcome.errors;
      expect(errors.filter((e) => !(client === 'khal' && keptAsWritten.test(e))), client).toEqual([]);
    }
  });
});
