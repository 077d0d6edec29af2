// The application menu model with electron mocked away: File, Edit, View, Help (and the macOS app and
// Window menus), their shortcuts and actions, and the About box with the versions.
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { aboutActions, aboutDialogOptions, aboutPanelOptions, appMenuTemplate, type AppMenuActions } from '../../electron/main/app-menu.ts';

const versions = { app: '0.1.0', electron: '41.7.1', chrome: '146.0.7680.80', node: '24.11.1' };
const actions = (): AppMenuActions & Record<string, ReturnType<typeof vi.fn>> => ({ syncNow: vi.fn(), showConfigFile: vi.fn(), about: vi.fn(), copyVersions: vi.fn(), quit: vi.fn() }) as never;
const sub = (m: MenuItemConstructorOptions) => m.submenu as MenuItemConstructorOptions[];
const find = (items: MenuItemConstructorOptions[], label: string) => items.find((i) => i.label === label);

describe('application menu', () => {
  it('Windows and Linux: File, Edit, View, Help with Alt mnemonics; Quit and About inside them', () => {
    const a = actions();
    const m = appMenuTemplate('linux', a, { devTools: false });
    expect(m.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const file = sub(m[0]);
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual(['Sync Now', 'Show Configuration File', 'separator', 'Close Window', 'separator', 'Quit']);
    expect(find(file, 'Sync Now')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+S' });
    expect(find(file, 'Close Window')).toMatchObject({ accelerator: 'CmdOrCtrl+W', role: 'close' });
    expect(find(file, 'Quit')).toMatchObject({ accelerator: 'CmdOrCtrl+Q' });
    (find(file, 'Sync Now')!.click as () => void)();
    (find(file, 'Show Configuration File')!.click as () => void)();
    (find(file, 'Quit')!.click as () => void)();
    expect(a.syncNow).toHaveBeenCalledOnce();
    expect(a.showConfigFile).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();
    const help = sub(m[3]);
    expect(help.map((i) => i.label)).toEqual(['About mailbox2ics', 'Copy Version Information']);
    (help[0].click as () => void)();
    (help[1].click as () => void)();
    expect(a.about).toHaveBeenCalledOnce();
    expect(a.copyVersions).toHaveBeenCalledOnce();
  });

  it('Edit and View use the roles, which bring the standard shortcuts (Ctrl+Z, Ctrl+C, Ctrl+0, F11 …)', () => {
    const m = appMenuTemplate('win32', actions(), { devTools: false });
    expect(sub(m[1]).map((i) => i.role ?? i.type)).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'separator', 'selectAll']);
    expect(sub(m[2]).map((i) => i.role ?? i.type)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    // Developer tools only in an unpackaged run.
    expect(sub(appMenuTemplate('win32', actions(), { devTools: true })[2]).map((i) => i.role ?? i.type)).toContain('toggleDevTools');
  });

  it('macOS: the app menu first (About, Hide, Quit), a Window menu, no "&" in labels', () => {
    const a = actions();
    const m = appMenuTemplate('darwin', a, { devTools: false });
    expect(m.map((i) => i.label ?? i.role)).toEqual(['mailbox2ics', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
    const appMenu = sub(m[0]);
    expect(appMenu.map((i) => i.label ?? i.role ?? i.type)).toEqual(['About mailbox2ics', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'Quit mailbox2ics']);
    expect(find(appMenu, 'Quit mailbox2ics')).toMatchObject({ accelerator: 'CmdOrCtrl+Q' });
    expect(sub(m[1]).map((i) => i.label ?? i.type)).not.toContain('Quit');
    expect(sub(m[5]).map((i) => i.label)).toEqual(['Copy Version Information']);
    expect(m[5].role).toBe('help');
  });

  it('no two items of a menu share a shortcut', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const all = appMenuTemplate(platform, actions(), { devTools: true }).flatMap((m) => sub(m) ?? []);
      const keys = all.map((i) => i.accelerator).filter(Boolean);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('About', () => {
  it('names the app, Electron, Chromium and Node versions', () => {
    const o = aboutDialogOptions(versions);
    expect(o.message).toBe('mailbox2ics 0.1.0');
    expect(o.detail).toContain('Electron 41.7.1\nChromium 146.0.7680.80\nNode 24.11.1');
    expect(o.buttons).toEqual(['OK', 'Copy versions']);
    expect(aboutPanelOptions(versions)).toMatchObject({ applicationName: 'mailbox2ics', applicationVersion: '0.1.0', version: 'Electron 41.7.1 · Chromium 146.0.7680.80 · Node 24.11.1' });
  });

  it('Windows/Linux show a message box whose second button copies the versions; macOS its own panel', async () => {
    const copied: string[] = [];
    const box = vi.fn(async () => ({ response: 1 }));
    const panel = vi.fn();
    const linux = aboutActions({ platform: 'linux', arch: 'x64', versions, showAboutPanel: panel, showMessageBox: box, writeClipboard: (t) => copied.push(t) });
    linux.about();
    await vi.waitFor(() => expect(copied).toHaveLength(1));
    expect(copied[0]).toBe('mailbox2ics\nVersion 0.1.0\nElectron 41.7.1\nChromium 146.0.7680.80\nNode 24.11.1\nlinux x64');
    expect(box).toHaveBeenCalledWith(aboutDialogOptions(versions));
    expect(panel).not.toHaveBeenCalled();
    const mac = aboutActions({ platform: 'darwin', arch: 'arm64', versions, showAboutPanel: panel, showMessageBox: box, writeClipboard: (t) => copied.push(t) });
    mac.about();
    expect(panel).toHaveBeenCalledOnce();
    expect(box).toHaveBeenCalledOnce();
    // OK copies nothing.
    const ok = aboutActions({ platform: 'win32', arch: 'x64', versions, showAboutPanel: panel, showMessageBox: async () => ({ response: 0 }), writeClipboard: (t) => copied.push(t) });
    ok.about();
    await new Promise((r) => setImmediate(r));
    expect(copied).toHaveLength(1);
  });
});
