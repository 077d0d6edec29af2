// Window state: saved and read back through a real file, and placed onto the displays that exist now.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, loadWindowState, MIN_HEIGHT, MIN_WIDTH, parseWindowState, placeWindow, saveWindowState, windowStatePath, type Rect } from '../../../electron/core/desktop/window-state.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'window-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A laptop panel (primary, with a 32 px top bar) and an external monitor to its right.
const laptop: Rect = { x: 0, y: 32, width: 1440, height: 868 };
const monitor: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window state file', () => {
  it('round-trips size, position and maximized through the user data folder', async () => {
    const file = windowStatePath(dir);
    expect(file).toBe(path.join(dir, 'window-state.json'));
    expect(loadWindowState(file)).toBeUndefined();
    await saveWindowState(file, { bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true });
  });

  it('ignores a file that is not a window state, instead of failing the start', () => {
    const file = path.join(dir, 'bad.json');
    for (const text of ['{', '[]', 'null', '{"bounds":{"x":0,"y":0,"width":-5,"height":10}}', '{"bounds":{"x":"0","y":0,"width":5,"height":10}}', '{"bounds":{"x":1e308,"y":0,"width":5,"height":10}}', JSON.stringify({ bounds: { x: 0, y: 0, width: 900, height: 700 }, pad: 'x'.repeat(5000) })]) {
      writeFileSync(file, text);
      expect(loadWindowState(file)).toBeUndefined();
    }
    expect(parseWindowState({ bounds: { x: 10.4, y: 20.6, width: 900, height: 700 }, maximized: 'yes' })).toEqual({ bounds: { x: 10, y: 21, width: 900, height: 700 }, maximized: false });
  });

  it('writes plain JSON (atomically, through the core writer)', async () => {
    const file = path.join(dir, 'plain.json');
    await saveWindowState(file, { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: false });
  });
});

describe('placing the window on the displays of now', () => {
  it('a first start opens at the default size, centred on the primary display', () => {
    expect(placeWindow(undefined, [laptop, monitor])).toEqual({ bounds: { x: 120, y: 66, width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT }, maximized: false });
  });

  it('keeps a saved place that is on a display', () => {
    const saved = { bounds: { x: 1700, y: 200, width: 1400, height: 1000 }, maximized: true };
    expect(placeWindow(saved, [laptop, monitor])).toEqual(saved);
  });

  it('moves a window that hangs over an edge fully onto its display', () => {
    const placed = placeWindow({ bounds: { x: 3500, y: 1200, width: 1000, height: 700 }, maximized: false }, [laptop, monitor]);
    expect(placed.bounds).toEqual({ x: 4000 - 1000, y: 1440 - 700, width: 1000, height: 700 });
  });

  it('brings back a window whose monitor was unplugged, keeping its size where it fits', () => {
    const placed = placeWindow({ bounds: { x: 1700, y: 200, width: 1000, height: 700 }, maximized: true }, [laptop]);
    expect(placed).toEqual({ bounds: { x: 220, y: 116, width: 1000, height: 700 }, maximized: true });
    const huge = placeWindow({ bounds: { x: 1500, y: 0, width: 2500, height: 1400 }, maximized: false }, [laptop]);
    expect(huge.bounds).toEqual(laptop);
  });

  it('does not keep a place where only a sliver is visible (the title bar could not be grabbed)', () => {
    const placed = placeWindow({ bounds: { x: -1150, y: 100, width: 1200, height: 800 }, maximized: false }, [laptop]);
    expect(placed.bounds.x).toBeGreaterThanOrEqual(laptop.x);
    expect(placed.bounds.x + placed.bounds.width).toBeLessThanOrEqual(laptop.x + laptop.width);
  });

  it('never makes a window smaller than the minimum, unless the display itself is smaller', () => {
    expect(placeWindow({ bounds: { x: 10, y: 40, width: 300, height: 200 }, maximized: false }, [laptop]).bounds).toEqual({ x: 10, y: 40, width: MIN_WIDTH, height: MIN_HEIGHT });
    const tiny: Rect = { x: 0, y: 0, width: 640, height: 480 };
    expect(placeWindow({ bounds: { x: 0, y: 0, width: 900, height: 700 }, maximized: false }, [tiny]).bounds).toEqual(tiny);
  });

  it('works with displays left of and above the primary (negative coordinates)', () => {
    const left: Rect = { x: -1920, y: -200, width: 1920, height: 1080 };
    const saved = { bounds: { x: -1800, y: -150, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [laptop, left])).toEqual(saved);
  });
});
