// @vitest-environment jsdom
// The preview: search and sort, rows selected by click and keyboard with full details, change
// badges, times in the user's zone (all-day as a date), hostile text kept as text, 20,000 events
// rendered as a window of rows, month view from previewOccurrences, skipped items, and export.
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '../../electron/shared/ipc-contract.ts';
import { PreviewView, type ViewMode } from '../../renderer/src/features/preview/PreviewView.tsx';
import type { Session } from '../../renderer/src/session.ts';
import { createFakeApi, ok } from './fake-api.ts';
import { makeEvent, makeResult } from './fixtures.ts';
import { setup } from './render-app.tsx';

afterEach(cleanup);

const XSS = '<img src=x onerror=alert(1)>';

function show(result: ScanResult, fake = createFakeApi(), mode: ViewMode = 'list') {
  const session: Session = { keychainAvailable: true, passwordFor: async () => undefined, remember: () => {}, report: vi.fn() };
  return { session, ...setup(<PreviewView session={session} result={result} initialMode={mode} />, fake) };
}
const rowGroup = () => screen.getByRole('rowgroup');
const summaries = () => (screen.queryByRole('rowgroup') ? within(rowGroup()).queryAllByRole('row') : []).map((r) => within(r).getAllByRole('gridcell')[1].textContent);

const sample = () =>
  makeResult([
    makeEvent(3, { summary: 'Quarterly review', location: 'Board room', change: 'new' }),
    makeEvent(1, { summary: 'Standup', location: 'Room 4', recurring: true, change: 'updated' }),
    makeEvent(2, { summary: 'Offsite', organizer: 'Dana <dana@corp.example>', description: 'Bring hiking boots', change: 'cancelled', cancelled: true }),
    makeEvent(0, { summary: 'Holiday', allDay: true, start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' }),
  ]);

describe('event list', () => {
  it('sorts by start, toggled by the Time header from mouse or keyboard', async () => {
    const { user } = show(sample());
    expect(summaries()).toEqual(['Holiday', 'Standup', 'Offsite', 'Quarterly review'].map((s, i) => (i === 0 ? s : expect.stringContaining(s))));
    const header = screen.getByRole('columnheader', { name: /Time/ });
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(summaries()[0]).toContain('Quarterly review');
    within(header).getByRole('button').focus();
    await user.keyboard('{Enter}');
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(summaries()[0]).toBe('Holiday');
  });

  it('searches summary, location, organizer and description', async () => {
    const { user } = show(sample());
    const search = screen.getByLabelText('Search');
    const expectHits = async (q: string, hits: string[]) => {
      await user.clear(search);
      if (q) await user.type(search, q);
      await waitFor(() => expect(summaries().map((s) => s!.replace(/^(New|Updated|Cancelled)?(↻ )?/, ''))).toEqual(hits));
      expect(screen.getByText(`${hits.length} shown`)).toBeTruthy();
    };
    await expectHits('room 4', ['Standup']);
    await expectHits('BOARD', ['Quarterly review']);
    await expectHits('dana@', ['Offsite']);
    await expectHits('hiking', ['Offsite']);
    await expectHits('nothing like this', []);
    expect(screen.getByText('No events match.')).toBeTruthy();
    await expectHits('', ['Holiday', 'Standup', 'Offsite', 'Quarterly review']);
  });

  it('shows change badges and times in the user zone, all-day as a date only', () => {
    show(sample());
    const rows = within(rowGroup()).getAllByRole('row');
    const cell = (r: number, c: number) => within(rows[r]).getAllByRole('gridcell')[c];
    expect(within(cell(1, 1)).getByText('Updated')).toBeTruthy();
    expect(within(cell(2, 1)).getByText('Cancelled')).toBeTruthy();
    expect(within(cell(3, 1)).getByText('New')).toBeTruthy();
    expect(cell(0, 1).querySelector('.badge')).toBeNull(); // unchanged: no badge
    expect(cell(0, 0).textContent).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date('2026-11-02T00:00:00Z')));
    const standup = makeEvent(1);
    // Start and end: "2 Nov 2026, 05:00 – 05:30".
    expect(cell(1, 0).textContent).toBe(`${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(standup.start!))} – ${new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(standup.end!))}`);
    expect(cell(1, 0).textContent).toMatch(/5:00|05:00/); // 10:00 UTC is 05:00 in New York (the tests' TZ)
  });

  it('selects a row by click or arrow keys and shows every field and the source message', async () => {
    const { user } = show(sample());
    await user.click(screen.getByText('Offsite'));
    const details = screen.getByRole('complementary', { name: 'Event details' });
    for (const text of ['Offsite', 'Dana <dana@corp.example>', 'Bring hiking boots', 'Cancelled', 'ev-2@example.com', 'Team', 'Invitation: Event 2', 'Carol Chief <carol@example.com>'])
      expect(details.textContent).toContain(text);
    expect(within(details).getByRole('heading', { level: 3 }).textContent).toBe('CancelledOffsite'); // the change badge, then the title
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('complementary', { name: 'Event details' }).textContent).toContain('Quarterly review');
    expect(within(rowGroup()).getAllByRole('row').find((r) => r.getAttribute('aria-selected') === 'true')!.textContent).toContain('Quarterly review');
    await user.keyboard('{Home}');
    expect(screen.getByRole('complementary', { name: 'Event details' }).textContent).toContain('Holiday');
  });

  it('renders hostile event text literally, never as markup', async () => {
    const { user } = show(makeResult([makeEvent(0, { summary: XSS, location: '<script>alert(2)</script>', description: '<b onmouseover=alert(3)>x</b>' })]));
    expect(within(rowGroup()).getByText(XSS)).toBeTruthy();
    await user.click(within(rowGroup()).getByText(XSS));
    expect(within(screen.getByRole('complementary', { name: 'Event details' })).getByText(XSS)).toBeTruthy();
    expect(screen.getByText('<b onmouseover=alert(3)>x</b>')).toBeTruthy();
    expect(document.querySelector('img, script, b')).toBeNull();
  });

  it('keeps 20,000 events smooth: only a window of rows is in the DOM, and End reaches the last', async () => {
    const events = Array.from({ length: 20_000 }, (_, i) => makeEvent(i));
    const { user } = show(makeResult(events));
    expect(screen.getByText('20000 shown')).toBeTruthy();
    expect(screen.getByRole('grid', { name: 'Events' }).getAttribute('aria-rowcount')).toBe('20001');
    const rendered = within(rowGroup()).getAllByRole('row');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(200);
    expect(document.querySelectorAll('[role="row"]').length).toBeLessThan(200);
    screen.getByRole('grid', { name: 'Events' }).focus();
    await user.keyboard('{End}');
    await waitFor(() => expect(within(rowGroup()).getByText('Event 19999')).toBeTruthy());
    expect(within(rowGroup()).getAllByRole('row').length).toBeLessThan(200);
    expect(screen.getByRole('complementary', { name: 'Event details' }).textContent).toContain('Event 19999');
  });
});

describe('list semantics with virtualization', () => {
  it('points aria-activedescendant only at a row that exists', async () => {
    const events = Array.from({ length: 2_000 }, (_, i) => makeEvent(i));
    const { user } = show(makeResult(events));
    const grid = screen.getByRole('grid', { name: 'Events' });
    await user.click(within(rowGroup()).getByText('Event 00000'));
    expect(document.getElementById(grid.getAttribute('aria-activedescendant')!)).toBeTruthy();
    // Scrolled far away by the wheel: the selected row is gone from the DOM, and so is the pointer to it.
    act(() => {
      grid.scrollTop = 34 * 1_500;
      grid.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() => expect(within(rowGroup()).queryByText('Event 00000')).toBeNull());
    expect(grid.getAttribute('aria-activedescendant')).toBeNull();
    // The empty list has no row group at all (an empty one is invalid).
    await user.type(screen.getByLabelText('Search'), 'no such event');
    await waitFor(() => expect(screen.queryByRole('rowgroup')).toBeNull());
  });
});

describe('month and week view', () => {
  it('asks previewOccurrences for the visible range and places occurrences on their days', async () => {
    const fake = createFakeApi();
    const now = new Date();
    const at = new Date(now.getFullYear(), now.getMonth(), 15, 14, 30);
    fake.state.occurrences = [
      { key: 'ev-1@example.com', start: at.toISOString(), end: new Date(at.getTime() + 3_600_000).toISOString(), allDay: false, summary: XSS, cancelled: false },
      { key: 'ev-2@example.com', start: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-20T00:00:00.000Z`, end: '', allDay: true, summary: 'Holiday', cancelled: false },
    ].map((o) => ({ ...o, end: o.end || o.start }));
    const { user } = show(makeResult([makeEvent(1), makeEvent(2)]), fake);
    await user.click(screen.getByRole('radio', { name: 'Month' }));
    await screen.findByText(XSS);
    // The month opens on the nearest period with events: this month here.
    const before = fake.requests('previewOccurrences').length;
    const req = fake.requests('previewOccurrences')[before - 1];
    expect(new Date(req.from).getTime()).toBeLessThanOrEqual(new Date(now.getFullYear(), now.getMonth(), 1).getTime());
    expect(new Date(req.to).getTime()).toBeGreaterThan(new Date(now.getFullYear(), now.getMonth() + 1, 0).getTime());
    const cellOf = (text: string) => screen.getByText(text, { exact: false }).closest('[role="gridcell"]')!;
    expect(cellOf(XSS).textContent).toContain(at.toLocaleDateString(undefined, { dateStyle: 'full' }));
    expect(cellOf('Holiday').textContent).toContain(new Date(now.getFullYear(), now.getMonth(), 20).toLocaleDateString(undefined, { dateStyle: 'full' }));
    expect(document.querySelector('img')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Next month' }));
    await waitFor(() => expect(fake.requests('previewOccurrences')).toHaveLength(before + 1));
    expect(new Date(fake.requests('previewOccurrences')[before].from).getTime()).toBeGreaterThan(new Date(req.from).getTime());
    await user.click(screen.getByRole('radio', { name: 'Week' }));
    await waitFor(() => expect(fake.requests('previewOccurrences')).toHaveLength(before + 2));
    const week = fake.requests('previewOccurrences')[before + 1];
    expect(new Date(week.to).getTime() - new Date(week.from).getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    expect(screen.getAllByRole('gridcell')).toHaveLength(7);
  });
});

describe('month view: occurrences left out', () => {
  it('names the series main left out, with the reason, and shows the rest', async () => {
    const fake = createFakeApi();
    const now = new Date();
    const at = new Date(now.getFullYear(), now.getMonth(), 10, 9, 0);
    fake.state.occurrences = [{ key: 'ev-1@example.com', start: at.toISOString(), end: at.toISOString(), allDay: false, summary: 'Planning', cancelled: false }];
    fake.state.incomplete = [{ key: 'tick@evil.example', summary: XSS, reason: 'more than 1,000 occurrences in this range; the first 1,000 are shown' }];
    const { user } = show(makeResult([makeEvent(1)]), fake);
    await user.click(screen.getByRole('radio', { name: 'Month' }));
    await screen.findByText('Planning', { exact: false });
    const note = screen.getByRole('note');
    expect(note.textContent).toBe(`Some occurrences are left out: “${XSS}”: more than 1,000 occurrences in this range; the first 1,000 are shown.`);
    expect(document.querySelector('img')).toBeNull();

    fake.state.incomplete = ['A', 'B', 'C', 'D', 'E'].map((s) => ({ key: `${s}@x`, summary: s, reason: 'its recurrence rule was given up after 50,000 steps (it never matches, or repeats too often)' }));
    await user.click(screen.getByRole('button', { name: 'Next month' }));
    await waitFor(() => expect(screen.getByRole('note').textContent).toBe('Some occurrences are left out for 5 events: “A”, “B”, “C” and 2 more (they repeat too often in this range, or their rules could not be worked out).'));
    fake.state.incomplete = [];
    await user.click(screen.getByRole('button', { name: 'Next month' }));
    await waitFor(() => expect(screen.queryByRole('note')).toBeNull());
  });
});

describe('skipped items and export', () => {
  it('lists skipped items and warnings with folder, UID, subject and reason', async () => {
    const result = makeResult([makeEvent(1)], {
      skipped: [{ folder: 'Team', uid: 4, subject: 'Broken invitation', reason: 'not valid iCalendar' }, { folder: 'Other', reason: 'folder vanished' }],
      warnings: [{ folder: 'Team', uid: 9, message: 'unknown time zone "Mars/Olympus"; used UTC' }],
    });
    const { user } = show(result);
    await user.click(screen.getByText(/Skipped \(2\)/));
    expect(within(screen.getByRole('list', { name: 'Skipped items' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Team UID 4 "Broken invitation": not valid iCalendar', 'Other: folder vanished']);
    expect(screen.getByRole('list', { name: 'Warnings' }).textContent).toContain('Team UID 9: unknown time zone "Mars/Olympus"; used UTC');
  });

  it('exports, shows the saved path with Open folder; a cancelled dialog shows nothing alarming', async () => {
    const fake = createFakeApi();
    fake.script('exportCalendar', ok({ saved: false as const }));
    const { user, session } = show(makeResult([makeEvent(1)]), fake);
    await user.click(screen.getByRole('button', { name: 'Save a copy…' }));
    await waitFor(() => expect(fake.requests('exportCalendar')).toEqual([{ scanId: 'scan-1' }]));
    expect(screen.queryByText(/saved to/)).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(session.report).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Save a copy…' }));
    const saved = await screen.findByText(/Copy saved to/);
    expect(saved.textContent).toContain('/home/me/calendars/team.ics');
    await user.click(screen.getByRole('button', { name: 'Open folder' }));
    expect(fake.requests('showInFolder')).toEqual([{ path: '/home/me/calendars/team.ics' }]);
    await act(async () => {});
  });
});
