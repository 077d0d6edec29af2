// "Start at login" per platform with electron's app mocked: the XDG entry on Linux (a real file in a
// temp home), Electron's login item settings (with the --hidden argument on Windows) elsewhere.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HIDDEN_SWITCH, loginItemFor, startsHidden } from '../../electron/main/login-item.ts';

const home = mkdtempSync(path.join(tmpdir(), 'login-item-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function fakeApp(packaged = true) {
  let settings = { openAtLogin: false, wasOpenedAtLogin: false };
  return {
    isPackaged: packaged,
    getAppPath: () => '/src/app',
    getLoginItemSettings: vi.fn(() => settings),
    setLoginItemSettings: vi.fn((s: { openAtLogin: boolean }) => void (settings = { ...settings, openAtLogin: s.openAtLogin })),
    set: (s: typeof settings) => (settings = s),
  };
}

describe('start at login', () => {
  it('Linux: writes and removes the XDG autostart entry; Electron login items are not used', () => {
    const app = fakeApp();
    const item = loginItemFor({ platform: 'linux', app: app as never, env: { APPIMAGE: '/home/a/mailbox2ics.AppImage' }, home, execPath: '/tmp/.mount_x/mailbox2ics' });
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    const text = readFileSync(path.join(home, '.config', 'autostart', 'mailbox2ics.desktop'), 'utf8');
    expect(text).toContain('Exec=/home/a/mailbox2ics.AppImage --hidden\n');
    item.set(false);
    expect(item.get()).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(app.getLoginItemSettings).not.toHaveBeenCalled();
  });

  it('Windows: the Run entry carries --hidden, and the query names the same arguments', () => {
    const app = fakeApp();
    const item = loginItemFor({ platform: 'win32', app: app as never, env: {}, home, execPath: 'C:\\mailbox2ics.exe' });
    item.set(true);
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: [HIDDEN_SWITCH] });
    expect(item.get()).toBe(true);
    expect(app.getLoginItemSettings).toHaveBeenCalledWith({ args: [HIDDEN_SWITCH] });
  });

  it('macOS: Electron login item', () => {
    const app = fakeApp();
    const item = loginItemFor({ platform: 'darwin', app: app as never, env: {}, home, execPath: '/Applications/mailbox2ics.app/Contents/MacOS/mailbox2ics' });
    item.set(true);
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true });
    expect(item.get()).toBe(true);
  });

  it('a start by the login entry opens no window', () => {
    const app = fakeApp();
    expect(startsHidden(['/opt/mailbox2ics/mailbox2ics', '--hidden'], 'linux', app as never)).toBe(true);
    expect(startsHidden(['/opt/mailbox2ics/mailbox2ics'], 'linux', app as never)).toBe(false);
    app.set({ openAtLogin: true, wasOpenedAtLogin: true });
    expect(startsHidden(['/Applications/mailbox2ics.app/Contents/MacOS/mailbox2ics'], 'darwin', app as never)).toBe(true);
    expect(startsHidden(['C:\\mailbox2ics.exe'], 'win32', app as never)).toBe(false);
  });
});
