// The tray menu model with electron mocked away: items, status lines, actions, notifications.
import { describe, expect, it, vi } from 'vitest';
import { notificationFor, statusLine, tooltip, trayMenuTemplate, type TrayActions } from '../../electron/main/tray-menu.ts';
import type { ProfileStatus } from '../../electron/core/schedule/scheduler.ts';

const at = (h: number, m: number) => new Date(2026, 10, 22, h, m).getTime();
const ok: ProfileStatus = { name: 'team', state: 'idle', failures: 0, lastOk: { at: at(10, 42), summary: '153 events (2 new, 1 updated, 0 cancelled, 0 removed), 0 skipped' } };
const failing: ProfileStatus = { name: 'board', state: 'idle', failures: 2, lastOk: { at: at(9, 0), summary: '5 events' }, lastError: { at: at(10, 42), message: 'Login as "alice" was rejected by imap.example.com:993' } };

function actions(): TrayActions & Record<string, ReturnType<typeof vi.fn>> {
  return { syncNow: vi.fn(), open: vi.fn(), setPaused: vi.fn(), setOpenAtLogin: vi.fn(), copy: vi.fn(), regenerateFeedLink: vi.fn(), quit: vi.fn() } as never;
}

describe('tray menu', () => {
  it('status lines say what happened and when', () => {
    expect(statusLine(ok)).toBe('Synced 10:42 · 153 events');
    expect(statusLine(failing)).toBe('Failed 10:42: Login as "alice" was rejected by imap.example.com:993');
    expect(statusLine({ name: 'x', state: 'running', failures: 0 })).toBe('Syncing…');
    expect(statusLine({ name: 'x', state: 'idle', failures: 0 })).toBe('Not synced yet');
  });

  it('has Sync now, a status line per profile, Open, Pause/Resume, Start at login and Quit, each wired', () => {
    const a = actions();
    const t = trayMenuTemplate({ statuses: [ok, failing], paused: false, openAtLogin: true, feedLinks: { team: 'webcal://127.0.0.1:8642/tok/team.ics' } }, a);
    const labels = t.map((i) => i.label ?? `-${i.type}-`);
    expect(labels).toEqual(['Sync now', '-separator-', 'team: Synced 10:42 · 153 events', 'team feed', 'board: Failed 10:42: Login as "alice" was rejected by imap.example.com:993', '-separator-', 'Open mailbox2ics', 'Pause schedule', 'Start at login', '-separator-', 'Quit']);
    const click = (label: string) => (t.find((i) => i.label === label)!.click as () => void)();
    click('Sync now');
    click('Open mailbox2ics');
    click('Pause schedule');
    click('Start at login');
    click('Quit');
    expect(a.syncNow).toHaveBeenCalledOnce();
    expect(a.open).toHaveBeenCalledOnce();
    expect(a.setPaused).toHaveBeenCalledWith(true);
    expect(a.setOpenAtLogin).toHaveBeenCalledWith(false);
    expect(a.quit).toHaveBeenCalledOnce();
    expect(t.find((i) => i.label === 'Start at login')).toMatchObject({ type: 'checkbox', checked: true });
    expect(t.find((i) => i.label?.startsWith('team:'))!.enabled).toBe(false);
    const feed = t.find((i) => i.label === 'team feed')!.submenu as Array<{ label: string; click: () => void }>;
    feed[0].click();
    feed[1].click();
    expect(a.copy).toHaveBeenCalledWith('webcal://127.0.0.1:8642/tok/team.ics');
    expect(a.regenerateFeedLink).toHaveBeenCalledWith('team');
    const paused = trayMenuTemplate({ statuses: [], paused: true, openAtLogin: false, feedLinks: {} }, a);
    expect(paused.map((i) => i.label)).toContain('Resume schedule');
    expect(paused.find((i) => i.label === 'Sync now')!.enabled).toBe(false);
    expect(tooltip({ statuses: [ok, failing], paused: false, openAtLogin: false, feedLinks: {} })).toBe('mailbox2ics: 1 profile failing');
  });

  it('notifies when a profile starts failing and when it recovers; changes only when asked', () => {
    expect(notificationFor({ kind: 'failing', profile: 'team', error: 'login rejected' }, false)?.title).toBe('mailbox2ics: team is failing');
    expect(notificationFor({ kind: 'recovered', profile: 'team', summary: '153 events' }, false)?.title).toBe('mailbox2ics: team works again');
    const synced = { kind: 'synced' as const, profile: 'team', summary: 's', changes: { added: 2, updated: 1, cancelled: 1, removed: 0 } };
    expect(notificationFor(synced, false)).toBeUndefined();
    expect(notificationFor(synced, true)).toEqual({ title: 'mailbox2ics: team', body: '2 new, 1 updated, 1 cancelled' });
    expect(notificationFor({ ...synced, changes: { added: 0, updated: 0, cancelled: 0, removed: 0 } }, true)).toBeUndefined();
  });
});
