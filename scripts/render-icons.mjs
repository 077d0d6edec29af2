// Renders the app and tray icons from the SVGs in resources/icons/ into every size the installers and
// the tray need (resources/build/, resources/tray/). Never hand-edit the outputs: change an SVG, run this.
// Usage: node scripts/render-icons.mjs [OUTPUT_ROOT]   (default: the repository; tests render into a temp dir)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import icongen from 'icon-gen';

const root = path.resolve(import.meta.dirname, '..');
const src = (name) => readFileSync(path.join(root, 'resources', 'icons', name), 'utf8');

// Linux hicolor sizes, plus 1024 for the macOS .icns; ICO and ICNS take their entries from these same files.
export const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
// Up to this size the hand-aligned 16 px drawing is used: the large one blurs into grey below 48 px.
const SMALL_MAX = 32;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];
// Tray: 16 px at 100 %, the Windows scale steps 125/150/200 % and macOS @2x (Electron picks the @Nx file).
export const TRAY_SCALES = [
  ['', 16],
  ['@1.25x', 20],
  ['@1.5x', 24],
  ['@2x', 32],
];
// Template images (macOS) must be black plus alpha; Windows/Linux get a dark glyph for light panels and
// a white one for dark panels.
export const TRAY_VARIANTS = {
  trayTemplate: '#000000',
  'tray-light': '#1f2430',
  'tray-dark': '#ffffff',
};

function png(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

export async function renderIcons(outRoot = root) {
  const build = path.join(outRoot, 'resources', 'build');
  const linuxDir = path.join(build, 'icons');
  const trayDir = path.join(outRoot, 'resources', 'tray');
  for (const d of [linuxDir, trayDir]) mkdirSync(d, { recursive: true });
  const large = src('app.svg');
  const small = src('app-small.svg');
  const staging = mkdtempSync(path.join(tmpdir(), 'mailbox2ics-icons-'));
  try {
    for (const size of APP_SIZES) {
      const data = png(size <= SMALL_MAX ? small : large, size);
      writeFileSync(path.join(linuxDir, `${size}x${size}.png`), data);
      // icon-gen reads a folder of N.png files and packs them unchanged (no resampling of our small sizes).
      writeFileSync(path.join(staging, `${size}.png`), data);
    }
    writeFileSync(path.join(build, 'icon.png'), png(large, 1024));
    writeFileSync(path.join(outRoot, 'resources', 'icon.png'), png(large, 256));
    await icongen(staging, build, {
      report: false,
      ico: { name: 'icon', sizes: ICO_SIZES },
      icns: { name: 'icon', sizes: ICNS_SIZES },
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const glyph = src('tray.svg');
  for (const [name, colour] of Object.entries(TRAY_VARIANTS)) {
    const svg = glyph.replaceAll('GLYPH', colour);
    for (const [suffix, size] of TRAY_SCALES) {
      // macOS only knows @1x and @2x for template images.
      if (name === 'trayTemplate' && suffix !== '' && suffix !== '@2x') continue;
      writeFileSync(path.join(trayDir, `${name}${suffix}.png`), png(svg, size));
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await renderIcons(process.argv[2] ? path.resolve(process.argv[2]) : root);
}
