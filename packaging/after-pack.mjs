// electron-builder afterPack hook: flips the Electron fuses of the packed app (before electron-builder
// signs it), so the shipped binary cannot be turned into a plain Node or a debuggable process.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

// electron-builder's Arch enum (builder-util): the values the hook context carries.
export const ARCH = { ia32: 0, x64: 1, armv7l: 2, arm64: 3, universal: 4 };

/**
 * RunAsNode off (ELECTRON_RUN_AS_NODE cannot run scripts with the app's identity and keychain access; the
 * command line uses --mailbox2ics-cli instead), NODE_OPTIONS and --inspect off, the app only from its asar,
 * cookies encrypted. Asar integrity validation exists on macOS and Windows only (electron-builder embeds
 * the hashes there); Electron does not support it on Linux.
 */
export function fuseConfig(platform, arch) {
  const config = {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // An arm64 Mac refuses to run a binary whose signature no longer matches: re-sign ad hoc right after
    // flipping (electron-builder then signs properly where an identity exists).
    resetAdHocDarwinSignature: platform === 'darwin' && (arch === ARCH.arm64 || arch === ARCH.universal),
  };
  if (platform === 'darwin' || platform === 'win32') config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] = true;
  return config;
}

/** The file that carries the fuse wire: the .app (resolved to its framework by @electron/fuses), the .exe, or the Linux binary. */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

/** electron-builder packs a universal Mac app as two slices in `<dir>-x64-temp` and `<dir>-arm64-temp`, then merges them. */
export function isUniversalSlice(appOutDir) {
  return /-(x64|arm64)-temp$/.test(appOutDir);
}

export async function afterPack(context) {
  // The slices are merged (and their binaries lipo'd) afterwards; the merged app gets the hook again.
  if (isUniversalSlice(context.appOutDir)) return;
  await flipFuses(electronBinary(context), fuseConfig(context.electronPlatformName, context.arch));
}

export default afterPack;
