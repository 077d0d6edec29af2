// Runs the real CLI (electron/cli/bin.mjs) as a child process with a minimal environment: HOME in
// the test's temp dir (so the cache and keychain lookups stay there) and no reachable D-Bus.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const CLI_BIN = path.resolve(import.meta.dirname, '../../electron/cli/bin.mjs');
const run = promisify(execFile);

export interface CliResult { code: number; stdout: string; stderr: string }

export function cliRunner(home: () => string): (args: string[], env?: Record<string, string | undefined>) => Promise<CliResult> {
  return async (args, env = {}) => {
    try {
      const r = await run(process.execPath, [CLI_BIN, ...args], {
        env: { PATH: process.env.PATH, HOME: home(), TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', ...env } as NodeJS.ProcessEnv,
        maxBuffer: 64 << 20,
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
}
