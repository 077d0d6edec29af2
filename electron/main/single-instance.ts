// One running app per user: the first start holds Electron's single-instance lock; a later start quits at
// once and the first one brings its window to the front. Electron's app is passed in, so tests mock it.
import type { App, BrowserWindow } from 'electron';

/**
 * Takes the lock. False: another instance has it (it has been told, and this one should quit now).
 * `onSecondInstance` is registered before anything else can fail, so a second start is never lost.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, onSecondInstance: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => onSecondInstance(argv));
  return true;
}

/** Shows the window where the user can see it: restored if minimized, shown if hidden in the tray, focused. */
export function revealWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'isVisible' | 'show' | 'focus'>, app?: Pick<App, 'focus'>): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  // macOS: an app started from the dock or Finder must also take the foreground, not just its window.
  app?.focus({ steal: true });
}
