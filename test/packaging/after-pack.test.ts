// The afterPack hook on stand-in Electron binaries (a file with Electron's fuse sentinel and wire, laid out
// as electron-builder packs each platform): which fuses end up on or off, and where they are flipped.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { afterPack, ARCH, electronBinary, fuseConfig, isUniversalSlice } from '../../packaging/after-pack.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const dir = mkdtempSync(path.join(tmpdir(), 'after-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A binary as Electron ships it, every fuse at its default: RunAsNode, NODE_OPTIONS, --inspect, file protocol on; the rest off. */
function fakeElectron(file: string, wireLength = 9): void {
  // Electron's defaults, in wire order; a 9th fuse stands for one newer than @electron/fuses knows.
  const defaults = '10110001' + '1'.repeat(wireLength - 8);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF junk before'), Buffer.from(SENTINEL), Buffer.from([1, wireLength]), Buffer.from(defaults), Buffer.from('junk after')]));
}

function context(platform: string, arch: number, appOutDir: string) {
  return { appOutDir, electronPlatformName: platform, arch, packager: { appInfo: { productFilename: 'mailbox2ics' }, executableName: 'mailbox2ics' } };
}

// @electron/fuses' FuseState values (the ASCII digits Electron stores), which 1.8 does not export.
const on = 49;
const off = 48;

describe('afterPack: Electron fuses', () => {
  it('Linux: RunAsNode, NODE_OPTIONS and --inspect off; asar only and cookie encryption on; integrity left alone', async () => {
    const out = path.join(dir, 'linux-unpacked');
    fakeElectron(path.join(out, 'mailbox2ics'));
    await afterPack(context('linux', ARCH.x64, out));
    const wire = await getCurrentFuseWire(path.join(out, 'mailbox2ics'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    // Not supported by Electron on Linux: stays as shipped.
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(off);
    // Fuses we do not set keep Electron's value (including ones newer than our @electron/fuses).
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(off);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(on);
    expect((wire as Record<number, number>)[8]).toBe(on);
  });

  it('Windows: the same, plus asar integrity validation (electron-builder embeds the hash in the .exe)', async () => {
    const out = path.join(dir, 'win-unpacked');
    fakeElectron(path.join(out, 'mailbox2ics.exe'));
    await afterPack(context('win32', ARCH.x64, out));
    const wire = await getCurrentFuseWire(path.join(out, 'mailbox2ics.exe'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
  });

  it('macOS: flips the framework binary inside the .app; both slices of a universal binary', async () => {
    const out = path.join(dir, 'mac-x64');
    const framework = path.join(out, 'mailbox2ics.app', 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
    // A universal (fat) binary carries the sentinel once per architecture.
    fakeElectron(framework);
    const slice = readFileSync(framework);
    writeFileSync(framework, Buffer.concat([slice, Buffer.alloc(64), slice]));
    expect(electronBinary(context('darwin', ARCH.x64, out))).toBe(path.join(out, 'mailbox2ics.app'));
    await afterPack(context('darwin', ARCH.x64, out));
    const bytes = readFileSync(framework);
    const wires = [bytes.indexOf(SENTINEL), bytes.lastIndexOf(SENTINEL)].map((i) => bytes.subarray(i + SENTINEL.length + 2, i + SENTINEL.length + 10).toString());
    // RunAsNode, cookies, NODE_OPTIONS, inspect, integrity, asar only, V8 snapshot, file protocol.
    expect(wires).toEqual(['01001101', '01001101']);
  });

  it('arm64 and universal Macs are re-signed ad hoc after flipping; other builds are not', () => {
    expect(fuseConfig('darwin', ARCH.arm64).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('darwin', ARCH.universal).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('darwin', ARCH.x64).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('linux', ARCH.arm64).resetAdHocDarwinSignature).toBe(false);
  });

  it('leaves the per-arch slices of a universal build alone (the merged app is flipped once)', async () => {
    expect(isUniversalSlice('/b/dist/installers/mac-universal-x64-temp')).toBe(true);
    expect(isUniversalSlice('/b/dist/installers/mac-universal-arm64-temp')).toBe(true);
    expect(isUniversalSlice('/b/dist/installers/mac-universal')).toBe(false);
    const out = path.join(dir, 'mac-universal-arm64-temp');
    const framework = path.join(out, 'mailbox2ics.app', 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
    fakeElectron(framework);
    const before = readFileSync(framework);
    await afterPack(context('darwin', ARCH.arm64, out));
    expect(readFileSync(framework).equals(before)).toBe(true);
  });

  it('fails the build when the binary has no fuse wire, rather than shipping it unfused', async () => {
    const out = path.join(dir, 'broken');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'mailbox2ics'), 'not electron');
    await expect(afterPack(context('linux', ARCH.x64, out))).rejects.toThrow(/sentinel/);
  });
});
