// What every view gets from the window: app info, the one error region, and passwords for calls
// when the keychain cannot supply them (asked once, kept in memory for this session only).
import type { AppInfo } from './types.ts';

export interface Session {
  info?: AppInfo;
  /** False only once appInfo said so; unknown counts as available. */
  keychainAvailable: boolean;
  /** A password for this call: undefined means "main uses the keychain's". Asks when needed. */
  passwordFor(accountName: string, hasPassword: boolean): Promise<string | undefined>;
  /** Keeps a typed password in memory for this session (only used when the keychain is unavailable). */
  remember(accountName: string, password: string): void;
  report(err: unknown): void;
}
