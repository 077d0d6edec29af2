// The main window's size, position and maximized state: read from and written to a small JSON file in
// the user data folder, and fitted onto the displays that exist now. Never places a window off-screen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** The smallest window in which the account form and the preview table still fit without overlapping. */
export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 600;
export const DEFAULT_WIDTH = 1200;
export const DEFAULT_HEIGHT = 800;
/** How much of a saved window must still be on some display to keep its place: enough to grab its title bar. */
export const MIN_VISIBLE = { width: 160, height: 60 };
/** A file larger than this is not ours (it holds four numbers and a flag). */
const MAX_FILE_BYTES = 4096;

export const WINDOW_STATE_FILE = 'window-state.json';

export function windowStatePath(userDataDir: string): string {
  return path.join(userDataDir, WINDOW_STATE_FILE);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** A saved state, or undefined for anything that is not exactly one (a hand-edited or truncated file). */
export function parseWindowState(value: unknown): WindowState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { bounds?: Partial<Rect>; maximized?: unknown };
  const b = v.bounds;
  if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || b.width <= 0 || b.height <= 0) return undefined;
  return { bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) }, maximized: v.maximized === true };
}

export function loadWindowState(file: string): WindowState | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > MAX_FILE_BYTES) return undefined;
    return parseWindowState(JSON.parse(text));
  } catch {
    // Missing or unreadable: the window opens at its default place, which is what a first start does.
    return undefined;
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state) + '\n');
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function centred(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
}

/** Moves and shrinks `r` as little as needed to lie inside `area` (never below the minimum, unless the display is smaller). */
function fitInto(r: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(r.width, MIN_WIDTH), area.width);
  const height = Math.min(Math.max(r.height, MIN_HEIGHT), area.height);
  const x = Math.min(Math.max(r.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(r.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/**
 * Where the window opens: the saved place if enough of it is on a display that exists now (moved fully
 * onto that display), else centred on the primary display. `workAreas` are the displays' work areas
 * (without task bars and docks), as Electron's screen module reports them; the primary one first.
 */
export function placeWindow(saved: WindowState | undefined, workAreas: Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT };
  if (!saved) return { bounds: centred(primary, DEFAULT_WIDTH, DEFAULT_HEIGHT), maximized: false };
  let best: Rect | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area);
    if (o.width >= Math.min(MIN_VISIBLE.width, saved.bounds.width) && o.height >= Math.min(MIN_VISIBLE.height, saved.bounds.height) && o.width * o.height > bestArea) {
      best = area;
      bestArea = o.width * o.height;
    }
  }
  if (!best) {
    // Its display is gone (unplugged monitor, changed layout): keep the size, not the place.
    const size = fitInto({ ...saved.bounds, x: primary.x, y: primary.y }, primary);
    return { bounds: centred(primary, size.width, size.height), maximized: saved.maximized };
  }
  return { bounds: fitInto(saved.bounds, best), maximized: saved.maximized };
}
