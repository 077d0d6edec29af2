// "Start at login" for each platform: the XDG autostart entry on Linux (Electron has nothing there),
// Electron's login item settings on macOS and Windows. A login start opens in the tray, without the window.
import type { App } from 'electron';
import { isAutostartEnabled, launchCommand, setAutostart } from '../core/desktop/xdg-autostart.ts';

/** Passed by the login entry: start in the tray only (starting the app again opens the window). */
export const HIDDEN_SWITCH = '--hidden';

export interface LoginItem {
  get(): boolean;
  set(on: boolean): void;
}

type LoginApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>;

export function loginItemFor(o: { platform: NodeJS.Platform; app: LoginApp; env: NodeJS.ProcessEnv; home: string; execPath: string }): LoginItem {
  if (o.platform === 'linux') {
    const deps = { env: o.env, home: o.home };
    const cmd = () => launchCommand({ execPath: o.execPath, env: o.env, isPackaged: o.app.isPackaged, appPath: o.app.getAppPath(), extraArgs: [HIDDEN_SWITCH] });
    return { get: () => isAutostartEnabled(deps), set: (on) => setAutostart(deps, on, cmd()) };
  }
  if (o.platform === 'win32') {
    // Windows keys the Run entry by path and arguments: the query must name the same arguments.
    const args = [HIDDEN_SWITCH];
    return {
      get: () => o.app.getLoginItemSettings({ args }).openAtLogin,
      set: (on) => o.app.setLoginItemSettings({ openAtLogin: on, args }),
    };
  }
  return { get: () => o.app.getLoginItemSettings().openAtLogin, set: (on) => o.app.setLoginItemSettings({ openAtLogin: on }) };
}

/** A start by the login entry: no window, only the tray. */
export function startsHidden(argv: string[], platform: NodeJS.Platform, app: Pick<App, 'getLoginItemSettings'>): boolean {
  if (argv.includes(HIDDEN_SWITCH)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
