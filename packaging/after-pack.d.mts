// Types of packaging/after-pack.mjs for the tests (the hook itself is plain JavaScript, as electron-builder loads it).
import type { FuseConfig } from '@electron/fuses';

export const ARCH: { ia32: 0; x64: 1; armv7l: 2; arm64: 3; universal: 4 };
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}
export function fuseConfig(platform: string, arch: number): FuseConfig & { resetAdHocDarwinSignature: boolean };
export function electronBinary(context: PackContext): string;
export function isUniversalSlice(appOutDir: string): boolean;
export function afterPack(context: PackContext): Promise<void>;
export default afterPack;
