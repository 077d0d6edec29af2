// Tray images: the files exist at every scale, the macOS ones are templates (black + alpha), and the
// light/dark choice follows the panel, switching when the theme changes.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { followTheme, isDarkPanel, trayIconFile, trayImage } from '../../electron/main/tray-icon.ts';
import { readPng } from '../helpers/png.ts';

const TRAY = path.resolve(import.meta.dirname, '../../resources/tray');

describe('tray icon', () => {
  it('has a 16 px image and its @2x (plus @1.25x/@1.5x on Windows/Linux) for each variant', () => {
    const sizes: Record<string, number> = { '': 16, '@1.25x': 20, '@1.5x': 24, '@2x': 32 };
    for (const base of ['tray-light', 'tray-dark', 'trayTemplate']) {
      for (const [suffix, px] of Object.entries(sizes)) {
        const file = path.join(TRAY, `${base}${suffix}.png`);
        if (base === 'trayTemplate' && (suffix === '@1.25x' || suffix === '@1.5x')) continue;
        const png = readPng(readFileSync(file));
        expect({ file: path.basename(file), width: png.width, height: png.height }).toEqual({ file: path.basename(file), width: px, height: px });
      }
    }
  });

  it('macOS template images are pure black with alpha; the dark-panel glyph is white, the light-panel one dark', () => {
    for (const f of ['trayTemplate.png', 'trayTemplate@2x.png', 'tray-dark.png', 'tray-light@2x.png']) {
      const png = readPng(readFileSync(path.join(TRAY, f)));
      const opaque = png.pixels.filter((p) => p[3] > 0);
      expect(opaque.length).toBeGreaterThan(png.width * png.height * 0.25);
      expect(png.pixels.some((p) => p[3] === 0)).toBe(true);
      const lum = opaque.map((p) => (p[0] + p[1] + p[2]) / 3);
      if (f.startsWith('trayTemplate')) expect(Math.max(...lum)).toBe(0);
      if (f.startsWith('tray-dark')) expect(Math.min(...lum)).toBe(255);
      if (f.startsWith('tray-light')) expect(Math.max(...lum)).toBeLessThan(64);
    }
  });

  it('picks the template on macOS, and the variant for the panel elsewhere (the taskbar setting on Windows)', () => {
    expect(trayIconFile('darwin', true)).toBe('trayTemplate.png');
    expect(trayIconFile('linux', true)).toBe('tray-dark.png');
    expect(trayIconFile('win32', false)).toBe('tray-light.png');
    // Windows: light apps on a dark taskbar is the default there.
    expect(isDarkPanel('win32', { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: true })).toBe(true);
    expect(isDarkPanel('linux', { shouldUseDarkColors: true, shouldUseDarkColorsForSystemIntegratedUI: false })).toBe(true);
    for (const p of ['darwin', 'linux', 'win32'] as const) expect(existsSync(path.join(TRAY, trayIconFile(p, false)))).toBe(true);
  });

  it('marks the macOS image as a template and swaps the Windows/Linux image when the theme changes', () => {
    const made: Array<{ file: string; template?: boolean }> = [];
    const createFromPath = (file: string) => {
      const img = { file, template: undefined as boolean | undefined, setTemplateImage: (on: boolean) => (img.template = on) };
      made.push(img);
      return img as never;
    };
    const listeners: Array<() => void> = [];
    const theme = { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: false, on: vi.fn((_ev: string, fn: () => void) => listeners.push(fn)) };
    trayImage({ platform: 'darwin', dir: TRAY, theme: theme as never, createFromPath });
    expect(made[0]).toMatchObject({ file: path.join(TRAY, 'trayTemplate.png'), template: true });
    const deps = { platform: 'linux' as const, dir: TRAY, theme: theme as never, createFromPath };
    const tray = { setImage: vi.fn(), isDestroyed: () => false };
    expect((trayImage(deps) as unknown as { file: string }).file).toBe(path.join(TRAY, 'tray-light.png'));
    followTheme(tray, deps);
    theme.shouldUseDarkColors = true;
    listeners.forEach((fn) => fn());
    expect(tray.setImage).toHaveBeenCalledWith(expect.objectContaining({ file: path.join(TRAY, 'tray-dark.png') }));
  });
});
