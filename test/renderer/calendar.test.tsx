// @vitest-environment jsdom
// The calendar's own views: agenda grouping (past / today / later, by local day, all-day first),
// recurrence rules in words, alarms in words, the details of a clicked occurrence (its own date,
// attendees and replies, ids kept secondary), the status strip, and the agenda's keyboard.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Occurrence, SyncStatus } from '../../electron/shared/ipc-contract.ts';
import { Agenda } from '../../renderer/src/features/calendar/Agenda.tsx';
import { groupByDay } from '../../renderer/src/features/calendar/agenda.ts';
import { alarmText } from '../../renderer/src/features/calendar/alarm-text.ts';
import { folderColours } from '../../renderer/src/features/calendar/folder-colours.ts';
import { recurrenceText } from '../../renderer/src/features/calendar/recurrence-text.ts';
import { EventDetails, occurrenceOf } from '../../renderer/src/features/preview/EventDetails.tsx';
import { StatusStrip } from '../../renderer/src/features/scan/StatusStrip.tsx';
import { makeEvent } from './fixtures.ts';

afterEach(cleanup);

const occ = (key: string, start: Date | string, over: Partial<Occurrence> = {}): Occurrence => {
  const s = typeof start === 'string' ? start : start.toISOString();
  return { key, start: s, end: s, allDay: false, summary: key, cancelled: false, ...over };
};

describe('agenda grouping', () => {
  const today = new Date(2026, 2, 10, 15, 0); // 10 March 2026, 15:00 local
  it('puts earlier days in the past, today (even its morning) and later days upcoming, in order', () => {
    const { past, upcoming } = groupByDay([
      occ('later', new Date(2026, 2, 12, 9)),
      occ('this-morning', new Date(2026, 2, 10, 8)),
      occ('yesterday', new Date(2026, 2, 9, 23, 30)),
      occ('tonight', new Date(2026, 2, 10, 20)),
      occ('holiday', '2026-03-10T00:00:00.000Z', { allDay: true }),
    ], today);
    expect(past.map((g) => [g.key, g.items.map((o) => o.key)])).toEqual([['2026-3-9', ['yesterday']]]);
    expect(upcoming.map((g) => [g.key, g.items.map((o) => o.key)])).toEqual([
      ['2026-3-10', ['holiday', 'this-morning', 'tonight']], // all-day first, then by time
      ['2026-3-12', ['later']],
    ]);
  });

  it('an all-day event belongs to its calendar date whatever the zone', () => {
    const { upcoming } = groupByDay([occ('day', '2026-03-11T00:00:00.000Z', { allDay: true })], today);
    expect(upcoming[0].key).toBe('2026-3-11');
    expect(upcoming[0].date.getDate()).toBe(11);
  });

  it('renders upcoming days as groups of options, the past collapsed, and moves by keyboard', async () => {
    const onSelect = vi.fn();
    const user = userEvent.setup();
    render(
      <Agenda
        today={today}
        occurrences={[occ('old', new Date(2026, 2, 1, 9)), occ('a', new Date(2026, 2, 10, 16), { summary: '<b>A</b>' }), occ('b', new Date(2026, 2, 11, 9), { summary: 'B' })]}
        colourOf={() => 2}
        changeOf={(k) => (k === 'b' ? 'updated' : 'unchanged')}
        onSelect={onSelect}
      />,
    );
    const list = screen.getByRole('listbox', { name: 'Upcoming events' });
    expect(within(list).getAllByRole('group')).toHaveLength(2);
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([expect.stringContaining('<b>A</b>'), expect.stringContaining('UpdatedB')]);
    expect(document.querySelector('b')).toBeNull();
    expect(options[0].className).toContain('folder-2');
    expect(screen.getByText('Earlier (1 event)').closest('details')!.open).toBe(false);
    // One tab stop; arrows move it; Enter opens that occurrence.
    expect(options.map((o) => o.tabIndex)).toEqual([0, -1]);
    options[0].focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(options[1]);
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledWith('b', new Date(2026, 2, 11, 9).toISOString());
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(options[0]);
  });
});

describe('recurrence in words', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20260302T090000Z', 'Every week on Monday, until 2 Mar 2026'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR', 'Every 2 weeks on Monday, Wednesday and Friday'],
    ['FREQ=DAILY;COUNT=5', 'Every day, 5 times'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'Every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=1MO;COUNT=1', 'Every month on the first Monday, once'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'Every month on day 15'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3', 'Every year on 3 March'],
    ['FREQ=WEEKLY;UNTIL=20260331', 'Every week on Tuesday, until 31 Mar 2026'],
    ['FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR', 'Every month on Monday, Tuesday, Wednesday, Thursday and Friday (and further conditions of a custom rule)'],
    ['FREQ=FORTNIGHTLY', 'Repeats by a custom rule'],
  ])('%s → %s', (rule, words) => {
    // Series start: Tuesday 3 March 2026, 10:00 UTC.
    expect(recurrenceText(rule, '2026-03-03T10:00:00.000Z', false, 'en-GB')).toBe(words);
  });

  it('takes the day and month of a rule without BY parts from the series start', () => {
    expect(recurrenceText('FREQ=MONTHLY', '2026-03-03T10:00:00.000Z', false, 'en-GB')).toBe('Every month on day 3');
    expect(recurrenceText('FREQ=YEARLY', '2026-12-25T00:00:00.000Z', true, 'en-GB')).toBe('Every year on 25 December');
  });
});

describe('small helpers', () => {
  it('puts alarms in words', () => {
    expect(alarmText('duration:-PT15M')).toBe('15 minutes before the start');
    expect(alarmText('duration:-P1DT2H')).toBe('1 day 2 hours before the start');
    expect(alarmText('duration:PT0S')).toBe('At the start');
    expect(alarmText('duration:PT5M')).toBe('5 minutes after the start');
    expect(alarmText('bogus')).toBe('A reminder');
  });

  it('gives each folder a stable colour, by name', () => {
    const c = folderColours(['Team', 'Archive', 'Team', 'Zed']);
    expect([...c]).toEqual([['Archive', 0], ['Team', 1], ['Zed', 2]]);
  });
});

describe('occurrence details', () => {
  const series = makeEvent(1, {
    summary: 'Standup', start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T09:30:00.000Z', recurring: true,
    rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T090000Z', timeZone: 'Europe/Berlin', categories: ['Work'], alarms: ['duration:-PT10M'],
    attendees: [{ name: 'Dana', email: 'dana@corp.example', reply: 'ACCEPTED' }, { name: '', email: 'eve@corp.example', reply: 'DECLINED', role: 'OPT-PARTICIPANT' }, { name: 'Fay', email: 'fay@corp.example', reply: 'NEEDS-ACTION' }],
    description: 'Line one\n<script>x</script>', change: 'updated',
  });

  it('moves the series\' duration to the clicked occurrence', () => {
    expect(occurrenceOf(series, '2026-03-16T09:00:00.000Z')).toMatchObject({ start: '2026-03-16T09:00:00.000Z', end: '2026-03-16T09:30:00.000Z' });
    expect(occurrenceOf(series)).toBe(series);
  });

  it('shows that occurrence\'s date, the rule in words, people and replies; ids only in the technical section', async () => {
    const onClose = vi.fn();
    render(<EventDetails event={series} occurrenceStart="2026-03-16T09:00:00.000Z" onClose={onClose} colour={3} />);
    const d = screen.getByRole('complementary', { name: 'Event details' });
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-03-16T09:00:00.000Z'));
    expect(within(d).getByText('When').nextSibling!.textContent).toContain(when);
    expect(within(d).getByText('Series starts').nextSibling!.textContent).toContain(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date('2026-03-02T09:00:00.000Z')));
    expect(within(d).getByText('Repeats').nextSibling!.textContent).toMatch(/^Every week on Monday, until \S+ Mar 2026$|^Every week on Monday, until Mar \d+, 2026$/);
    expect(within(d).getByText('Attendees (3)')).toBeTruthy();
    expect(d.textContent).toContain('Dana dana@corp.example · accepted');
    expect(d.textContent).toContain('eve@corp.example · declined · optional');
    expect(d.textContent).toContain('Fay fay@corp.example · no reply yet');
    expect(d.textContent).toContain('10 minutes before the start');
    expect(d.textContent).toContain('Work');
    expect(within(d).getByText(/Line one/).textContent).toBe('Line one\n<script>x</script>');
    expect(document.querySelector('aside script')).toBeNull();
    expect(within(d).getByRole('heading', { level: 3 }).textContent).toBe('UpdatedStandup');
    expect(d.className).toContain('folder-3');
    // Technical ids are in a closed section of their own.
    const tech = screen.getByText('Technical details').closest('details')!;
    expect(tech.open).toBe(false);
    expect(tech.textContent).toContain('ev-1@example.com');
    expect(tech.textContent).toContain('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T090000Z');
    const outside = d.textContent!.replace(tech.textContent!, '');
    expect(outside).not.toContain('ev-1@example.com');
    await userEvent.setup().click(within(d).getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('leaves the badge out after a first sync', () => {
    render(<EventDetails event={series} showChange={false} />);
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Standup');
  });
});

describe('status strip', () => {
  const base: SyncStatus = { profile: 'team', running: false, scheduleEnabled: true, intervalMinutes: 10, failures: 0, feedLink: false };
  const now = new Date('2026-03-10T12:00:00.000Z');

  it('shows last sync, events and next run, and no feed button without a feed', () => {
    render(<StatusStrip status={{ ...base, lastSyncAt: '2026-03-10T11:50:00.000Z', nextAt: '2026-03-10T12:00:00.000Z', events: 42 }} now={now} onToggleSchedule={() => {}} onCopyFeedLink={() => {}} />);
    const strip = screen.getByRole('region', { name: 'Sync status of team' });
    const time = (iso: string) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(iso));
    expect(within(strip).getByText('Last sync').nextSibling!.textContent).toBe(time('2026-03-10T11:50:00.000Z'));
    expect(within(strip).getByText('Events').nextSibling!.textContent).toBe('42');
    expect(within(strip).getByText('Next run').nextSibling!.textContent).toBe(time('2026-03-10T12:00:00.000Z'));
    expect(within(strip).queryByRole('button', { name: 'Copy feed link' })).toBeNull();
    expect(within(strip).queryByRole('alert')).toBeNull();
  });

  it('says the schedule is off, shows the last failure with its reason, and copies the feed link', async () => {
    const toggle = vi.fn();
    const copy = vi.fn();
    const user = userEvent.setup();
    render(<StatusStrip status={{ ...base, scheduleEnabled: false, feedLink: true, failures: 3, lastFailure: { at: '2026-03-09T08:00:00.000Z', message: 'Login as "me" was rejected by imap.example.com:993.' } }} now={now} onToggleSchedule={toggle} onCopyFeedLink={copy} />);
    const strip = screen.getByRole('region', { name: 'Sync status of team' });
    expect(within(strip).getByText('Next run').nextSibling!.textContent).toBe('schedule off');
    expect(within(strip).getByText('Last sync').nextSibling!.textContent).toBe('not yet');
    const failure = within(strip).getByRole('alert');
    expect(failure.textContent).toContain('3 times in a row');
    expect(failure.textContent).toContain('Login as "me" was rejected by imap.example.com:993.');
    expect(failure.textContent).toContain('keeps the last good version');
    const box = within(strip).getByLabelText('Sync every 10 minutes') as HTMLInputElement;
    expect(box.checked).toBe(false);
    await user.click(box);
    expect(toggle).toHaveBeenCalledWith(true);
    expect(box.checked).toBe(true); // at once, before main answers
    await user.click(within(strip).getByRole('button', { name: 'Copy feed link' }));
    expect(copy).toHaveBeenCalled();
  });
});
