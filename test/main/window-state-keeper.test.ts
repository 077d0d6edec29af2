// The window keeper with a fake BrowserWindow and fake timers: restores through the real state file,
// saves once after a burst of moves, at once on close, and never the bounds of a minimized window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadWindowState, windowStatePath, type Rect, type WindowState } from '../../electron/core/desktop/window-state.ts';
import { initialWindowState, SAVE_DEBOUNCE_MS, saverFor, trackWindowState } from '../../electron/main/window-state-keeper.ts';
import { windowOptions } from '../../electron/main/window.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'keeper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

class FakeWindow {
  handlers = new Map<string, Array<() => void>>();
  bounds: Rect = { x: 100, y: 100, width: 1200, height: 800 };
  maximized = false;
  minimized = false;
  on(ev: string, fn: () => void) {
    this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), fn]);
    return this;
  }
  emit(ev: string) {
    for (const fn of this.handlers.get(ev) ?? []) fn();
  }
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
  isFullScreen = () => false;
  isDestroyed = () => false;
}

const screen = (areas: Rect[]) => ({
  getPrimaryDisplay: () => ({ id: 1, workArea: areas[0] }) as never,
  getAllDisplays: () => areas.map((workArea, i) => ({ id: i + 1, workArea })) as never,
});

describe('window state keeper', () => {
  it('saves once after a burst of moves, with the normal bounds and the maximized flag', async () => {
    vi.useFakeTimers();
    const win = new FakeWindow();
    const saved: WindowState[] = [];
    trackWindowState(win as never, async (s) => void saved.push(s));
    for (let i = 0; i < 20; i++) {
      win.bounds = { ...win.bounds, x: 100 + i };
      win.emit('move');
    }
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(saved).toEqual([{ bounds: { x: 119, y: 100, width: 1200, height: 800 }, maximized: false }]);
    win.maximized = true;
    win.emit('maximize');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(saved[1]).toEqual({ bounds: { x: 119, y: 100, width: 1200, height: 800 }, maximized: true });
  });

  it('writes at once when the window closes (to the tray or on quit)', () => {
    vi.useFakeTimers();
    const win = new FakeWindow();
    const saved: WindowState[] = [];
    trackWindowState(win as never, async (s) => void saved.push(s));
    win.bounds = { x: 5, y: 6, width: 900, height: 700 };
    win.emit('resize');
    win.emit('close');
    expect(saved).toEqual([{ bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: false }]);
    // The pending debounced write was replaced by the one on close, not added to it.
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS * 2);
    expect(saved).toHaveLength(1);
  });

  it('keeps the last real bounds while the window is minimized', () => {
    vi.useFakeTimers();
    const win = new FakeWindow();
    const saved: WindowState[] = [];
    trackWindowState(win as never, async (s) => void saved.push(s));
    win.emit('move');
    win.minimized = true;
    win.bounds = { x: -32000, y: -32000, width: 160, height: 28 }; // what Windows reports for a minimized window
    win.emit('close');
    expect(saved.at(-1)).toEqual({ bounds: { x: 100, y: 100, width: 1200, height: 800 }, maximized: false });
  });

  it('a failed write is reported, never thrown into the close', async () => {
    const win = new FakeWindow();
    const errors: string[] = [];
    trackWindowState(win as never, async () => Promise.reject(new Error('disk full')), { onError: (e) => errors.push(e.message) });
    expect(() => win.emit('close')).not.toThrow();
    await vi.waitFor(() => expect(errors).toEqual(['disk full']));
  });

  it('restores what was saved in the user data folder, fitted to the displays of now', async () => {
    const save = saverFor(dir);
    await save({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false });
    expect(loadWindowState(windowStatePath(dir))).toEqual({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false });
    const twoScreens = screen([{ x: 0, y: 0, width: 1920, height: 1080 }, { x: 1920, y: 0, width: 1920, height: 1080 }]);
    expect(initialWindowState(dir, twoScreens)).toEqual({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false });
    // The second monitor is gone: the window comes back centred on the primary one.
    expect(initialWindowState(dir, screen([{ x: 0, y: 0, width: 1920, height: 1080 }])).bounds).toEqual({ x: 460, y: 190, width: 1000, height: 700 });
  });

  it('the window opens at the restored bounds with 800×600 as its minimum', () => {
    const o = windowOptions('/p.cjs', { x: 10, y: 20, width: 1000, height: 700 });
    expect(o).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, minWidth: 800, minHeight: 600 });
    expect(windowOptions('/p.cjs')).toMatchObject({ width: 1200, height: 800, minWidth: 800, minHeight: 600 });
    expect(windowOptions('/p.cjs').x).toBeUndefined();
  });
});
