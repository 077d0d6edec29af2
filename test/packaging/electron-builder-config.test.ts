// electron-builder.yml against electron-builder's own JSON schema (ajv) and through electron-builder's
// own config loader and validator, plus what the schema cannot say: every target, icon and file the
// installers need exists and has the sizes the platforms ask for.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { pngSize } from '../helpers/png.ts';
import { icnsEntries, icoEntries } from '../helpers/icon-containers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const SCHEMA = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const CONFIG_FILE = path.join(ROOT, 'electron-builder.yml');
type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = parse(readFileSync(CONFIG_FILE, 'utf8')) as Config;

/**
 * The schema also carries `typeof: "function"` (hooks given as functions, and some maps), which is not a
 * JSON Schema keyword: electron-builder's own validator (ajv without that keyword) ignores it, as this does.
 */
function validator() {
  return new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
}

describe('electron-builder configuration', () => {
  it('is valid against electron-builder\'s own JSON schema (node_modules/app-builder-lib/scheme.json)', () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a misspelled option or a wrong type is refused', () => {
    const validate = validator();
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('asarUnpak');
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).toBe(false);
    expect(validate({ ...config, nativeRebuilder: 'fast' })).toBe(false);
  });

  it('is found, read and accepted by electron-builder\'s own loader and validator, as `electron-builder` does', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig: (dir: string, file: string | null, fromOptions: unknown) => Promise<Config>;
      validateConfiguration: (c: Config, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(ROOT, null, null);
    expect(loaded.appId).toBe('org.mailbox2ics.desktop');
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...loaded, linux: { ...loaded.linux, iconz: 'x' } }, new DebugLogger(false))).rejects.toThrow(/iconz/);
  });

  it('names the app and builds AppImage + .deb, a universal .dmg and an NSIS installer', () => {
    expect(config).toMatchObject({ appId: 'org.mailbox2ics.desktop', productName: 'mailbox2ics', executableName: 'mailbox2ics' });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.publish).toBeNull();
  });

  it('unpacks and rebuilds the native modules (keytar, better-sqlite3) for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/keytar/**', '**/node_modules/better-sqlite3/**']));
    expect(config).toMatchObject({ npmRebuild: true, nativeRebuilder: 'sequential' });
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    // Only runtime dependencies are packed and rebuilt: the native ones must be there, Electron must not.
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['keytar', 'better-sqlite3']));
    expect(pkg.devDependencies.electron).toBeDefined();
  });

  it('packs everything the main process loads at run time', () => {
    const files = config.files as string[];
    for (const needed of ['package.json', 'dist-electron/**', 'renderer/dist/**', 'resources/tray/**']) expect(files).toContain(needed);
    const main = readFileSync(path.join(ROOT, 'electron', 'main.ts'), 'utf8');
    expect(main).toContain("path.join(root, 'renderer', 'dist', 'index.html')");
    expect(main).toContain("path.join(root, 'resources', 'tray')");
    expect(main).toContain("path.join(import.meta.dirname, 'preload.cjs')");
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist-electron/main.js');
  });

  it('its hook, scripts and launchers exist, and electron-builder resolves the hook to our function', async () => {
    const { resolveFunction } = require('app-builder-lib/out/util/resolve') as { resolveFunction: (type: string, f: string, name: string) => Promise<unknown> };
    const hook = await resolveFunction('module', path.join(ROOT, config.afterPack), 'afterPack');
    // electron-builder imports the file natively, so this is its own instance of our named export.
    expect(typeof hook).toBe('function');
    expect((hook as { name: string }).name).toBe('afterPack');
    for (const f of [config.deb.afterInstall, config.deb.afterRemove, 'packaging/bin/mailbox2ics', 'packaging/bin/mailbox2ics.cmd']) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    expect(config.extraResources).toEqual([{ from: 'packaging/bin', to: 'bin' }]);
  });

  it('Linux icons: one PNG per hicolor size, each exactly that size', () => {
    const dir = path.join(ROOT, config.linux.icon);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(readFileSync(path.join(dir, `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    }
  });

  it('macOS .icns holds 16 to 1024 px (with the @2x entries), Windows .ico 16 to 256 px', () => {
    const icns = icnsEntries(readFileSync(path.join(ROOT, config.mac.icon)));
    // is32/il32: the classic 16/32 px entries; ic07-ic14: PNGs for 128-1024 and the @2x of 16-512.
    expect(icns.map((e) => e.type).sort()).toEqual(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14', 'il32', 'is32', 'l8mk', 's8mk'].sort());
    for (const e of icns.filter((x) => x.png)) expect(e.png).toEqual({ width: e.expected, height: e.expected });
    const ico = icoEntries(readFileSync(path.join(ROOT, config.win.icon)));
    expect(ico.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(config.nsis.installerIcon).toBe(config.win.icon);
  });
});
