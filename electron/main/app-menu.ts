// The application menu (File, Edit, View, Window on macOS, Help) with keyboard shortcuts, and the About
// text with the versions: pure functions of the platform and the actions, so tests run without Electron.
import type { MenuItemConstructorOptions, MessageBoxOptions } from 'electron';

export interface AppMenuActions {
  syncNow(): void;
  showConfigFile(): void;
  about(): void;
  copyVersions(): void;
  quit(): void;
}

export interface Versions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
}

export function versionLines(v: Versions): string[] {
  return [`Version ${v.app}`, `Electron ${v.electron}`, `Chromium ${v.chrome}`, `Node ${v.node}`];
}

/** Windows and Linux: a message box; macOS shows its own About panel (see aboutPanelOptions). */
export function aboutDialogOptions(v: Versions): MessageBoxOptions {
  return {
    type: 'info',
    title: 'About mailbox2ics',
    message: `mailbox2ics ${v.app}`,
    detail: [...versionLines(v).slice(1), '', 'Turns calendar invitations in IMAP mail folders into one iCalendar feed.', 'MIT licence.'].join('\n'),
    buttons: ['OK', 'Copy versions'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export function aboutPanelOptions(v: Versions): { applicationName: string; applicationVersion: string; version: string; credits: string } {
  return { applicationName: 'mailbox2ics', applicationVersion: v.app, version: `Electron ${v.electron} · Chromium ${v.chrome} · Node ${v.node}`, credits: 'Turns calendar invitations in IMAP mail folders into one iCalendar feed.' };
}

export function appMenuTemplate(platform: NodeJS.Platform, actions: AppMenuActions, opts: { devTools: boolean }): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // "&File": Alt+F opens the menu on Windows and Linux; macOS has no mnemonics and would show the "&".
  const top = (label: string) => (mac ? label : `&${label}`);
  const quit: MenuItemConstructorOptions = { label: mac ? 'Quit mailbox2ics' : 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() };
  const about: MenuItemConstructorOptions = { label: 'About mailbox2ics', click: () => actions.about() };
  const menu: MenuItemConstructorOptions[] = [];
  if (mac) {
    menu.push({
      label: 'mailbox2ics',
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, quit],
    });
  }
  menu.push({
    label: top('File'),
    submenu: [
      // Not Ctrl+R: that is "reload" in every browser, and a reload here would only lose the window's state.
      { label: 'Sync Now', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.syncNow() },
      { label: 'Show Configuration File', click: () => actions.showConfigFile() },
      { type: 'separator' },
      // Closing keeps the schedule and the feed running in the tray.
      { label: 'Close Window', accelerator: 'CmdOrCtrl+W', role: 'close' },
      ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, quit]),
    ],
  });
  menu.push({
    label: top('Edit'),
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
  });
  menu.push({
    label: top('View'),
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.devTools ? [{ type: 'separator' } as MenuItemConstructorOptions, { role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
    ],
  });
  if (mac) {
    menu.push({ role: 'windowMenu' });
  }
  menu.push({
    label: top('Help'),
    role: 'help',
    submenu: [...(mac ? [] : [about]), { label: 'Copy Version Information', click: () => actions.copyVersions() }],
  });
  return menu;
}

/** What "About" and "Copy Version Information" do, with Electron's dialog, clipboard and app passed in. */
export function aboutActions(d: {
  platform: NodeJS.Platform;
  versions: Versions;
  arch: string;
  showAboutPanel: () => void;
  showMessageBox: (o: MessageBoxOptions) => Promise<{ response: number }>;
  writeClipboard: (text: string) => void;
}): { about(): void; copyVersions(): void } {
  const copyVersions = () => d.writeClipboard(['mailbox2ics', ...versionLines(d.versions), `${d.platform} ${d.arch}`].join('\n'));
  return {
    about: () => {
      if (d.platform === 'darwin') return d.showAboutPanel();
      void d.showMessageBox(aboutDialogOptions(d.versions)).then((r) => {
        if (r.response === 1) copyVersions();
      });
    },
    copyVersions,
  };
}
