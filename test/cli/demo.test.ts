// `npm run demo` on the sample mailbox in resources/: what resources/README.md promises comes out.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run demo (sample mailbox)', () => {
  it('writes demo.ics as resources/README.md describes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'demo-'));
    const out = path.join(dir, 'demo.ics');
    const report = path.join(dir, 'report.json');
    const { stderr } = await promisify(execFile)(process.execPath, ['electron/cli/bin.mjs', '--maildir', 'resources/sample-mailbox', '-o', out, '--report-json', report], { cwd: ROOT, env: { PATH: process.env.PATH, TZ: 'UTC' } });
    const cal = new ICAL.Component(ICAL.parse(readFileSync(out, 'utf8')) as never);
    const events = cal.getAllSubcomponents('vevent');
    const bySummary = new Map(events.map((e) => [String(e.getFirstPropertyValue('summary')), e]));
    expect([...bySummary.keys()].sort()).toEqual([
      'Partner workshop', 'Quartalsbesprechung – Übersicht', 'Räumung Büro 2.14 (ganztägig)', 'Team stand-up', 'Team stand-up (moved)', '„Kaffee & Kuchen“ – Budget 50 €',
    ]);
    const q = bySummary.get('Quartalsbesprechung – Übersicht')!;
    expect(q.getFirstPropertyValue('location')).toBe('Raum Havel (EG)');
    expect(q.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART;TZID=W. Europe Standard Time:20260313T140000');
    expect(q.getAllSubcomponents('valarm')).toHaveLength(1);
    expect(bySummary.get('„Kaffee & Kuchen“ – Budget 50 €')!.getFirstPropertyValue('location')).toBe('Café Zürich, Küche');
    expect(bySummary.get('Team stand-up (moved)')!.getFirstProperty('recurrence-id')!.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20260126T093000');
    expect((bySummary.get('Team stand-up')!.getFirstPropertyValue('rrule') as ICAL.Recur).toJSON()).toMatchObject({ freq: 'WEEKLY', count: 10, byday: 'MO' });
    expect(events.some((e) => String(e.getFirstPropertyValue('summary')).includes('Design review'))).toBe(false);
    expect(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Europe/Berlin', 'Europe/London', 'W. Europe Standard Time']);
    const r = JSON.parse(readFileSync(report, 'utf8'));
    expect(r).toMatchObject({ eventsOut: 6, updatesApplied: 1, cancellationsApplied: 1 });
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].subject).toBe('Invitation (sent from a flaky phone)');
    expect(stderr).toMatch(/skipped .*1768035600\.M9P1.* "Invitation \(sent from a flaky phone\)": not valid iCalendar/);
  });
});
