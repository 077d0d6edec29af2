import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildEventFilter, parseWindow } from '../../../electron/core/filters/event-filter.ts';
import { buildServerFilter } from '../../../electron/core/filters/server-filter.ts';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const ev = (...lines: string[]) => ICAL.Component.fromString(['BEGIN:VEVENT', 'UID:u@example.com', ...lines, 'END:VEVENT'].join('\r\n'));

describe('parseWindow', () => {
  it('relative and absolute bounds, open ends', () => {
    expect(parseWindow('-30d..+1y', NOW)).toEqual({ start: Date.parse('2026-05-02T00:00:00Z'), end: Date.parse('2027-06-01T00:00:00Z') });
    expect(parseWindow('2026-01-01..2026-01-31', NOW)).toEqual({ start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2026-02-01T00:00:00Z') });
    expect(parseWindow('..+2w', NOW).start).toBe(-Infinity);
  });
  it('relative bounds count whole days from today (UTC), so the syncs of one day share one filter and its merged feed', () => {
    const morning = buildEventFilter({ window: '-30d..+1y' }, new Date('2026-06-01T06:10:00Z'));
    const evening = buildEventFilter({ window: '-30d..+1y' }, new Date('2026-06-01T23:59:59Z'));
    expect(evening.signature).toBe(morning.signature);
    expect(morning.window).toEqual(parseWindow('-30d..+1y', NOW));
    expect(buildEventFilter({ window: '-30d..+1y' }, new Date('2026-06-02T00:00:01Z')).signature).not.toBe(morning.signature);
  });
  it.each([
    ['-30d', /must be FROM\.\.TO/],
    ['2026-02-30..2026-03-01', /the start "2026-02-30" is neither a date/],
    ['+1y..-1y', /the start is not before the end/],
    ['yesterday..today', /neither a date \(YYYY-MM-DD\) nor an offset/],
  ])('rejects %s', (spec, msg) => {
    expect(() => parseWindow(spec, NOW)).toThrow(msg);
  });
});

describe('event filter', () => {
  it('keeps a recurring series when any occurrence falls in the window, even if the first does not', () => {
    const f = buildEventFilter({ window: '2026-06-01..2026-06-30' }, NOW);
    const series = ev('DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', 'RRULE:FREQ=MONTHLY;COUNT=12', 'SUMMARY:Monthly');
    expect(f.keep(series, [series])).toBe(true);
    const ended = ev('DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', 'RRULE:FREQ=MONTHLY;COUNT=3', 'SUMMARY:Short');
    expect(f.keep(ended, [ended])).toBe(false);
    const single = ev('DTSTART:20260615T100000Z', 'DTEND:20260615T110000Z');
    expect(f.keep(single, [single])).toBe(true);
  });

  it('an occurrence moved into the window keeps the series', () => {
    const f = buildEventFilter({ window: '2026-03-10..2026-03-11' }, NOW);
    const master = ev('DTSTART:20260301T100000Z', 'DTEND:20260301T110000Z', 'RRULE:FREQ=WEEKLY;COUNT=2');
    const moved = ev('RECURRENCE-ID:20260308T100000Z', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z');
    expect(f.keep(master, [master])).toBe(false);
    expect(f.keep(master, [master, moved])).toBe(true);
  });

  it('reads RDATE;VALUE=PERIOD occurrences by their own start and end (real fixture shape)', () => {
    // As in ical.js's recur_instances.ics: one RDATE a date-time, one a period.
    const series = ev('DTSTART:20231120T090000Z', 'DTEND:20231120T100000Z', 'RRULE:FREQ=DAILY;COUNT=1', 'RDATE:20231123T090000Z', 'RDATE;VALUE=PERIOD:20231125T090000Z/20231125T123000Z', 'SUMMARY:Periods');
    expect(buildEventFilter({ window: '2023-11-25..2023-11-25' }, NOW).keep(series, [series])).toBe(true);
    expect(buildEventFilter({ window: '2023-11-26..2023-12-31' }, NOW).keep(series, [series])).toBe(false);
  });

  it.each([['EXDATE:garbage'], ['RRULE:FREQ=DAILY;UNTIL=garbage'], ['RDATE;VALUE=PERIOD:20260105T100000Z/garbage'], ['DURATION:garbage']])(
    'keeps a series whose dates ical.js cannot expand (%s) instead of losing it or failing the merge',
    (line) => {
      const odd = ICAL.Component.fromString(['BEGIN:VEVENT', 'UID:odd@example.com', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=2', line, 'SUMMARY:Odd', 'END:VEVENT'].join('\r\n'));
      expect(buildEventFilter({ window: '2030-01-01..2030-12-31' }, NOW).keep(odd, [odd])).toBe(true);
    },
  );

  it('in a merge, such a series never reaches the filter: it is refused with its folder, message UID and event UID', () => {
    // Issue 12 item 4: a component whose EXDATE is not a date is not written at all (calendar programs
    // reject it), so it is reported as skipped before any filter sees it.
    const text = vcal('REQUEST', vevent({ uid: 'odd-series@example.com', summary: 'Odd series', start: '20260105T100000Z', end: '20260105T110000Z', rrule: 'FREQ=DAILY;COUNT=2', extra: ['EXDATE:garbage'] }));
    const part = { source: { folder: 'Events', uid: 42, subject: 'Invitation: Odd series' }, section: '2', text };
    const built = buildCalendar([part], ['Events'], { include: new Set(['VEVENT'] as const), cancelled: 'remove', eventFilter: buildEventFilter({ window: '2030-01-01..2030-12-31' }, NOW) });
    expect(built.ics).not.toContain('odd-series@example.com');
    expect(built.skipped).toEqual([
      expect.objectContaining({ folder: 'Events', uid: 42, subject: 'Invitation: Odd series', section: '2', reason: expect.stringMatching(/^VEVENT "odd-series@example\.com": EXDATE "garbage" is not a date-time/) }),
    ]);
  });

  it('a daily stand-up since 2005 is kept by a 2026 window; one that ended in 2020 is not', () => {
    const f = buildEventFilter({ window: '2026-03-01..2026-03-31' }, NOW);
    const daily = ev('DTSTART:20050103T083000Z', 'DTEND:20050103T084500Z', 'RRULE:FREQ=DAILY', 'SUMMARY:Stand-up');
    const weekdays = ev('DTSTART:20050103T083000Z', 'DTEND:20050103T084500Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'SUMMARY:Stand-up');
    const ended = ev('DTSTART:20050103T083000Z', 'DTEND:20050103T084500Z', 'RRULE:FREQ=DAILY;UNTIL=20200101T000000Z', 'SUMMARY:Old stand-up');
    const problems: string[] = [];
    // A small budget proves the walk starts near the window: from 2005 it would take 7,700 steps.
    const small = buildEventFilter({ window: '2026-03-01..2026-03-31' }, NOW, { expansionBudget: { maxSteps: 300, maxMs: Infinity, clock: () => 0 } });
    for (const e of [daily, weekdays]) {
      expect(f.keep(e, [e])).toBe(true);
      expect(small.keep(e, [e], (r) => problems.push(r))).toBe(true);
    }
    expect(small.keep(ended, [ended], (r) => problems.push(r))).toBe(false);
    expect(problems).toEqual([]);
  });

  it('an occurrence moved from long before the window into it keeps the series', () => {
    const f = buildEventFilter({ window: '2026-03-01..2026-03-31' }, NOW, { expansionBudget: { maxSteps: 300, maxMs: Infinity, clock: () => 0 } });
    const master = ev('DTSTART:20100104T100000Z', 'DTEND:20100104T110000Z', 'RRULE:FREQ=WEEKLY;UNTIL=20200101T000000Z');
    const moved = ev('RECURRENCE-ID:20100111T100000Z', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z');
    const notAnOccurrence = ev('RECURRENCE-ID:20100112T100000Z', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z');
    expect(f.keep(master, [master])).toBe(false);
    expect(f.keep(master, [master, moved])).toBe(true);
    expect(f.keep(master, [master, notAnOccurrence])).toBe(false);
  });

  it('a series whose occurrences cannot be worked out within the budget is kept and its reason given', () => {
    // COUNT with a BY part must be counted from DTSTART: 3 million minutes to 2026, far over this budget.
    const slow = ev('DTSTART:20200106T000000Z', 'RRULE:FREQ=MINUTELY;BYDAY=MO;COUNT=10000000', 'SUMMARY:Every minute on Mondays');
    const f = buildEventFilter({ window: '2026-03-01..2026-03-31' }, NOW, { expansionBudget: { maxSteps: 2_000, maxMs: Infinity, clock: () => 0 } });
    const problems: string[] = [];
    expect(f.keep(slow, [slow], (r) => problems.push(r))).toBe(true);
    expect(problems).toEqual(['its occurrences could not all be worked out for the --window filter (its recurrence rule was given up after 2,000 steps (it never matches, or repeats too often)); kept']);
  });

  it('--match (regex, glob) and --exclude on text fields, case-insensitive, CN included', () => {
    const e = ev('DTSTART:20260615T100000Z', 'SUMMARY:Weekly Stand-up', 'LOCATION:Room 4', 'ORGANIZER;CN=Katrin Vogel:mailto:katrin@example.com', 'CATEGORIES:TEAM,INTERNAL');
    expect(buildEventFilter({ match: ['summary=stand-?up'] }).keep(e, [e])).toBe(true);
    expect(buildEventFilter({ match: ['summary=glob:weekly*'] }).keep(e, [e])).toBe(true);
    expect(buildEventFilter({ match: ['summary=glob:stand*'] }).keep(e, [e])).toBe(false);
    expect(buildEventFilter({ match: ['organizer=vogel'] }).keep(e, [e])).toBe(true);
    expect(buildEventFilter({ match: ['categories=^internal$'] }).keep(e, [e])).toBe(true);
    expect(buildEventFilter({ exclude: ['location=glob:room ?'] }).keep(e, [e])).toBe(false);
    expect(buildEventFilter({ match: ['summary=stand', 'location=lobby'] }).keep(e, [e])).toBe(false);
  });

  it.each([
    [{ match: ['title=x'] }, /unknown field "title"/],
    [{ match: ['summary=('] }, /invalid regular expression/],
    [{ exclude: ['summary='] }, /the pattern after "=" is empty/],
  ])('rejects bad specs clearly: %j', (spec, msg) => {
    expect(() => buildEventFilter(spec)).toThrow(msg);
  });
});

describe('server filter', () => {
  it('turns options into one SEARCH and validates dates and senders', () => {
    const f = buildServerFilter({ subject: 'Invitation', since: '2026-01-01', before: '2026-07-01', headers: [{ name: 'X-Mailer', value: 'Exchange' }], allowSenders: ['example.com', 'bob@example.org'] });
    expect(f.search).toEqual({ subject: 'Invitation', since: new Date('2026-01-01T00:00:00Z'), before: new Date('2026-07-01T00:00:00Z'), header: { 'X-Mailer': 'Exchange' }, or: [{ from: 'example.com' }, { from: 'bob@example.org' }] });
    expect(f.senderAllowed('alice@example.com')).toBe(true);
    expect(f.senderAllowed('alice@mail.example.com')).toBe(true);
    expect(f.senderAllowed('mallory@evil-example.com')).toBe(false);
    expect(f.senderAllowed('bob@example.org')).toBe(true);
    expect(f.senderAllowed('eve@example.org')).toBe(false);
    expect(buildServerFilter({}).isEmpty).toBe(true);
  });
  it.each([
    [{ since: '2026-13-01' }, /--since "2026-13-01" is not a valid date/],
    [{ since: '2026-05-01', before: '2026-04-01' }, /is not before --before/],
    [{ allowSenders: ['not an address'] }, /neither an address/],
  ])('rejects %j', (spec, msg) => {
    expect(() => buildServerFilter(spec)).toThrow(msg);
  });
});
