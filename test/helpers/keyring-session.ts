// Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
// Service), with HOME in a temp dir so the user's own keyring is never touched. Test-only.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SessionResult { code: number; stdout: string; stderr: string }

export function keyringAvailable(): boolean {
  const dirs = (process.env.PATH ?? '').split(':');
  const has = (bin: string) => dirs.some((d) => existsSync(path.join(d, bin)));
  return has('dbus-run-session') && has('gnome-keyring-daemon');
}

/** argv runs with the session's DBUS_SESSION_BUS_ADDRESS; env is merged over a minimal environment. */
export function inKeyringSession(argv: string[], env: Record<string, string> = {}): Promise<SessionResult> {
  const home = mkdtempSync(path.join(tmpdir(), 'keyring-home-'));
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // The keyring password only unlocks this throwaway keyring.
  const script = `printf %s throwaway-keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec ${quoted}`;
  return new Promise((resolve) => {
    execFile('dbus-run-session', ['--', 'sh', '-c', script], { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: home, TZ: 'UTC', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Like inKeyringSession, but running: stdin, stdout and stderr are pipes the test reads and writes as it goes. */
export function spawnInKeyringSession(argv: string[], env: Record<string, string> = {}): ChildProcess {
  const home = mkdtempSync(path.join(tmpdir(), 'keyring-home-'));
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `printf %s throwaway-keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec ${quoted}`;
  return spawn('dbus-run-session', ['--', 'sh', '-c', script], { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: home, TZ: 'UTC', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}
