// @vitest-environment jsdom
// Scanning: progress from onScanProgress events (only the running scan's), Cancel → cancelScan and
// the previous preview kept, the subscription dropped on unmount, and the password dialog when the
// keychain cannot supply one.
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { createFakeApi } from './fake-api.ts';
import { addAccount, addProfile, makeEvent, makeResult } from './fixtures.ts';
import { setup } from './render-app.tsx';

afterEach(cleanup);

function fakeWithProfile(keychain?: { available: boolean; reason?: string }) {
  const fake = createFakeApi({ keychain });
  addAccount(fake, 'work', keychain?.available === false ? {} : { password: 'pw' });
  addProfile(fake, 'team');
  fake.state.scanResult = makeResult([makeEvent(1, { summary: 'Old preview event' })]);
  // Tomorrow, so the agenda (upcoming from today) lists it.
  const start = new Date(Date.now() + 86_400_000).toISOString();
  fake.state.occurrences = [{ key: 'ev-1@example.com', start, end: start, allDay: false, summary: 'Old preview event', cancelled: false }];
  return fake;
}

describe('scan progress and cancel', () => {
  it('shows folder, done / total and calendar parts from progress events; Cancel keeps the previous preview', async () => {
    const { user, fake } = setup(<App />, fakeWithProfile());
    await user.click(await screen.findByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    expect(await screen.findByRole('heading', { name: 'Calendar: team' })).toBeTruthy();
    expect(await screen.findByText('Old preview event')).toBeTruthy();
    const firstId = fake.requests('runScan')[0].scanId;
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);

    await user.click(screen.getByRole('button', { name: 'Profiles and folders' }));
    const held = fake.holdScan();
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    const bar = await screen.findByRole('progressbar', { name: 'Sync progress' });
    expect(bar.getAttribute('value')).toBeNull(); // indeterminate until the first event
    expect(screen.getByText(/connecting/)).toBeTruthy();
    const scanId = fake.requests('runScan')[1].scanId;
    expect(scanId).not.toBe(firstId);

    const progress = { scanId, folder: 'Team', folderIndex: 0, folderCount: 2, done: 50, total: 200, calendarParts: 3 };
    act(() => fake.emitProgress(progress));
    expect(bar.getAttribute('value')).toBe('25');
    expect(screen.getByText(/Team \(folder 1 of 2\): 50 \/ 200 messages/)).toBeTruthy();
    expect(screen.getByText('3 calendar parts found')).toBeTruthy();
    // Events of another scan are not this one's progress.
    act(() => fake.emitProgress({ ...progress, scanId: 'someone-else', done: 199 }));
    expect(bar.getAttribute('value')).toBe('25');
    act(() => fake.emitProgress({ ...progress, folder: 'Team/Archive', folderIndex: 1, done: 150, calendarParts: 9 }));
    expect(bar.getAttribute('value')).toBe('75');
    expect(screen.getByText(/Team\/Archive \(folder 2 of 2\): 150 \/ 200 messages/)).toBeTruthy();
    expect(screen.getByText('9 calendar parts found')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.requests('cancelScan')).toEqual([{ scanId }]);
    expect(await screen.findByText(/Sync cancelled; nothing was changed/)).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    void held;

    await user.click(screen.getByRole('button', { name: /^Calendar/ }));
    expect(screen.getByRole('heading', { name: 'Calendar: team' })).toBeTruthy();
    expect(await screen.findByText('Old preview event')).toBeTruthy();
  });

  it('subscribes to progress once and unsubscribes when the window unmounts', async () => {
    const { fake, unmount } = setup(<App />, fakeWithProfile());
    await screen.findByRole('heading', { name: 'Calendar: team' });
    expect(fake.listenerCount).toBe(1);
    unmount();
    expect(fake.listenerCount).toBe(0);
  });

  it('a failed scan shows the error title and message and keeps the previous preview', async () => {
    const fake = fakeWithProfile();
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    await screen.findByRole('heading', { name: 'Calendar: team' });
    await user.click(screen.getByRole('button', { name: 'Profiles and folders' }));
    fake.holdScan().fail({ code: 'LOGIN_REJECTED', message: 'imap.example.com refused the login of me@example.com.' });
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server rejected the login');
    expect(alert.textContent).toContain('refused the login of me@example.com');
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: /^Calendar/ }));
    expect(await screen.findByText('Old preview event')).toBeTruthy();
  });
});

describe('password dialog without a keychain', () => {
  it('asks before scanning, Escape gives up, the typed password is used and then remembered', async () => {
    const { user, fake } = setup(<App />, fakeWithProfile({ available: false, reason: 'no D-Bus' }));
    await user.click(await screen.findByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    const dialog = await screen.findByRole('dialog', { name: 'Password for work' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Password'));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await screen.findByRole('alert')).textContent).toContain('No password available');
    expect(fake.requests('runScan')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Sync now: team' }));
    await user.type(within(await screen.findByRole('dialog')).getByLabelText('Password'), 'typed{Enter}');
    await screen.findByRole('heading', { name: 'Calendar: team' });
    expect(fake.requests('runScan')[0].password).toBe('typed');

    await user.click(screen.getByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Sync now: team' }));
    await waitFor(() => expect(fake.requests('runScan')).toHaveLength(2));
    expect(fake.requests('runScan')[1].password).toBe('typed');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
