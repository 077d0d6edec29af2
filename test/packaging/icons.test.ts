// The committed icons are exactly what scripts/render-icons.mjs makes from the SVGs (so nobody ships an
// SVG edit without its PNG/.icns/.ico), and the small sizes come from the hand-aligned drawing.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../helpers/png.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const out = mkdtempSync(path.join(tmpdir(), 'icons-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(base: string): string[] {
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(base, path.join(e.parentPath, e.name)))
    .sort();
}

describe('icon set', () => {
  it('the committed files are what the render script makes from the SVGs, byte for byte', async () => {
    const { renderIcons } = (await import(path.join(ROOT, 'scripts', 'render-icons.mjs'))) as { renderIcons: (root: string) => Promise<void> };
    await renderIcons(out);
    const made = files(path.join(out, 'resources'));
    expect(made).toEqual(expect.arrayContaining(['build/icon.icns', 'build/icon.ico', 'build/icons/16x16.png', 'build/icons/1024x1024.png', 'tray/trayTemplate@2x.png', 'tray/tray-dark@1.5x.png', 'icon.png']));
    for (const f of made) {
      expect(readFileSync(path.join(out, 'resources', f)).equals(readFileSync(path.join(ROOT, 'resources', f))), `resources/${f} is not what scripts/render-icons.mjs makes: run it and commit the result`).toBe(true);
    }
  });

  it('16 px is drawn on the pixel grid: its page outline is crisp, not a blur of the large drawing', () => {
    const png = readPng(readFileSync(path.join(ROOT, 'resources', 'build', 'icons', '16x16.png')));
    // Column 1 (the page's left outline, rows 6-11, above the rounded corner) is one solid dark line.
    const column = [6, 7, 8, 9, 10, 11].map((y) => png.pixels[y * 16 + 1]);
    for (const [r, g, b, a] of column) {
      expect(a).toBeGreaterThan(240);
      expect((r + g + b) / 3).toBeLessThan(100);
    }
  });
});
