// The packaged command line: `--mailbox2ics-cli -- ARGS` runs the headless command inside the app's
// own main process, with no lock and no window. Checked on the real bundle esbuild makes for the app,
// run under Node with `electron` replaced by a fake that stops the process if a GUI start is attempted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_SWITCH, cliArgsFrom, runCliMode } from '../../electron/main/cli-mode.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the repository (git-ignored), so the bundle's external packages resolve from node_modules.
const OUT = path.join(ROOT, 'test-output', 'cli-mode-bundle');
const REGISTER = path.join(ROOT, 'test', 'helpers', 'fake-electron', 'register.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'cli-mode-'));

beforeAll(async () => {
  const { buildElectron } = (await import(path.join(ROOT, 'electron', 'build.mjs'))) as { buildElectron: (out: string, log: string) => Promise<void> };
  await buildElectron(OUT, 'silent');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

function runBundle(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', REGISTER, path.join(OUT, 'main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: path.join(tmp, 'cfg'), XDG_DATA_HOME: path.join(tmp, 'data'), ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('CLI switch', () => {
  it('takes everything after the switch (and a separating --) as the command\'s arguments', () => {
    expect(cliArgsFrom(['/opt/mailbox2ics/mailbox2ics', CLI_SWITCH, '--', '-o', 'x.ics', 'host', 'me', 'INBOX'])).toEqual(['-o', 'x.ics', 'host', 'me', 'INBOX']);
    expect(cliArgsFrom(['electron', '.', CLI_SWITCH, '--version'])).toEqual(['--version']);
    expect(cliArgsFrom(['/opt/mailbox2ics/mailbox2ics', CLI_SWITCH, '--', '--', 'x'])).toEqual(['--', 'x']);
    expect(cliArgsFrom(['/opt/mailbox2ics/mailbox2ics'])).toBeUndefined();
    expect(cliArgsFrom(['/opt/mailbox2ics/mailbox2ics', '--hidden'])).toBeUndefined();
  });

  it('exits with the command\'s code only after stdout and stderr are flushed', async () => {
    const events: string[] = [];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const app = { exit: vi.fn((c: number) => events.push(`exit ${c}`)), disableHardwareAcceleration: vi.fn(), dock: { hide: vi.fn() } };
    const origWrite = stdout.write.bind(stdout);
    stdout.write = ((chunk: unknown, cb?: unknown) => {
      const done = typeof cb === 'function' ? cb : undefined;
      return origWrite(chunk as string, () => {
        events.push('flushed');
        done?.();
      });
    }) as typeof stdout.write;
    const code = await runCliMode({ app: app as never, args: ['--x'], runCli: async (a) => (stdout.write(`ran ${a.join(' ')}\n`), 3), stdout, stderr });
    expect(code).toBe(3);
    expect(events.at(-1)).toBe('exit 3');
    expect(events.indexOf('exit 3')).toBeGreaterThan(events.lastIndexOf('flushed'));
    expect(app.disableHardwareAcceleration).toHaveBeenCalled();
    expect(app.dock.hide).toHaveBeenCalled();
  });

  it('an exception in the command becomes exit 1 with a message, never a hung process', async () => {
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (d: Buffer) => (said += d.toString()));
    const app = { exit: vi.fn(), disableHardwareAcceleration: vi.fn() };
    expect(await runCliMode({ app: app as never, args: [], runCli: async () => Promise.reject(new Error('boom')), stdout: new PassThrough(), stderr })).toBe(1);
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(said).toContain('mailbox2ics: unexpected error: boom');
  });
});

describe('the bundled main process in CLI mode', () => {
  it('turns the sample mailbox into the same calendar as the npm command, without a lock or a window', () => {
    const viaApp = path.join(tmp, 'app.ics');
    const viaNpm = path.join(tmp, 'npm.ics');
    const r = runBundle([CLI_SWITCH, '--', '--maildir', 'resources/sample-mailbox', '-o', viaApp, '-q']);
    expect(r.stderr).not.toContain('FAKE ELECTRON');
    expect(r.status).toBe(0);
    const npm = spawnSync(process.execPath, ['electron/cli/bin.mjs', '--maildir', 'resources/sample-mailbox', '-o', viaNpm, '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect(npm.status).toBe(0);
    const cal = readFileSync(viaApp, 'utf8');
    expect(cal).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(cal.match(/BEGIN:VEVENT/g)).toHaveLength(6);
    expect(cal).toBe(readFileSync(viaNpm, 'utf8'));
  });

  it('writes a whole calendar to a pipe before exiting, and reports the app\'s version', () => {
    const r = runBundle([CLI_SWITCH, '--', '--maildir', 'resources/sample-mailbox', '-q']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    const v = runBundle([CLI_SWITCH, '--', '--version'], { FAKE_ELECTRON_APP_VERSION: '7.7.7-app' });
    expect(v.stdout).toBe('mailbox2ics 7.7.7-app\n');
    expect(v.status).toBe(0);
  });

  it('passes on the command\'s exit code (2 for a usage error)', () => {
    const r = runBundle([CLI_SWITCH, '--', '--no-such-flag']);
    expect(r.stderr).not.toContain('FAKE ELECTRON');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-flag/);
  });

  it('without the switch the same bundle starts the GUI path (the fake stops it at the lock)', () => {
    const r = runBundle([]);
    expect(r.status).toBe(97);
    expect(r.stderr).toContain('FAKE ELECTRON: app.requestSingleInstanceLock was called');
  });
});
