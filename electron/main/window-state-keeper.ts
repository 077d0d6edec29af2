// Remembers the main window's size, position and maximized state: restores them when the window opens
// and saves them (debounced) as the user moves, resizes, maximizes or closes it. Never blocks a close.
import type { BrowserWindow, Screen } from 'electron';
import { loadWindowState, placeWindow, saveWindowState, windowStatePath, type WindowState } from '../core/desktop/window-state.ts';

/** Moving a window fires dozens of events a second; one write after the user lets go is enough. */
export const SAVE_DEBOUNCE_MS = 500;

type TrackedWindow = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isMinimized' | 'isFullScreen' | 'isDestroyed'>;

/** The bounds to open the window with, fitted to the displays that are connected now. */
export function initialWindowState(userDataDir: string, screen: Pick<Screen, 'getPrimaryDisplay' | 'getAllDisplays'>): WindowState {
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((d) => d.id !== primary.id);
  return placeWindow(loadWindowState(windowStatePath(userDataDir)), [primary.workArea, ...others.map((d) => d.workArea)]);
}

export function trackWindowState(
  win: TrackedWindow,
  save: (state: WindowState) => Promise<void>,
  opts: { debounceMs?: number; onError?: (err: Error) => void } = {},
): { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: WindowState | undefined;
  const capture = (): WindowState | undefined => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return last;
    // The normal bounds are the ones to come back to after un-maximizing, so they are what is stored.
    last = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    return last;
  };
  const write = () => {
    timer = undefined;
    const state = capture();
    if (state) save(state).catch((err: Error) => opts.onError?.(err));
  };
  const later = () => {
    capture();
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, opts.debounceMs ?? SAVE_DEBOUNCE_MS);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev as 'resize', later);
  // Closing (to the tray or on quit): write at once, with what the window looked like just now.
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    write();
  });
  return {
    flush() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
    },
  };
}

export function saverFor(userDataDir: string): (state: WindowState) => Promise<void> {
  const file = windowStatePath(userDataDir);
  return (state) => saveWindowState(file, state);
}
